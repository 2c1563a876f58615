import { createHmac } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ErrorCode, NbgError } from '../errors.js';

/** The four API roles (docs/api.md "Roles"). */
export const ROLES = ['advisor', 'compliance', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The verified caller: role, and the advisor id for role advisor. */
export interface Caller {
  readonly role: Role;
  readonly advisorId: string | undefined;
  readonly subject: string;
}

const ISSUER = 'nbg';

function key(secret: string): Uint8Array {
  if (secret.length < 32) {
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `NBG_JWT_SECRET has ${secret.length} characters; at least 32 are needed`,
    );
  }
  return new TextEncoder().encode(secret);
}

/** Signs an HS256 bearer token for `role` (advisor tokens carry the advisor id), valid `ttl` (jose syntax: 8h). */
export async function signToken(
  secret: string,
  role: Role,
  options: { advisorId?: string; ttl?: string } = {},
): Promise<string> {
  if (role === 'advisor' && !options.advisorId) {
    throw new NbgError(ErrorCode.BAD_CONFIG, 'an advisor token needs --advisor ID');
  }
  const claims: Record<string, string> = { role };
  if (options.advisorId) claims.advisorId = options.advisorId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(options.advisorId ?? role)
    .setIssuedAt()
    .setExpirationTime(options.ttl ?? '8h')
    .sign(key(secret));
}

/** Tokens already verified, with their caller and expiry: an advisor's token comes with every request. */
const verified = new Map<
  string,
  { readonly secret: string; readonly caller: Caller; readonly expMs: number }
>();
/** Entries kept at most (the oldest go first). */
const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Verifies `Authorization: Bearer …`; throws UNAUTHENTICATED when it is missing, malformed or expired.
 * A token verified once is remembered until it expires (its signature cannot change), so the HMAC
 * is computed once per token rather than once per request.
 */
export async function verifyBearer(secret: string, header: string | undefined): Promise<Caller> {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1])
    throw new NbgError(ErrorCode.UNAUTHENTICATED, 'missing bearer token (Authorization: Bearer <jwt>)');
  const token = m[1];
  const known = verified.get(token);
  if (known !== undefined && known.secret === secret) {
    if (Date.now() < known.expMs) return known.caller;
    verified.delete(token);
    throw new NbgError(ErrorCode.UNAUTHENTICATED, 'bearer token expired');
  }
  return verifyToken(secret, token);
}

async function verifyToken(secret: string, token: string): Promise<Caller> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, algorithms: ['HS256'] });
    const role = payload.role;
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw new NbgError(
        ErrorCode.UNAUTHENTICATED,
        `token role ${String(role)} is not one of ${ROLES.join(', ')}`,
      );
    }
    const advisorId = typeof payload.advisorId === 'string' ? payload.advisorId : undefined;
    if (role === 'advisor' && !advisorId)
      throw new NbgError(ErrorCode.UNAUTHENTICATED, 'advisor token without advisorId');
    const caller: Caller = { role: role as Role, advisorId, subject: payload.sub ?? role };
    if (typeof payload.exp === 'number') {
      if (verified.size >= VERIFIED_TOKENS_MAX) verified.delete(verified.keys().next().value as string);
      verified.set(token, { secret, caller, expMs: payload.exp * 1000 });
    }
    return caller;
  } catch (e) {
    if (e instanceof NbgError) throw e;
    const why = e instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
    throw new NbgError(ErrorCode.UNAUTHENTICATED, `bearer token ${why}`);
  }
}

/**
 * Pseudonym shown to analysts: `p_` + the first 16 hex digits of HMAC-SHA256(secret, id). Stable for a
 * secret, not reversible without the secret and the list of ids (admin can look it up).
 */
export function pseudonym(secret: string, id: string): string {
  return `p_${createHmac('sha256', secret).update(id).digest('hex').slice(0, 16)}`;
}
