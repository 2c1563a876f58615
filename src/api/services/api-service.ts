import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { OPT_IN_CHANNELS, RISK_PROFILES } from '../../domain/enums.js';
import { ErrorCode, NbgError } from '../../errors.js';

const Q = {
  client: query('read/api-client'),
  holdings: query('read/api-client-holdings'),
  consents: query('read/api-client-consents'),
  solicitations: query('read/api-client-solicitations'),
  catalog: query('read/api-catalog'),
  channels: query('read/api-channels'),
  neighborhood: query('read/api-neighborhood'),
  path: query('read/api-path'),
  community: query('read/api-community'),
  explanationPaths: query('read/api-explanation-paths'),
  recommendation: query('read/api-recommendation'),
  auditTrail: query('read/api-audit-trail'),
  policyEvaluation: query('read/api-policy-evaluation'),
  storeRecommendation: query('write/api-recommendation'),
  acknowledge: query('write/api-acknowledge'),
  event: query('write/api-event'),
  solicitation: query('write/api-solicitation-outcome'),
  consent: query('write/api-consent'),
};

/** Model version stamped on recommendations until the trained models land. */
export const STAND_IN_MODEL = 'stand-in';

/** Options of the stand-in recommender and its rules. */
export interface RecommenderOptions {
  /** Days after a refusal during which the product is not offered again. */
  readonly cooldownDays: number;
  /** Maximum solicitations in the last `pressureWindowDays` days. */
  readonly maxContacts: number;
  readonly pressureWindowDays: number;
}
export const RECOMMENDER_DEFAULTS: RecommenderOptions = {
  cooldownDays: 90,
  maxContacts: 4,
  pressureWindowDays: 30,
};

export interface GraphNode {
  id: string;
  label: string;
}
export interface GraphRelationship {
  type: string;
  from: string;
  to: string;
}
export interface GraphPath {
  kind: string;
  nodes: GraphNode[];
  relationships: GraphRelationship[];
}
export interface RuleCheck {
  rule: string;
  passed: boolean;
  reason: string;
}
export interface Scores {
  propensity: number;
  exposureCorrection: number;
  uplift: number;
  margin: number;
  cost: number;
  fatigue: number;
  value: number;
}
export interface Recommendation {
  id: string;
  clientId: string;
  productId: string | null;
  channel: string | null;
  action: string;
  rank: number;
  suggestedMoment: string | null;
  modelVersion: string;
  servedAt: string;
  shownPropensity: number;
  scores: Scores;
  checks: RuleCheck[];
  paths: GraphPath[];
  inputs: string;
  decision: string | null;
  decidedAt: string | null;
}
export interface ClientProfile {
  id: string;
  segment: string | null;
  region: string | null;
  birthYear: number | null;
  riskProfile: string | null;
  financiallyFragile: boolean | null;
  advisorId: string | null;
  communityId: string | null;
}
export interface Solicitation {
  id: string;
  clientId: string;
  productId: string;
  channel: string;
  outcome: string;
  sentAt: string;
  outcomeAt: string | null;
}

type Props = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const DAY_MS = 86_400_000;

