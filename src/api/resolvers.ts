import type { Caller, Role } from './auth.js';
import { pseudonym } from './auth.js';
import type { ApiContext } from './context.js';
import { ApiErrorCode, apiError } from './errors.js';
import type { GraphNode, GraphPath, GraphRelationship, Recommendation } from './services/api-types.js';

/** Maxima of the API's list arguments. */
export const API_LIMITS = {
  recommendations: 20,
  auditTrail: 200,
  neighborhood: 200,
  community: 500,
  depth: 2,
} as const;

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
type Args = Record<string, unknown>;

function id(v: unknown, name: string): string {
  if (typeof v !== 'string' || !ID.test(v))
    throw apiError(
      'BAD_USER_INPUT',
      `${name} ${JSON.stringify(v)} is not a valid id (letters, digits, _.:- ; at most 64)`,
    );
  return v;
}
function bounded(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw apiError(ApiErrorCode.BAD_USER_INPUT, `${name} ${String(v)} is out of range ${min}..${max}`);
  }
  return v;
}
function instant(v: unknown, name: string): string {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)))
    throw apiError(ApiErrorCode.BAD_USER_INPUT, `${name} ${JSON.stringify(v)} is not an ISO-8601 instant`);
  return new Date(v).toISOString();
}
function allow(caller: Caller, roles: readonly Role[], what: string): void {
  if (!roles.includes(caller.role))
    throw apiError(ApiErrorCode.FORBIDDEN, `role ${caller.role} may not ${what}`);
}

/** Advisors only reach the clients they manage; other roles pass. */
function advises(ctx: ApiContext, clientId: string, advisorId: string | null): void {
  if (ctx.caller.role === 'advisor' && advisorId !== ctx.caller.advisorId) {
    throw apiError(
      ApiErrorCode.FORBIDDEN,
      `client ${clientId} is not managed by advisor ${ctx.caller.advisorId}`,
    );
  }
}

/** The access check of every read about one client. NOT_FOUND when the client does not exist. */
async function reachClient(ctx: ApiContext, clientId: string): Promise<void> {
  const c = await ctx.services.clients.client(clientId);
  if (!c) throw apiError(ApiErrorCode.NOT_FOUND, `client ${clientId} does not exist`);
  advises(ctx, clientId, c.advisorId);
}

/** Analysts see client ids as pseudonyms (nodes labelled Client, and ids of clients in relationships). */
function mask(ctx: ApiContext, g: { nodes: GraphNode[]; relationships: GraphRelationship[] }) {
  if (ctx.caller.role !== 'analyst') return g;
  const clients = new Set(g.nodes.filter((n) => n.label === 'Client').map((n) => n.id));
  const m = (x: string) => (clients.has(x) ? pseudonym(ctx.secret, x) : x);
  return {
    ...g,
    nodes: g.nodes.map((n) => ({ ...n, id: m(n.id) })),
    relationships: g.relationships.map((r) => ({ ...r, from: m(r.from), to: m(r.to) })),
  };
}

const EXPLORE: readonly Role[] = ['analyst', 'admin'];
const AUDIT: readonly Role[] = ['compliance', 'admin'];
const ADVISE: readonly Role[] = ['advisor', 'admin'];

const optionalId = (v: unknown, name: string): string | null =>
  v === undefined || v === null ? null : id(v, name);
const optionalInstant = (v: unknown, name: string): string | null =>
  v === undefined || v === null ? null : instant(v, name);

/** A served recommendation of a client the caller may reach, or NOT_FOUND / FORBIDDEN. */
async function readableRecommendation(ctx: ApiContext, recId: string): Promise<Recommendation> {
  const r = await ctx.services.audit.recommendation(recId);
  if (!r) throw apiError(ApiErrorCode.NOT_FOUND, `recommendation ${recId} does not exist`);
  await reachClient(ctx, r.clientId);
  return r;
}

// Queries

async function recommendations(_: unknown, a: Args, ctx: ApiContext) {
  allow(ctx.caller, ADVISE, 'request recommendations');
  const clientId = id(a.clientId, 'clientId');
  const limit = bounded(a.limit, 'limit', 1, API_LIMITS.recommendations);
  const channel = optionalId(a.channel, 'channel') ?? undefined;
  return ctx.services.recommendations.recommend(clientId, channel, limit, (advisorId) =>
    advises(ctx, clientId, advisorId),
  );
}

async function recommendation(_: unknown, a: Args, ctx: ApiContext) {
  const r = await ctx.services.audit.recommendation(id(a.id, 'id'));
  if (!r) throw apiError(ApiErrorCode.NOT_FOUND, `recommendation ${String(a.id)} does not exist`);
  if (ctx.caller.role === 'analyst')
    throw apiError(ApiErrorCode.FORBIDDEN, 'role analyst may not read recommendations');
  await reachClient(ctx, r.clientId);
  return r;
}

async function explanation(_: unknown, a: Args, ctx: ApiContext) {
  allow(ctx.caller, [...AUDIT, 'advisor'], 'read explanations');
  const r = await readableRecommendation(ctx, id(a.id, 'id'));
  return {
    recommendationId: r.id,
    modelVersion: r.modelVersion,
    inputs: r.inputs,
    scores: r.scores,
    checks: r.checks,
    paths: r.paths,
  };
}

async function auditTrail(_: unknown, a: Args, ctx: ApiContext) {
  allow(ctx.caller, AUDIT, 'read audit trails');
  const clientId = id(a.clientId, 'clientId');
  await reachClient(ctx, clientId);
  return ctx.services.audit.auditTrail(
    clientId,
    instant(a.from, 'from'),
    instant(a.to, 'to'),
    bounded(a.limit, 'limit', 1, API_LIMITS.auditTrail),
  );
}

