import type { Caller, Role } from './auth.js';
import { pseudonym } from './auth.js';
import type { ApiContext } from './context.js';
import { apiError } from './errors.js';
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
    throw apiError('BAD_USER_INPUT', `${name} ${String(v)} is out of range ${min}..${max}`);
  }
  return v;
}
function instant(v: unknown, name: string): string {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)))
    throw apiError('BAD_USER_INPUT', `${name} ${JSON.stringify(v)} is not an ISO-8601 instant`);
  return new Date(v).toISOString();
}
function allow(caller: Caller, roles: readonly Role[], what: string): void {
  if (!roles.includes(caller.role)) throw apiError('FORBIDDEN', `role ${caller.role} may not ${what}`);
}

/** Advisors only reach the clients they manage; other roles pass. */
function advises(ctx: ApiContext, clientId: string, advisorId: string | null): void {
  if (ctx.caller.role === 'advisor' && advisorId !== ctx.caller.advisorId) {
    throw apiError('FORBIDDEN', `client ${clientId} is not managed by advisor ${ctx.caller.advisorId}`);
  }
}

/** The access check of every read about one client. NOT_FOUND when the client does not exist. */
async function reachClient(ctx: ApiContext, clientId: string): Promise<void> {
  const c = await ctx.service.client(clientId);
  if (!c) throw apiError('NOT_FOUND', `client ${clientId} does not exist`);
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

/** Thin resolvers: check arguments and role, call the service. */
export const resolvers = {
  Query: {
    recommendations: async (_: unknown, a: Args, ctx: ApiContext) => {
      allow(ctx.caller, ADVISE, 'request recommendations');
      const clientId = id(a.clientId, 'clientId');
      const limit = bounded(a.limit, 'limit', 1, API_LIMITS.recommendations);
      const channel = a.channel === null || a.channel === undefined ? undefined : id(a.channel, 'channel');
      return ctx.service.recommend(clientId, channel, limit, (advisorId) =>
        advises(ctx, clientId, advisorId),
      );
    },
    recommendation: async (_: unknown, a: Args, ctx: ApiContext) => {
      const r = await ctx.service.recommendation(id(a.id, 'id'));
      if (!r) throw apiError('NOT_FOUND', `recommendation ${String(a.id)} does not exist`);
      if (ctx.caller.role === 'analyst')
        throw apiError('FORBIDDEN', 'role analyst may not read recommendations');
      await reachClient(ctx, r.clientId);
      return r;
    },
    explanation: async (_: unknown, a: Args, ctx: ApiContext) => {
      allow(ctx.caller, [...AUDIT, 'advisor'], 'read explanations');
      const r = await ctx.service.recommendation(id(a.id, 'id'));
      if (!r) throw apiError('NOT_FOUND', `recommendation ${String(a.id)} does not exist`);
      await reachClient(ctx, r.clientId);
      return {
        recommendationId: r.id,
        modelVersion: r.modelVersion,
        inputs: r.inputs,
        scores: r.scores,
        checks: r.checks,
        paths: r.paths,
      };
    },
    auditTrail: async (_: unknown, a: Args, ctx: ApiContext) => {
      allow(ctx.caller, AUDIT, 'read audit trails');
      const clientId = id(a.clientId, 'clientId');
      await reachClient(ctx, clientId);
      return ctx.service.auditTrail(
        clientId,
        instant(a.from, 'from'),
        instant(a.to, 'to'),
        bounded(a.limit, 'limit', 1, API_LIMITS.auditTrail),
      );
    },
    client: async (_: unknown, a: Args, ctx: ApiContext) => {
      const clientId = id(a.id, 'id');
      await reachClient(ctx, clientId);
      const c = await ctx.service.client(clientId);
      return c && ctx.caller.role === 'analyst'
        ? { ...c, id: pseudonym(ctx.secret, c.id), realId: c.id }
        : { ...c, realId: clientId };
    },
    neighborhood: async (_: unknown, a: Args, ctx: ApiContext) => {
      allow(ctx.caller, EXPLORE, 'explore the graph');
      const clientId = id(a.clientId, 'clientId');
      const g = await ctx.service.neighborhood(
        clientId,
        bounded(a.depth, 'depth', 1, API_LIMITS.depth),
        bounded(a.limit, 'limit', 1, API_LIMITS.neighborhood),
      );
      return mask(ctx, g);
    },
    path: async (_: unknown, a: Args, ctx: ApiContext) => {
      allow(ctx.caller, EXPLORE, 'explore the graph');
      const p: GraphPath | null = await ctx.service.path(
        id(a.fromId, 'fromId'),
        id(a.toId, 'toId'),
        (a.fromLabel as string | null | undefined) ?? null,
        (a.toLabel as string | null | undefined) ?? null,
      );
      return p ? { kind: p.kind, ...mask(ctx, p) } : null;
    },
    community: async (_: unknown, a: Args, ctx: ApiContext) => {
      allow(ctx.caller, EXPLORE, 'explore the graph');
      const k = await ctx.service.community(
        id(a.id, 'id'),
        bounded(a.limit, 'limit', 1, API_LIMITS.community),
      );
      if (!k || k.size === 0) return null;
      return ctx.caller.role === 'analyst'
        ? { ...k, members: k.members.map((m) => pseudonym(ctx.secret, m)) }
        : k;
    },
    policyEvaluation: async (_: unknown, _a: Args, ctx: ApiContext) => {
      allow(ctx.caller, [...AUDIT, 'analyst'], 'read the policy evaluation');
      return ctx.service.policyEvaluation();
    },
  },
  Mutation: {
    recordEvent: async (_: unknown, a: { input: Args }, ctx: ApiContext) => {
      allow(ctx.caller, ADVISE, 'record events');
      const i = a.input;
      const clientId = id(i.clientId, 'clientId');
      await reachClient(ctx, clientId);
      return ctx.service.recordEvent({
        id: i.id === undefined || i.id === null ? null : id(i.id, 'id'),
        clientId,
        type: String(i.type),
        productId: i.productId === undefined || i.productId === null ? null : id(i.productId, 'productId'),
        at: i.at === undefined || i.at === null ? null : instant(i.at, 'at'),
        sessionId: (i.sessionId as string | null | undefined) ?? null,
        page: (i.page as string | null | undefined) ?? null,
      });
    },
    recordSolicitationOutcome: async (_: unknown, a: { input: Args }, ctx: ApiContext) => {
      allow(ctx.caller, ADVISE, 'record solicitations');
      const i = a.input;
      const clientId = id(i.clientId, 'clientId');
      await reachClient(ctx, clientId);
      return ctx.service.recordSolicitationOutcome({
        id: i.id === undefined || i.id === null ? null : id(i.id, 'id'),
        clientId,
        productId: id(i.productId, 'productId'),
        channel: id(i.channel, 'channel'),
        outcome: String(i.outcome),
        sentAt: i.sentAt === undefined || i.sentAt === null ? null : instant(i.sentAt, 'sentAt'),
        outcomeAt:
          i.outcomeAt === undefined || i.outcomeAt === null ? null : instant(i.outcomeAt, 'outcomeAt'),
      });
    },
    setConsent: async (_: unknown, a: Args, ctx: ApiContext) => {
      allow(ctx.caller, ADVISE, 'set consents');
      const clientId = id(a.clientId, 'clientId');
      await reachClient(ctx, clientId);
      return ctx.service.setConsent(clientId, id(a.channel, 'channel'), String(a.status));
    },
    acknowledgeRecommendation: async (_: unknown, a: Args, ctx: ApiContext) => {
      allow(ctx.caller, ADVISE, 'acknowledge recommendations');
      const recId = id(a.id, 'id');
      const r = await ctx.service.recommendation(recId);
      if (!r) throw apiError('NOT_FOUND', `recommendation ${recId} does not exist`);
      await reachClient(ctx, r.clientId);
      return ctx.service.acknowledge(recId, String(a.decision), ctx.caller.subject);
    },
  },
  Client: {
    holdings: (c: { realId: string }, _: Args, ctx: ApiContext) => ctx.service.holdings(c.realId),
    consents: async (c: { id: string; realId: string }, _: Args, ctx: ApiContext) =>
      (await ctx.service.consents(c.realId)).map((k) => ({ ...k, clientId: c.id })),
    recentSolicitations: async (c: { id: string; realId: string }, _: Args, ctx: ApiContext) =>
      (await ctx.service.solicitations(c.realId, 20)).map((s) => ({ ...s, clientId: c.id })),
  },
  Recommendation: {
    decision: (r: Recommendation) => r.decision,
  },
};
