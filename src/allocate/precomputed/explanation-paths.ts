/**
 * Explanation paths: real paths of the graph from a client to a product it could be offered, by
 * kind (read/explanation-paths, at most 4 per product: similar clients holding it, the client's
 * journey events and verbatims about it, community members and same-advisor clients holding it).
 * The API reads them live for a served product; `nbg score` reads them with the scores, for every
 * product a client could be served, and stores them on its ScoreSet as one compact text
 * (`encodeClientPaths`): each path's kind fixes its labels, relationship types and directions, so
 * only its middle node ids are kept, and `decodeClientPaths` rebuilds exactly the paths read.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { ErrorCode, NbgError } from '../../errors.js';

export const explanationPathsQuery = query('read/explanation-paths');

export interface PathNode {
  id: string;
  label: string;
}
export interface PathRelationship {
  type: string;
  from: string;
  to: string;
}
export interface ExplanationPath {
  kind: string;
  nodes: PathNode[];
  relationships: PathRelationship[];
}

/** A request of read/explanation-paths: the client and the products to explain. */
export interface PathRequest {
  readonly clientId: string;
  readonly productIds: readonly string[];
}

/** One row of read/explanation-paths (`i`: the index of its request). */
export interface PathRow {
  i: number;
  productId: string;
  kind: string;
  nodes: PathNode[];
  rels: PathRelationship[];
}

/** Rows of read/explanation-paths as paths, grouped by product id (the read's order kept). */
export function pathsByProduct(rows: readonly PathRow[]): Map<string, ExplanationPath[]> {
  const out = new Map<string, ExplanationPath[]>();
  for (const r of rows) {
    const list = out.get(String(r.productId)) ?? [];
    list.push({ kind: String(r.kind), nodes: r.nodes, relationships: r.rels });
    out.set(String(r.productId), list);
  }
  return out;
}

/** The paths of each request's products, by product id (one read; a product with none is absent). */
export async function readExplanationPaths(
  db: Db,
  requests: readonly PathRequest[],
): Promise<Map<string, ExplanationPath[]>[]> {
  const rows: PathRow[][] = requests.map(() => []);
  if (requests.length > 0) {
    for (const r of await db.read<PathRow & Record<string, unknown>>(explanationPathsQuery, { requests }))
      rows[Number(r.i)]!.push(r);
  }
  return rows.map(pathsByProduct);
}

/**
 * The shape of each kind: the labels of the nodes between the client and the product, the
 * relationship types along the path, and which relationships point back towards the client.
 */
const KINDS: Readonly<Record<string, { code: string; labels: string[]; types: string[]; back: boolean[] }>> =
  {
    'similar-client': { code: 's', labels: ['Client'], types: ['SIMILAR_TO', 'HOLDS'], back: [false, false] },
    'journey-event': { code: 'e', labels: ['Event'], types: ['DID', 'ABOUT'], back: [false, false] },
    verbatim: { code: 'v', labels: ['Verbatim'], types: ['WROTE', 'ABOUT'], back: [false, false] },
    community: {
      code: 'k',
      labels: ['Community', 'Client'],
      types: ['IN_COMMUNITY', 'IN_COMMUNITY', 'HOLDS'],
      back: [false, true, false],
    },
    'same-advisor': {
      code: 'a',
      labels: ['Advisor', 'Client'],
      types: ['MANAGED_BY', 'MANAGED_BY', 'HOLDS'],
      back: [false, true, false],
    },
  };
const KIND_OF_CODE = new Map(Object.entries(KINDS).map(([kind, k]) => [k.code, kind]));
/** Marks a SIMILAR_TO stored from the similar client to the client (the relationship is undirected in the read). */
const REVERSED = '<';

/** A path of a known kind as [code, ...middle ids]; rebuilt by `expandPath`. */
export type CompactPath = string[];
type Compact = CompactPath;

/** The path `compactPath` gave, from the client to the product. */
export function expandPath(clientId: string, productId: string, c: Compact): ExplanationPath {
  const [code = '', ...middle] = c;
  const reversed = code.endsWith(REVERSED);
  const kind = KIND_OF_CODE.get(reversed ? code.slice(0, -1) : code);
  const shape = kind === undefined ? undefined : KINDS[kind];
  if (kind === undefined || shape === undefined || middle.length !== shape.labels.length) {
    throw new NbgError(
      ErrorCode.INTERNAL,
      `allocate/explanation-paths: client ${clientId}, product ${productId}: stored path ${JSON.stringify(c)} is not of a known kind`,
    );
  }
  const ids = [clientId, ...middle, productId];
  const nodes = ids.map((id, k) => ({
    id,
    label: k === 0 ? 'Client' : k === ids.length - 1 ? 'Product' : shape.labels[k - 1]!,
  }));
  const relationships = shape.types.map((type, k) => {
    const back = shape.back[k] !== (k === 0 && reversed);
    const [from, to] = back ? [ids[k + 1]!, ids[k]!] : [ids[k]!, ids[k + 1]!];
    return { type, from, to };
  });
  return { kind, nodes, relationships };
}

/**
 * The compact form of a path from the client to the product (its kind's code and middle node ids),
 * or undefined when the path is not exactly of its kind's shape.
 */
export function compactPath(clientId: string, productId: string, p: ExplanationPath): Compact | undefined {
  const shape = KINDS[p.kind];
  if (shape === undefined) return undefined;
  const middle = p.nodes.slice(1, -1).map((n) => n.id);
  const reversed = p.relationships[0]?.from !== clientId;
  const c = [shape.code + (reversed ? REVERSED : ''), ...middle];
  if (middle.length !== shape.labels.length || (reversed && p.kind !== 'similar-client')) return undefined;
  return isDeepStrictEqual(expandPath(clientId, productId, c), p) ? c : undefined;
}

/**
 * One client's paths per product as one text (JSON of product id → compact paths); a product with
 * no path is kept (as []), so it is known to have none. A product with a path of an unexpected
 * shape is left out: the API then reads its paths live.
 */
export function encodeClientPaths(
  clientId: string,
  byProduct: ReadonlyMap<string, readonly ExplanationPath[]>,
): string {
  const out: Record<string, Compact[]> = {};
  for (const [productId, paths] of byProduct) {
    const list = paths.map((p) => compactPath(clientId, productId, p));
    if (list.every((c) => c !== undefined)) out[productId] = list as Compact[];
  }
  return JSON.stringify(out);
}

/** The paths `encodeClientPaths` stored, per product id (only the products it stored). */
export function decodeClientPaths(clientId: string, text: string): Map<string, ExplanationPath[]> {
  const parsed = JSON.parse(text) as Record<string, Compact[]>;
  const out = new Map<string, ExplanationPath[]>();
  for (const [productId, list] of Object.entries(parsed)) {
    out.set(
      productId,
      list.map((c) => expandPath(clientId, productId, c)),
    );
  }
  return out;
}