async function client(_: unknown, a: Args, ctx: ApiContext) {
  const clientId = id(a.id, 'id');
  await reachClient(ctx, clientId);
  const c = await ctx.services.clients.client(clientId);
  return c && ctx.caller.role === 'analyst'
    ? { ...c, id: pseudonym(ctx.secret, c.id), realId: c.id }
    : { ...c, realId: clientId };
}

async function neighborhood(_: unknown, a: Args, ctx: ApiContext) {
  allow(ctx.caller, EXPLORE, 'explore the graph');
  const clientId = id(a.clientId, 'clientId');
  const g = await ctx.services.exploration.neighborhood(
    clientId,
    bounded(a.depth, 'depth', 1, API_LIMITS.depth),
    bounded(a.limit, 'limit', 1, API_LIMITS.neighborhood),
  );
  return mask(ctx, g);
}

async function path(_: unknown, a: Args, ctx: ApiContext) {
  allow(ctx.caller, EXPLORE, 'explore the graph');
  const p: GraphPath | null = await ctx.services.exploration.path(
    id(a.fromId, 'fromId'),
    id(a.toId, 'toId'),
    (a.fromLabel as string | null | undefined) ?? null,
    (a.toLabel as string | null | undefined) ?? null,
  );
  return p ? { kind: p.kind, ...mask(ctx, p) } : null;
}

async function community(_: unknown, a: Args, ctx: ApiContext) {
  allow(ctx.caller, EXPLORE, 'explore the graph');
  const k = await ctx.services.exploration.community(
    id(a.id, 'id'),
    bounded(a.limit, 'limit', 1, API_LIMITS.community),
  );
  if (!k || k.size === 0) return null;
  return ctx.caller.role === 'analyst'
    ? { ...k, members: k.members.map((m) => pseudonym(ctx.secret, m)) }
    : k;
}

async function policyEvaluation(_: unknown, _a: Args, ctx: ApiContext) {
  allow(ctx.caller, [...AUDIT, 'analyst'], 'read the policy evaluation');
  return ctx.services.audit.policyEvaluation();
}

// Mutations

/** The checks of a write about one client: an advising role, a valid id, a client the caller reaches. */
async function advisedClient(ctx: ApiContext, clientId: unknown, what: string): Promise<string> {
  allow(ctx.caller, ADVISE, what);
  const checked = id(clientId, 'clientId');
  await reachClient(ctx, checked);
  return checked;
}

async function recordEvent(_: unknown, a: { input: Args }, ctx: ApiContext) {
  const i = a.input;
  const clientId = await advisedClient(ctx, i.clientId, 'record events');
  return ctx.services.mutations.recordEvent({
    id: optionalId(i.id, 'id'),
    clientId,
    type: String(i.type),
    productId: optionalId(i.productId, 'productId'),
    at: optionalInstant(i.at, 'at'),
    sessionId: (i.sessionId as string | null | undefined) ?? null,
    page: (i.page as string | null | undefined) ?? null,
  });
}

async function recordSolicitationOutcome(_: unknown, a: { input: Args }, ctx: ApiContext) {
  const i = a.input;
  const clientId = await advisedClient(ctx, i.clientId, 'record solicitations');
  return ctx.services.mutations.recordSolicitationOutcome({
    id: optionalId(i.id, 'id'),
    clientId,
    productId: id(i.productId, 'productId'),
    channel: id(i.channel, 'channel'),
    outcome: String(i.outcome),
    sentAt: optionalInstant(i.sentAt, 'sentAt'),
    outcomeAt: optionalInstant(i.outcomeAt, 'outcomeAt'),
  });
}

async function setConsent(_: unknown, a: Args, ctx: ApiContext) {
  const clientId = await advisedClient(ctx, a.clientId, 'set consents');
  return ctx.services.mutations.setConsent(clientId, id(a.channel, 'channel'), String(a.status));
}

async function acknowledgeRecommendation(_: unknown, a: Args, ctx: ApiContext) {
  allow(ctx.caller, ADVISE, 'acknowledge recommendations');
  const recId = id(a.id, 'id');
  await readableRecommendation(ctx, recId);
  return ctx.services.mutations.acknowledge(recId, String(a.decision), ctx.caller.subject);
}

// Fields of Client (the parent carries the real id; `id` is the pseudonym for analysts)

type ClientParent = { id: string; realId: string };

function holdings(c: ClientParent, _: Args, ctx: ApiContext) {
  return ctx.services.clients.holdings(c.realId);
}

async function consents(c: ClientParent, _: Args, ctx: ApiContext) {
  return (await ctx.services.clients.consents(c.realId)).map((k) => ({ ...k, clientId: c.id }));
}

async function recentSolicitations(c: ClientParent, _: Args, ctx: ApiContext) {
  return (await ctx.services.clients.solicitations(c.realId, 20)).map((s) => ({ ...s, clientId: c.id }));
}

/** Thin resolvers: check arguments and role, call one service, shape (mask) the answer. */
export const resolvers = {
  Query: {
    recommendations,
    recommendation,
    explanation,
    auditTrail,
    client,
    neighborhood,
    path,
    community,
    policyEvaluation,
  },
  Mutation: { recordEvent, recordSolicitationOutcome, setConsent, acknowledgeRecommendation },
  Client: { holdings, consents, recentSolicitations },
  Recommendation: {
    decision: (r: Recommendation) => r.decision,
  },
};
