import type { ClientScores, ScoreLayout, ScoringModels } from '../../allocate/precomputed/client-scores.js';
import { layoutOf, scoreClients } from '../../allocate/precomputed/client-scores.js';
import { decodeClientPaths, type ExplanationPath } from '../../allocate/precomputed/explanation-paths.js';
import type { ActionValueSource, ValueParts } from '../../allocate/value-sources/action-value-source.js';
import type { Db } from '../../db/executor.js';
import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientState } from '../../domain/client-state.js';
import { DAY_MS } from '../../domain/time.js';
import { neo4jSource } from '../../features/neo4j-source.js';
import { loadHistory } from '../../features/record-store.js';
import { dateOfDay, dayOfDate } from '../../features/records.js';
import { latestDay } from '../../models/suite/train-on-graph.js';
import type { StateRow } from './neo4j-client-state-reader.js';

/** Scores in a layout, with the layout's id → index maps. */
interface Scored {
  readonly products: ReadonlyMap<string, number>;
  readonly channels: ReadonlyMap<string, number>;
  readonly C: number;
  readonly s: { readonly [K in keyof ClientScores]: ArrayLike<number> };
}

export interface PrecomputedValuesOptions {
  /** The decision date of the precomputed scores (the model's scoredAsOf); undefined: none stored. */
  readonly asOf: string | undefined;
  /** Their product and channel order. */
  readonly layout: ScoreLayout;
  /** Live scoring date when no scores are stored (default: today, UTC). */
  readonly fallbackDate?: string;
  /** Rescored clients kept in memory (least recently used out first). */
  readonly cacheClients?: number;
}

/** Epoch ms of a graph date or instant, NaN for none. */
const instant = (text: string | null | undefined): number =>
  text ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text) : Number.NaN;

/** The latest dated record of a state row the features read (NaN when none). */
function latestRecord(row: StateRow): number {
  let last = Number.NaN;
  const see = (t: string | null | undefined): void => {
    const v = instant(t);
    if (v > last || (Number.isNaN(last) && !Number.isNaN(v))) last = v;
  };
  for (const h of row.holdings) {
    see(h.openedAt);
    see(h.closedAt);
  }
  for (const k of row.consents) {
    see(k.at);
    for (const d of k.history ?? []) see(d.slice(0, d.lastIndexOf('|')));
  }
  for (const s of row.solicitations) {
    see(s.sentAt);
    see(s.outcomeAt);
  }
  see(row.lastEventAt);
  see(row.lastVerbatimAt);
  return last;
}

const indexOf = (ids: readonly string[]): Map<string, number> => new Map(ids.map((id, i) => [id, i]));

/**
 * The API's trained ActionValueSource: the values `nbg score` precomputed per client, read in the
 * same round trip as the client's live state (read/api-client-states, through attach()), so the
 * request path does no scoring. A client with no stored scores, or with a record dated on or after
 * the scores' date (a solicitation, outcome, event, holding, consent decision or verbatim recorded
 * since), is rescored live from its own records only (neo4jSource with its id, one
 * ModelValueSource.fromRows over its rows) at the day after that record (never before the scores'
 * date), and kept in memory until a newer record arrives. Values and parts equal those of the batch
 * ModelValueSource at the same date.
 */
export class PrecomputedValueSource implements ActionValueSource {
  readonly name: string;
  readonly modelVersion: string;
  /** How many clients were served from stored scores, and how many were rescored live. */
  readonly counts = { stored: 0, rescored: 0 };
  private readonly attached = new WeakMap<ClientState, () => Promise<Scored>>();
  private readonly resolved = new WeakMap<ClientState, Scored>();
  /** The stored explanation paths of clients served from their stored scores. */
  private readonly paths = new WeakMap<ClientState, string>();
  private readonly rescored = new Map<string, Promise<Scored>>();
  private readonly stored: Pick<Scored, 'products' | 'channels' | 'C'>;
  private readonly cacheClients: number;

  constructor(
    private readonly db: Db,
    private readonly models: ScoringModels,
    private readonly options: PrecomputedValuesOptions,
  ) {
    this.name = `model:${models.model.kind}`;
    this.modelVersion = models.modelVersion;
    this.cacheClients = options.cacheClients ?? 10_000;
    this.stored = {
      products: indexOf(options.layout.productIds),
      channels: indexOf(options.layout.channelIds),
      C: options.layout.channelIds.length,
    };
  }

  /** The date of the stored scores, undefined when this model's were never computed. */
  get asOf(): string | undefined {
    return this.options.asOf;
  }

