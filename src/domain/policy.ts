import { z } from 'zod';

/**
 * The contact policy (`policy.json`). Every key is optional; a missing key means "no such
 * constraint". Unknown keys are refused (a typo must not silently drop a constraint).
 */
const positiveInt = z.number().int().min(0);
const perKey = z.record(z.string().min(1), positiveInt);

export const policySchema = z.strictObject({
  /** Days the plan covers. */
  horizonDays: z.number().int().min(1).max(3660).optional(),
  /** Most contacts one client may receive over the horizon, past contacts in the window included. */
  maxContactsPerClient: positiveInt.optional(),
  /** Same, per channel id. */
  maxContactsPerClientPerChannel: perKey.optional(),
  /** No contact about a product for this many days after the client refused an offer of it. */
  cooldownDaysAfterRefusal: positiveInt.optional(),
  /** Contacts per day, per channel id. */
  channelDailyCapacity: perKey.optional(),
  /** Contacts over the horizon, per product id. */
  productQuota: perKey.optional(),
  /** Total contact cost over the horizon, EUR. */
  budgetEUR: z.number().min(0).optional(),
  noCreditOffersToFragileClients: z.boolean().optional(),
  suitability: z.boolean().optional(),
  /** A segment's share of contacts may be at most this times its share of clients (≥ 1). */
  maxSegmentShareRatio: z.number().min(1).optional(),
});

export type Policy = z.output<typeof policySchema>;

/** Line and column (1-based) of a character offset in a text. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

export type PolicyParse =
  | { readonly ok: true; readonly policy: Policy }
  | {
      readonly ok: false;
      readonly issues: {
        file: string;
        line?: number;
        column?: number;
        columnName?: string;
        reason: string;
      }[];
    };

/**
 * Parses the text of a policy.json: bad JSON is located by line and column, a bad value by its key
 * path with what was expected.
 */
export function parsePolicyJson(text: string, file = 'policy.json'): PolicyParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const at = lc
      ? { line: Number(lc[1]), column: Number(lc[2]) }
      : pos
        ? lineColumn(text, Number(pos[1]))
        : {};
    return { ok: false, issues: [{ file, ...at, reason: `not valid JSON: ${msg.replace(/^.*?: /, '')}` }] };
  }
  const parsed = policySchema.safeParse(raw);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => {
      const path = i.path.map(String).join('.');
      const reason =
        i.code === 'unrecognized_keys'
          ? `unknown key(s) ${i.keys.map((k) => JSON.stringify(k)).join(', ')} (known: ${Object.keys(policySchema.shape).join(', ')})`
          : `${path || '(root)'}: ${i.message}`;
      return { file, ...(path ? { columnName: path } : {}), reason };
    }),
  };
}