/** Reads and writes of the API, each through one api- named query. Resolvers stay thin and call these. */
export class ApiService {
  constructor(
    private readonly db: Db,
    private readonly options: RecommenderOptions = RECOMMENDER_DEFAULTS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async client(id: string): Promise<ClientProfile | null> {
    const [row] = await this.db.read(Q.client, { id });
    if (!row) return null;
    const c = row.client as Props;
    return {
      id,
      segment: str(c.segment),
      region: str(c.region),
      birthYear: c.birthYear === undefined || c.birthYear === null ? null : num(c.birthYear),
      riskProfile: str(c.riskProfile),
      financiallyFragile: typeof c.financiallyFragile === 'boolean' ? c.financiallyFragile : null,
      advisorId: str(row.advisorId),
      communityId: str(row.communityId),
    };
  }

  /** The client, or NOT_FOUND naming the id. */
  async requireClient(id: string): Promise<ClientProfile> {
    const c = await this.client(id);
    if (!c) throw new NbgError(ErrorCode.NOT_FOUND, `client ${id} does not exist`);
    return c;
  }

  async holdings(
    id: string,
  ): Promise<{ productId: string; openedAt: string | null; closedAt: string | null }[]> {
    const rows = await this.db.read(Q.holdings, { id });
    return rows.map((r) => ({
      productId: String(r.productId),
      openedAt: str(r.openedAt),
      closedAt: str(r.closedAt),
    }));
  }

  async consents(id: string): Promise<{ clientId: string; channel: string; status: string; at: string }[]> {
    const rows = await this.db.read(Q.consents, { id });
    return rows.map((r) => ({
      clientId: id,
      channel: String(r.channel),
      status: String(r.status),
      at: String(r.at),
    }));
  }

  async solicitations(id: string, limit = 20): Promise<Solicitation[]> {
    const rows = await this.db.read(Q.solicitations, { id, limit: neo4j.int(limit) });
    return rows.map((r) => ({
      id: String(r.id),
      clientId: id,
      productId: String(r.productId),
      channel: String(r.channel),
      outcome: String(r.outcome),
      sentAt: String(r.sentAt),
      outcomeAt: str(r.outcomeAt),
    }));
  }

  async neighborhood(
    clientId: string,
    depth: number,
    limit: number,
  ): Promise<{ nodes: GraphNode[]; relationships: GraphRelationship[] }> {
    await this.requireClient(clientId);
    const rows = await this.db.read(Q.neighborhood, {
      id: clientId,
      depth: neo4j.int(depth),
      limit: neo4j.int(limit),
    });
    const nodes = new Map<string, GraphNode>();
    const rels = new Map<string, GraphRelationship>();
    for (const r of rows) {
      for (const n of r.nodes as GraphNode[]) nodes.set(n.id, { id: String(n.id), label: String(n.label) });
      for (const e of r.rels as GraphRelationship[]) rels.set(`${e.from}|${e.type}|${e.to}`, e);
    }
    return { nodes: [...nodes.values()], relationships: [...rels.values()] };
  }

  async path(fromId: string, toId: string): Promise<GraphPath | null> {
    const [row] = await this.db.read(Q.path, { fromId, toId });
    if (!row) return null;
    return {
      kind: 'shortest',
      nodes: row.nodes as GraphNode[],
      relationships: row.rels as GraphRelationship[],
    };
  }

  async community(
    id: string,
    limit: number,
  ): Promise<{ id: string; size: number; members: string[] } | null> {
    const [row] = await this.db.read(Q.community, { id, limit: neo4j.int(limit) });
    if (!row) return null;
    return { id: String(row.id), size: num(row.size), members: (row.members as unknown[]).map(String) };
  }

  async explanationPaths(clientId: string, productId: string): Promise<GraphPath[]> {
    const rows = await this.db.read(Q.explanationPaths, { clientId, productId });
    return rows.map((r) => ({
      kind: String(r.kind),
      nodes: r.nodes as GraphNode[],
      relationships: r.rels as GraphRelationship[],
    }));
  }

  async recommendation(id: string): Promise<Recommendation | null> {
    const [row] = await this.db.read(Q.recommendation, { id });
    return row ? fromNode(row.rec as Props) : null;
  }

  async auditTrail(clientId: string, from: string, to: string, limit: number): Promise<Recommendation[]> {
    const rows = await this.db.read(Q.auditTrail, { clientId, from, to, limit: neo4j.int(limit) });
    return rows.map((r) => fromNode(r.rec as Props));
  }

  async policyEvaluation(): Promise<{ createdAt: string | null; rows: string } | null> {
    const [row] = await this.db.read(Q.policyEvaluation);
    return row ? { createdAt: str(row.createdAt), rows: String(row.rows ?? '[]') } : null;
  }

  /**
   * Ranks the client's actions with the STAND-IN value source until the trained models land:
   * value = popularity prior × unit margin − channel cost, with the prior p = (holders + 1) / (clients + 2)
   * over the catalogue (no uplift model, so uplift = p and the exposure correction is 1). The rules are
   * checked on live graph state: consent, refusal cooldown, contact pressure, holdings, age, risk
   * profile, fragility for credit. Actions failing a rule are dropped; when none is left, or none is
   * worth its cost, one 'no_contact' is served. Every served row is stored as a :Recommendation.
   */
  async recommend(clientId: string, channel: string | undefined, limit: number): Promise<Recommendation[]> {
    const client = await this.requireClient(clientId);
    const [catalog, channels, holdings, consents, sols] = await Promise.all([
      this.db.read(Q.catalog),
      this.db.read(Q.channels),
      this.holdings(clientId),
      this.consents(clientId),
      this.solicitations(clientId, 200),
    ]);
    const channelCost = new Map(channels.map((c) => [String(c.id), num(c.costPerContact)]));
    if (channel !== undefined && !channelCost.has(channel)) {
      throw new NbgError(
        ErrorCode.NOT_FOUND,
        `channel ${channel} does not exist (known: ${[...channelCost.keys()].join(', ')})`,
      );
    }
    const now = this.now();
    const nowMs = now.getTime();
    const consentOf = new Map(consents.map((c) => [c.channel, c.status]));
    const held = new Set(holdings.filter((h) => h.closedAt === null).map((h) => h.productId));
    const recent = sols.filter(
      (s) => nowMs - Date.parse(s.sentAt) <= this.options.pressureWindowDays * DAY_MS,
    ).length;
    const clients = Math.max(1, catalog.reduce((m, r) => Math.max(m, num(r.holders)), 0) * 2);
    const candidateChannels = channel ? [channel] : [...channelCost.keys()];
    const age = client.birthYear === null ? null : now.getUTCFullYear() - client.birthYear;
    type Candidate = { productId: string; channel: string; scores: Scores; checks: RuleCheck[] };
    const passed: Candidate[] = [];
    for (const row of catalog) {
      const p = row.product as Props;
      const productId = String(p.id);
      for (const ch of candidateChannels) {
        const checks = this.checks({
          client,
          age,
          productId,
          product: p,
          channel: ch,
          consentOf,
          held,
          sols,
          recent,
          nowMs,
        });
        if (!checks.every((c) => c.passed)) continue;
        const prior = (num(row.holders) + 1) / (clients + 2);
        const margin = num(p.unitValue);
        const cost = channelCost.get(ch) ?? 0;
        const fatigue = Math.min(1, recent / this.options.maxContacts) * 0.1 * margin * prior;
        const value = prior * margin - cost - fatigue;
        passed.push({
          productId,
          channel: ch,
          checks,
          scores: { propensity: prior, exposureCorrection: 1, uplift: prior, margin, cost, fatigue, value },
        });
      }
    }
    passed.sort(
      (a, b) =>
        b.scores.value - a.scores.value ||
        a.productId.localeCompare(b.productId) ||
        a.channel.localeCompare(b.channel),
    );
    const seen = new Set<string>();
    const chosen: Candidate[] = [];
    for (const c of passed) {
      if (chosen.length >= limit || c.scores.value <= 0 || seen.has(c.productId)) continue;
      seen.add(c.productId);
      chosen.push(c);
    }
    const servedAt = now.toISOString();
    const inputs = JSON.stringify({
      clientId,
      channel: channel ?? null,
      limit,
      holdings: [...held].sort(),
      recentContacts: recent,
    });
    const out: Recommendation[] = [];
    if (chosen.length === 0) {
      out.push(
        this.make(
          clientId,
          null,
          null,
          1,
          servedAt,
          inputs,
          zeroScores(),
          [
            {
              rule: 'worth-contacting',
              passed: false,
              reason: 'no action passes every rule with a positive value',
            },
          ],
          [],
        ),
      );
    }
    for (const [i, c] of chosen.entries()) {
      const paths = await this.explanationPaths(clientId, c.productId);
      out.push(
        this.make(clientId, c.productId, c.channel, i + 1, servedAt, inputs, c.scores, c.checks, paths),
      );
    }
    for (const r of out) await this.store(r);
    return out;
  }

  private make(
    clientId: string,
    productId: string | null,
    channel: string | null,
    rank: number,
    servedAt: string,
    inputs: string,
    scores: Scores,
    checks: RuleCheck[],
    paths: GraphPath[],
  ): Recommendation {
    const moment = new Date(Date.parse(servedAt) + DAY_MS);
    moment.setUTCHours(10, 0, 0, 0);
    return {
      id: `rec-${randomUUID()}`,
      clientId,
      productId,
      channel,
      action: productId ? 'contact' : 'no_contact',
      rank,
      suggestedMoment: productId ? moment.toISOString() : null,
      modelVersion: STAND_IN_MODEL,
      servedAt,
      shownPropensity: productId ? 1 : 0,
      scores,
      checks,
      paths,
      inputs,
      decision: null,
      decidedAt: null,
    };
  }

  private checks(a: {
    client: ClientProfile;
    age: number | null;
    productId: string;
    product: Props;
    channel: string;
    consentOf: Map<string, string>;
    held: Set<string>;
    sols: Solicitation[];
    recent: number;
    nowMs: number;
  }): RuleCheck[] {
    const consent = a.consentOf.get(a.channel);
    const consentOk = consent ? consent === 'granted' : !OPT_IN_CHANNELS.has(a.channel);
    const refusal = a.sols.find(
      (s) =>
        s.productId === a.productId &&
        s.outcome === 'refused' &&
        a.nowMs - Date.parse(s.outcomeAt ?? s.sentAt) < this.options.cooldownDays * DAY_MS,
    );
    const minAge = a.product.minAge === null || a.product.minAge === undefined ? null : num(a.product.minAge);
    const maxAge = a.product.maxAge === null || a.product.maxAge === undefined ? null : num(a.product.maxAge);
    const ageOk =
      a.age === null || ((minAge === null || a.age >= minAge) && (maxAge === null || a.age <= maxAge));
    const required = str(a.product.requiredRiskProfile);
    const riskOk =
      required === null ||
      RISK_PROFILES.indexOf((a.client.riskProfile ?? 'unknown') as never) >=
        RISK_PROFILES.indexOf(required as never);
    const fragileOk = !(a.product.isCredit === true && a.client.financiallyFragile === true);
    return [
      {
        rule: 'consent',
        passed: consentOk,
        reason: consent
          ? `consent ${consent} on ${a.channel}`
          : `no consent recorded on ${a.channel}: ${consentOk ? 'opt-out channel' : 'opt-in channel'}`,
      },
      {
        rule: 'cooldown',
        passed: !refusal,
        reason: refusal
          ? `refused ${a.productId} on ${refusal.outcomeAt ?? refusal.sentAt}, cooldown ${this.options.cooldownDays} days`
          : `no refusal of ${a.productId} in the last ${this.options.cooldownDays} days`,
      },
      {
        rule: 'pressure',
        passed: a.recent < this.options.maxContacts,
        reason: `${a.recent} contacts in ${this.options.pressureWindowDays} days (max ${this.options.maxContacts})`,
      },
      {
        rule: 'holdings',
        passed: !a.held.has(a.productId),
        reason: a.held.has(a.productId) ? `already holds ${a.productId}` : `does not hold ${a.productId}`,
      },
      {
        rule: 'age',
        passed: ageOk,
        reason: `age ${a.age ?? 'unknown'}, product range ${minAge ?? '-'}..${maxAge ?? '-'}`,
      },
      {
        rule: 'suitability',
        passed: riskOk,
        reason: `risk profile ${a.client.riskProfile ?? 'unknown'}, product requires ${required ?? 'none'}`,
      },
      {
        rule: 'fragility',
        passed: fragileOk,
        reason: fragileOk ? 'no credit to a fragile client' : 'credit refused: client financially fragile',
      },
    ];
  }

  private async store(r: Recommendation): Promise<void> {
    await this.db.write(Q.storeRecommendation, {
      id: r.id,
      clientId: r.clientId,
      productId: r.productId,
      channelId: r.channel,
      props: {
        kind: 'api',
        clientId: r.clientId,
        productId: r.productId,
        channel: r.channel,
        action: r.action,
        rank: neo4j.int(r.rank),
        suggestedMoment: r.suggestedMoment,
        modelVersion: r.modelVersion,
        servedAt: r.servedAt,
        shownPropensity: r.shownPropensity,
        scores: JSON.stringify(r.scores),
        checks: JSON.stringify(r.checks),
        paths: JSON.stringify(r.paths),
        inputs: r.inputs,
      },
    });
  }

  async acknowledge(id: string, decision: string, by: string): Promise<Recommendation> {
    const { rows } = await this.db.write(Q.acknowledge, { id, decision, at: this.now().toISOString(), by });
    const row = rows[0];
    if (!row) throw new NbgError(ErrorCode.NOT_FOUND, `recommendation ${id} does not exist`);
    return fromNode(row.rec as Props);
  }

  async recordEvent(e: {
    id?: string | null;
    clientId: string;
    type: string;
    productId?: string | null;
    at?: string | null;
    sessionId?: string | null;
    page?: string | null;
  }) {
    await this.requireClient(e.clientId);
    const id = e.id ?? `ev-${randomUUID()}`;
    const at = e.at ?? this.now().toISOString();
    await this.db.write(Q.event, {
      id,
      clientId: e.clientId,
      productId: e.productId ?? null,
      props: { at, type: e.type, sessionId: e.sessionId ?? id, page: e.page ?? null },
    });
    return { id, clientId: e.clientId, type: e.type, productId: e.productId ?? null, at };
  }

  async recordSolicitationOutcome(s: {
    id?: string | null;
    clientId: string;
    productId: string;
    channel: string;
    outcome: string;
    sentAt?: string | null;
    outcomeAt?: string | null;
  }): Promise<Solicitation> {
    await this.requireClient(s.clientId);
    const id = s.id ?? `sol-${randomUUID()}`;
    const now = this.now().toISOString();
    const sentAt = s.sentAt ?? now;
    const outcomeAt = s.outcomeAt ?? (s.outcome === 'no_response' ? null : now);
    const { rows } = await this.db.write(Q.solicitation, {
      id,
      clientId: s.clientId,
      productId: s.productId,
      channelId: s.channel,
      props: { sentAt, outcome: s.outcome, outcomeAt, loggingPropensity: null },
    });
    if (rows.length === 0)
      throw new NbgError(
        ErrorCode.NOT_FOUND,
        `product ${s.productId} or channel ${s.channel} does not exist`,
      );
    return {
      id,
      clientId: s.clientId,
      productId: s.productId,
      channel: s.channel,
      outcome: s.outcome,
      sentAt,
      outcomeAt,
    };
  }

  async setConsent(clientId: string, channel: string, status: string) {
    await this.requireClient(clientId);
    const at = this.now().toISOString();
    const { rows } = await this.db.write(Q.consent, { clientId, channelId: channel, status, at });
    if (rows.length === 0) throw new NbgError(ErrorCode.NOT_FOUND, `channel ${channel} does not exist`);
    return { clientId, channel, status, at };
  }
}

function zeroScores(): Scores {
  return { propensity: 0, exposureCorrection: 1, uplift: 0, margin: 0, cost: 0, fatigue: 0, value: 0 };
}

function parse<T>(v: unknown, fallback: T): T {
  if (typeof v !== 'string') return fallback;
  return JSON.parse(v) as T;
}

/** A stored :Recommendation back to its served shape (JSON properties parsed). */
function fromNode(p: Props): Recommendation {
  return {
    id: String(p.id),
    clientId: String(p.clientId),
    productId: str(p.productId),
    channel: str(p.channel),
    action: String(p.action ?? 'contact'),
    rank: num(p.rank),
    suggestedMoment: str(p.suggestedMoment),
    modelVersion: String(p.modelVersion ?? STAND_IN_MODEL),
    servedAt: String(p.servedAt),
    shownPropensity: num(p.shownPropensity),
    scores: parse(p.scores, zeroScores()),
    checks: parse(p.checks, []),
    paths: parse(p.paths, []),
    inputs: String(p.inputs ?? '{}'),
    decision: str(p.decision),
    decidedAt: str(p.decidedAt),
  };
}
