import type { UndirectedGraph } from 'graphology';
import { type Csr, csrFromPairs } from '../csr.js';
import { csrToGraph } from '../csr-to-graph.js';
import { GraphError } from '../graph-error.js';
import {
  NODE_KINDS,
  type NodeKind,
  PROJECTION_SOURCES,
  type ProjectionRow,
  type ProjectionSource,
  type ProjectionWeights,
} from './types.js';

const MODULE = 'graph/projection/builder';

export interface ProjectionOptions {
  /** Sources whose rows make edges; rows of other sources are counted and ignored. Default: all. */
  readonly sources: readonly ProjectionSource[];
  /** Weights per source and row type. */
  readonly weights: ProjectionWeights;
}

/**
 * Default weights: an open holding is the strongest tie; a closed one keeps a trace. Intent grows
 * with commitment (simulation and form steps over page views). A response to a solicitation says
 * more than a contact; a refusal is a (weak) tie too: the client was thought a fit. Channels and the
 * advisor/branch are off by default: they join clients by logistics, not by need. Profile
 * attributes (segment, age band...) are on when given.
 */
export const DEFAULTS: ProjectionOptions = {
  sources: PROJECTION_SOURCES,
  weights: {
    holdingOpen: 1,
    holdingClosed: 0.25,
    journey: {
      login: 0,
      page_view: 0.05,
      search: 0.1,
      simulation: 0.3,
      form_start: 0.3,
      form_abandon: 0.2,
      form_submit: 0.5,
    },
    solicitation: { no_response: 0, opened: 0.05, clicked: 0.2, converted: 0.5, refused: 0 },
    solicitationChannel: 0,
    advisor: 0,
    branch: 0,
    profile: 1,
  },
};

/** A built projection: the CSR (both directions), node keys and kinds, and counts per source. */
export interface Projection {
  readonly csr: Csr;
  /** Kind of each node as an index into NODE_KINDS. */
  readonly kinds: Uint8Array;
  /** Node index by key (`client:C1`). */
  readonly index: ReadonlyMap<string, number>;
  /** Rows seen per source, including ignored ones. */
  readonly rows: Readonly<Record<ProjectionSource, number>>;
  readonly edgeCount: number;
  /** Indices of the nodes of one kind, in index order. */
  nodesOf(kind: NodeKind): Int32Array;
  /** The projection as an undirected graphology graph (`weight` on edges, `kind` on nodes). */
  toGraph(): UndirectedGraph;
}

export interface ProjectionBuilder {
  /** Adds one page of rows; call as often as the stream yields pages. */
  add(rows: readonly ProjectionRow[]): void;
  /** Declares nodes that may have no edge (e.g. every client), so they get an index and a row. */
  addNodes(kind: NodeKind, ids: readonly string[]): void;
  /** Freezes the accumulated edges into a Projection. The builder can keep adding afterwards. */
  build(): Projection;
}

const KIND_INDEX = new Map<NodeKind, number>(NODE_KINDS.map((k, i) => [k, i]));
// Pair keys lo * 2^26 + hi stay exact in a double up to 2^26 (67M) nodes.
const MAX_NODES = 2 ** 26;

function checkWeights(w: ProjectionWeights): void {
  const flat: [string, number][] = [
    ['holdingOpen', w.holdingOpen],
    ['holdingClosed', w.holdingClosed],
    ['solicitationChannel', w.solicitationChannel],
    ['advisor', w.advisor],
    ['branch', w.branch],
    ['profile', w.profile],
    ...Object.entries(w.journey).map(([k, v]): [string, number] => [`journey.${k}`, v]),
    ...Object.entries(w.solicitation).map(([k, v]): [string, number] => [`solicitation.${k}`, v]),
  ];
  for (const [name, v] of flat)
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new GraphError(MODULE, `weights.${name} must be a finite number >= 0, got ${v}`);
}

/** Defaults filled in, then checked: every source known, every weight finite and ≥ 0. */
function resolveOptions(options: Partial<ProjectionOptions>): {
  sources: ReadonlySet<ProjectionSource>;
  weights: ProjectionWeights;
} {
  const sources = new Set(options.sources ?? DEFAULTS.sources);
  for (const s of sources)
    if (!PROJECTION_SOURCES.includes(s))
      throw new GraphError(MODULE, `unknown source '${s}', expected one of ${PROJECTION_SOURCES.join(', ')}`);
  const weights: ProjectionWeights = {
    ...DEFAULTS.weights,
    ...options.weights,
    journey: { ...DEFAULTS.weights.journey, ...options.weights?.journey },
    solicitation: { ...DEFAULTS.weights.solicitation, ...options.weights?.solicitation },
  };
  checkWeights(weights);
  return { sources, weights };
}

/** A required id of a row: a non-empty string, else a GraphError naming the row's source and field. */
function need(value: string | null | undefined, what: string, source: string): string {
  if (typeof value !== 'string' || value === '')
    throw new GraphError(MODULE, `${source} row has no ${what} (got ${JSON.stringify(value)})`);
  return value;
}

/** The builder's state: interned nodes (key, kind, index by kind), summed pair weights, rows per source. */
class ProjectionAccumulator implements ProjectionBuilder {
  private readonly keys: string[] = [];
  private readonly kinds: number[] = [];
  private readonly index = new Map<string, number>();
  private readonly pairs = new Map<number, number>();
  private readonly rows: Record<ProjectionSource, number> = {
    holdings: 0,
    journeys: 0,
    solicitations: 0,
    assignments: 0,
    profile: 0,
  };
  // One id map per kind: no key string is built per row, only per new node.
  private readonly byKind = new Map<NodeKind, Map<string, number>>(NODE_KINDS.map((k) => [k, new Map()]));