  /** Called by the state reader with the row the state came from (its ScoreSet and record dates). */
  attach(state: ClientState, row: StateRow): void {
    const scores = row.scores ?? null;
    const last = latestRecord(row);
    const asOf = scores?.asOf ?? this.options.asOf;
    if (scores !== null && asOf !== undefined && !(last >= instant(asOf))) {
      const entry: Scored = { ...this.stored, s: scores };
      if (typeof scores.paths === 'string') this.paths.set(state, scores.paths);
      this.attached.set(state, () => {
        this.counts.stored++;
        return Promise.resolve(entry);
      });
      return;
    }
    const from = asOf ?? this.options.fallbackDate ?? new Date().toISOString().slice(0, 10);
    const date = Number.isNaN(last) ? from : maxDate(from, dateOfDay(Math.floor(last / DAY_MS) + 1));
    this.attached.set(state, () => this.rescore(state.id, date, last));
  }

  /**
   * The explanation paths `nbg score` stored with the scores this client is served from, by product
   * id (the products it could be served then); undefined when it is rescored live or none were
   * stored: its records changed since, so its paths are read live.
   */
  storedPaths(state: ClientState): Map<string, ExplanationPath[]> | undefined {
    const text = this.paths.get(state);
    return text === undefined ? undefined : decodeClientPaths(state.id, text);
  }

  async score(
    clients: readonly ClientState[],
    products: readonly ProductInfo[],
    channels: readonly ChannelInfo[],
    out: Float64Array,
  ): Promise<void> {
    const P = products.length;
    const C = channels.length;
    for (let i = 0; i < clients.length; i++) {
      const client = clients[i]!;
      const get = this.attached.get(client);
      const scored = await (get ? get() : this.rescore(client.id, undefined, Number.NaN));
      this.resolved.set(client, scored);
      for (let p = 0; p < P; p++) {
        const tp = scored.products.get(products[p]!.id);
        for (let c = 0; c < C; c++) {
          const tc = scored.channels.get(channels[c]!.id);
          const v = tp === undefined || tc === undefined ? Number.NaN : scored.s.value[tp * scored.C + tc]!;
          out[(i * P + p) * C + c] = v;
        }
      }
    }
  }

  parts(client: ClientState, product: ProductInfo, channel: ChannelInfo): ValueParts | undefined {
    const scored = this.resolved.get(client);
    const p = scored?.products.get(product.id);
    const c = scored?.channels.get(channel.id);
    if (scored === undefined || p === undefined || c === undefined) return undefined;
    const k = p * scored.C + c;
    const { s } = scored;
    if (Number.isNaN(s.uplift[k]!)) return undefined;
    return {
      uplift: s.uplift[k]!,
      margin: product.unitValue,
      cost: channel.costPerContact,
      fatigue: s.fatigue[k]!,
      propensity: s.propensity[k]!,
      exposureCorrection: s.exposureCorrection[k]!,
    };
  }

  /**
   * The client's scores at `date` from its own records (undefined: the day after its latest record,
   * not before the stored date), shared by concurrent requests and kept while `last` (the latest
   * record instant) is unchanged.
   */
  private rescore(clientId: string, date: string | undefined, last: number): Promise<Scored> {
    const key = `${clientId}|${date ?? ''}|${last}`;
    const hit = this.rescored.get(key);
    if (hit) {
      this.rescored.delete(key); // most recently used last
      this.rescored.set(key, hit);
      return hit;
    }
    this.counts.rescored++;
    const job = this.scoreLive(clientId, date);
    this.rescored.set(key, job);
    job.catch(() => this.rescored.delete(key));
    if (this.rescored.size > this.cacheClients) this.rescored.delete(this.rescored.keys().next().value!);
    return job;
  }

  private async scoreLive(clientId: string, date: string | undefined): Promise<Scored> {
    const h = await loadHistory(neo4jSource(this.db, { clientIds: [clientId] }));
    const layout = layoutOf(h);
    const products = indexOf(layout.productIds);
    const channels = indexOf(layout.channelIds);
    const C = layout.channelIds.length;
    if (h.clientIds.length === 0) return { products: new Map(), channels, C, s: emptyScores() };
    const from = this.options.asOf ?? this.options.fallbackDate ?? new Date().toISOString().slice(0, 10);
    const last = latestDay(h);
    const d = date ?? (Number.isFinite(last) ? maxDate(from, dateOfDay(last)) : from);
    const scores = await scoreClients(this.models, h, d, [0]);
    return { products, channels, C, s: scores.get(clientId)! };
  }
}

const maxDate = (a: string, b: string): string => (dayOfDate(a) >= dayOfDate(b) ? a : b);

function emptyScores(): ClientScores {
  const none = new Float64Array(0);
  return { value: none, uplift: none, fatigue: none, propensity: none, exposureCorrection: none };
}