  constructor(
    private readonly sources: ReadonlySet<ProjectionSource>,
    private readonly weights: ProjectionWeights,
  ) {}

  addNodes(kind: NodeKind, ids: readonly string[]): void {
    if (!KIND_INDEX.has(kind))
      throw new GraphError(MODULE, `unknown node kind '${kind}', expected one of ${NODE_KINDS.join(', ')}`);
    for (const id of ids) this.node(kind, need(id, 'id', 'addNodes'));
  }

  add(page: readonly ProjectionRow[]): void {
    for (const row of page) {
      this.rows[row.source]++;
      if (!this.sources.has(row.source)) continue;
      this.addRow(row);
    }
  }

  build(): Projection {
    const n = this.keys.length;
    const m = this.pairs.size;
    const kindArray = Uint8Array.from(this.kinds);
    const csr = csrFromPairs(n, this.pairs, MAX_NODES, this.keys.slice());
    return {
      csr,
      kinds: kindArray,
      index: new Map(this.index),
      rows: { ...this.rows },
      edgeCount: m,
      nodesOf(kind) {
        const want = KIND_INDEX.get(kind)!;
        const out: number[] = [];
        for (let i = 0; i < n; i++) if (kindArray[i] === want) out.push(i);
        return Int32Array.from(out);
      },
      toGraph() {
        return csrToGraph(csr, (u) => ({ kind: NODE_KINDS[kindArray[u]!]! }));
      },
    };
  }

  /** The edges of one row of a source in use. */
  private addRow(row: ProjectionRow): void {
    const { weights } = this;
    switch (row.source) {
      case 'holdings': {
        const c = this.node('client', need(row.clientId, 'clientId', 'holdings'));
        const p = this.node('product', need(row.productId, 'productId', 'holdings'));
        this.edge(c, p, row.closedAt ? weights.holdingClosed : weights.holdingOpen);
        break;
      }
      case 'journeys': {
        const c = this.node('client', need(row.clientId, 'clientId', 'journeys'));
        const w = weights.journey[row.type];
        if (w === undefined) throw new GraphError(MODULE, `journeys row has unknown type '${row.type}'`);
        if (row.productId) this.edge(c, this.node('product', row.productId), w);
        break;
      }
      case 'solicitations': {
        const c = this.node('client', need(row.clientId, 'clientId', 'solicitations'));
        const w = weights.solicitation[row.outcome];
        if (w === undefined)
          throw new GraphError(MODULE, `solicitations row has unknown outcome '${row.outcome}'`);
        this.edge(c, this.node('product', need(row.productId, 'productId', 'solicitations')), w);
        const responded =
          row.outcome === 'opened' || row.outcome === 'clicked' || row.outcome === 'converted';
        if (responded && weights.solicitationChannel > 0)
          this.edge(
            c,
            this.node('channel', need(row.channelId, 'channelId', 'solicitations')),
            weights.solicitationChannel,
          );
        break;
      }
      case 'assignments': {
        const c = this.node('client', need(row.clientId, 'clientId', 'assignments'));
        if (row.advisorId && weights.advisor > 0)
          this.edge(c, this.node('advisor', row.advisorId), weights.advisor);
        if (row.branchId && weights.branch > 0)
          this.edge(c, this.node('branch', row.branchId), weights.branch);
        break;
      }
      case 'profile': {
        const c = this.node('client', need(row.clientId, 'clientId', 'profile'));
        if (weights.profile > 0)
          for (const a of row.attributes) if (a) this.edge(c, this.node('attribute', a), weights.profile);
        break;
      }
      default: {
        const never: never = row;
        throw new GraphError(MODULE, `unknown row source in ${JSON.stringify(never)}`);
      }
    }
  }

  /** The index of node (kind, id), interned on first sight. */
  private node(kind: NodeKind, id: string): number {
    const ids = this.byKind.get(kind)!;
    let i = ids.get(id);
    if (i === undefined) {
      i = this.keys.length;
      if (i >= MAX_NODES) throw new GraphError(MODULE, `more than ${MAX_NODES} nodes`);
      const key = `${kind}:${id}`;
      ids.set(id, i);
      this.index.set(key, i);
      this.keys.push(key);
      this.kinds.push(KIND_INDEX.get(kind)!);
    }
    return i;
  }

  /** Adds w to the weight of the pair {a, b} (nothing for w = 0). */
  private edge(a: number, b: number, w: number): void {
    if (w === 0) return;
    const k = a < b ? a * MAX_NODES + b : b * MAX_NODES + a;
    this.pairs.set(k, (this.pairs.get(k) ?? 0) + w);
  }
}

/**
 * Accumulates bank rows into a weighted undirected graph, page by page, with O(1) work per row:
 * nodes are interned to integers and parallel edges of one pair sum their weights in a Map keyed by
 * the pair. Shapes: n nodes (clients, products, channels, advisors, branches seen), m distinct pairs.
 */
export function createProjectionBuilder(options: Partial<ProjectionOptions> = {}): ProjectionBuilder {
  const { sources, weights } = resolveOptions(options);
  return new ProjectionAccumulator(sources, weights);
}
