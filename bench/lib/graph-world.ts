/**
 * Bank worlds for the graph benchmarks (bench/graph.ts, bench/analyze-graph.ts): a synthetic one
 * made here (personas x products with planted holding rates, journey intent and profile values) or
 * a dataset folder of the data contract with its truth/clients.csv (personas), read with the one
 * CSV reader. One holding of a share of the clients holding two or more is held out, and every
 * edge of that (client, product) pair is removed from the rows (holdings, journeys, solicitations
 * alike), so nothing leaks it.
 */
import { join } from 'node:path';
import {
  type JourneyEventType,
  type ProjectionRow,
  rocAuc,
  type SolicitationOutcome,
  type TopKResult,
} from '../../graph/index.js';
import { readCsv } from '../../src/csv/reader.js';
import { createRng } from '../../src/rng.js';

/** A world as the bench needs it: rows for the builder, personas and the held-out pairs. */
export interface World {
  readonly name: string;
  readonly clientIds: string[];
  readonly persona: string[];
  readonly productIds: string[];
  /** Pages of rows with every held-out pair already removed. */
  readonly pages: AsyncIterable<ProjectionRow[]> | Iterable<ProjectionRow[]>;
  /** Visible holdings, clients x products (1 held). */
  readonly held: Uint8Array;
  /** Held-out product per client, -1 when none. */
  readonly hidden: Int32Array;
}

// ---------- synthetic world ----------

export function syntheticWorld(
  clients: number,
  personas: number,
  products: number,
  o: { seed: number; holdoutFraction: number },
): World {
  const rng = createRng(o.seed).fork('graph-bench-world');
  // Persona profiles: each persona has 2-3 core products (rate ~0.7), the rest rare (~0.05), plus a
  // universal current account held by nearly everyone.
  const rates = new Float64Array(personas * products);
  for (let p = 0; p < personas; p++) {
    for (let j = 0; j < products; j++) rates[p * products + j] = 0.03 + 0.07 * rng.next();
    rates[p * products] = 0.95;
    const core = 2 + rng.int(2);
    for (let c = 0; c < core; c++) rates[p * products + 1 + rng.int(products - 1)] = 0.5 + 0.4 * rng.next();
  }
  const weights = Array.from({ length: personas }, () => 0.5 + rng.next());
  // Profile: each persona has a typical segment (70%) and an age centre; clients get 5-year bands.
  const SEGMENTS = ['mass', 'affluent', 'private', 'professional', 'young'];
  const personaSegment = Array.from({ length: personas }, () => rng.int(SEGMENTS.length));
  const personaAge = Array.from({ length: personas }, () => 20 + rng.int(55));
  const clientIds = Array.from({ length: clients }, (_, i) => `C${String(i).padStart(7, '0')}`);
  const productIds = Array.from({ length: products }, (_, j) => `P${String(j).padStart(2, '0')}`);
  const personaIx = new Int32Array(clients);
  const truthHeld = new Uint8Array(clients * products);
  for (let i = 0; i < clients; i++) {
    const p = rng.weighted(weights);
    personaIx[i] = p;
    for (let j = 0; j < products; j++)
      truthHeld[i * products + j] = rng.bernoulli(rates[p * products + j]!) ? 1 : 0;
  }
  const { held, hidden } = holdOut(truthHeld, clients, products, o);
  const EVENT_TYPES: JourneyEventType[] = ['page_view', 'search', 'simulation', 'form_start', 'form_submit'];
  function* pages(): Generator<ProjectionRow[]> {
    const r = rng.fork('rows');
    let page: ProjectionRow[] = [];
    for (let i = 0; i < clients; i++) {
      const c = clientIds[i]!;
      const p = personaIx[i]!;
      const segment = r.bernoulli(0.7) ? personaSegment[p]! : r.int(SEGMENTS.length);
      const age = Math.max(18, Math.round(personaAge[p]! + 8 * r.normal()));
      page.push({
        source: 'profile',
        clientId: c,
        attributes: [`segment=${SEGMENTS[segment]}`, `age=${Math.floor(age / 5) * 5}`],
      });
      for (let j = 0; j < products; j++) {
        if (held[i * products + j]) page.push({ source: 'holdings', clientId: c, productId: productIds[j]! });
        // Journey interest in persona products the client does not hold yet (intent), and noise.
        if (j === hidden[i]) continue;
        const intent = held[i * products + j] ? 0.05 : rates[p * products + j]! * 0.3;
        if (r.bernoulli(intent))
          page.push({
            source: 'journeys',
            clientId: c,
            productId: productIds[j]!,
            type: EVENT_TYPES[r.int(5)]!,
          });
      }
      if (page.length >= 4096) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  }
  return {
    name: `synthetic ${clients.toLocaleString('en')} clients, ${personas} personas, ${products} products`,
    clientIds,
    persona: Array.from(personaIx, (p) => `persona${p}`),
    productIds,
    pages: pages(),
    held,
    hidden,
  };
}

/** Hides one random holding of a random share (holdoutFraction) of the clients holding two or more. */
function holdOut(
  truthHeld: Uint8Array,
  clients: number,
  products: number,
  o: { seed: number; holdoutFraction: number },
): { held: Uint8Array; hidden: Int32Array } {
  const rng = createRng(o.seed).fork('graph-bench-holdout');
  const held = truthHeld.slice();
  const hidden = new Int32Array(clients).fill(-1);
  const fraction = o.holdoutFraction;
  for (let i = 0; i < clients; i++) {
    if (!rng.bernoulli(fraction)) continue;
    let count = 0;
    for (let j = 0; j < products; j++) count += truthHeld[i * products + j]!;
    if (count < 2) continue;
    let pick = rng.int(count);
    for (let j = 0; j < products; j++)
      if (truthHeld[i * products + j] && pick-- === 0) {
        hidden[i] = j;
        held[i * products + j] = 0;
        break;
      }
  }
  return { held, hidden };
}

// ---------- a dataset folder ----------

async function* records(path: string): AsyncGenerator<{ col: Map<string, number>; rows: string[][] }> {
  let col: Map<string, number> | null = null;
  for await (const batch of readCsv(path)) {
    let rows = batch.map((r) => r.fields);
    if (!col) {
      col = new Map(rows[0]!.map((name, i) => [name, i]));
      rows = rows.slice(1);
    }
    yield { col, rows };
  }
}

function column(col: Map<string, number>, name: string, file: string): number {
  const i = col.get(name);
  if (i === undefined) throw new Error(`bench/lib/graph-world: ${file} has no column ${name}`);
  return i;
}

export async function folderWorld(dir: string, o: { seed: number; holdoutFraction: number }): Promise<World> {
  const clientIds: string[] = [];
  const persona: string[] = [];
  const clientIx = new Map<string, number>();
  for await (const { col, rows } of records(join(dir, 'truth', 'clients.csv'))) {
    const ci = column(col, 'client_id', 'truth/clients.csv');
    const pi = column(col, 'persona', 'truth/clients.csv');
    for (const r of rows) {
      clientIx.set(r[ci]!, clientIds.length);
      clientIds.push(r[ci]!);
      persona.push(r[pi]!);
    }
  }
  const productIds: string[] = [];
  for await (const { col, rows } of records(join(dir, 'products.csv'))) {
    const pi = column(col, 'product_id', 'products.csv');
    for (const r of rows) productIds.push(r[pi]!);
  }
  const productIx = new Map(productIds.map((p, j) => [p, j]));
  const n = clientIds.length;
  const P = productIds.length;
  // Currently open holdings are the ones to predict; closed ones stay as weak edges.
  const truthHeld = new Uint8Array(n * P);
  for await (const { col, rows } of records(join(dir, 'holdings.csv'))) {
    const c = column(col, 'client_id', 'holdings.csv');
    const p = column(col, 'product_id', 'holdings.csv');
    const closed = column(col, 'closed_at', 'holdings.csv');
    for (const r of rows) if (!r[closed]) truthHeld[clientIx.get(r[c]!)! * P + productIx.get(r[p]!)!] = 1;
  }
  const { held, hidden } = holdOut(truthHeld, n, P, o);
  const isHidden = (client: string, product: string | undefined): boolean => {
    const i = clientIx.get(client);
    return i !== undefined && product !== undefined && hidden[i] === productIx.get(product);
  };
  async function* pages(): AsyncGenerator<ProjectionRow[]> {
    for await (const { col, rows } of records(join(dir, 'clients.csv'))) {
      const c = column(col, 'client_id', 'clients.csv');
      const seg = column(col, 'segment', 'clients.csv');
      const birth = column(col, 'birth_year', 'clients.csv');
      const income = column(col, 'income_band', 'clients.csv');
      const risk = column(col, 'risk_profile', 'clients.csv');
      const fragile = column(col, 'financially_fragile', 'clients.csv');
      yield rows.map((r) => ({
        source: 'profile',
        clientId: r[c]!,
        attributes: [
          `segment=${r[seg]}`,
          `birth=${Math.floor(Number(r[birth]) / 5) * 5}`,
          `income=${r[income]}`,
          `risk=${r[risk]}`,
          `fragile=${r[fragile]}`,
        ],
      }));
    }
    for await (const { col, rows } of records(join(dir, 'holdings.csv'))) {
      const c = column(col, 'client_id', 'holdings.csv');
      const p = column(col, 'product_id', 'holdings.csv');
      const closed = column(col, 'closed_at', 'holdings.csv');
      yield rows
        .filter((r) => !isHidden(r[c]!, r[p]))
        .map((r) => ({ source: 'holdings', clientId: r[c]!, productId: r[p]!, closedAt: r[closed] || null }));
    }
    for await (const { col, rows } of records(join(dir, 'events.csv'))) {
      const c = column(col, 'client_id', 'events.csv');
      const p = column(col, 'product_id', 'events.csv');
      const t = column(col, 'type', 'events.csv');
      yield rows
        .filter((r) => r[p] && !isHidden(r[c]!, r[p]))
        .map((r) => ({
          source: 'journeys',
          clientId: r[c]!,
          productId: r[p]!,
          type: r[t] as JourneyEventType,
        }));
    }
    for await (const { col, rows } of records(join(dir, 'solicitations.csv'))) {
      const c = column(col, 'client_id', 'solicitations.csv');
      const p = column(col, 'product_id', 'solicitations.csv');
      const ch = column(col, 'channel_id', 'solicitations.csv');
      const o = column(col, 'outcome', 'solicitations.csv');
      yield rows
        .filter((r) => !isHidden(r[c]!, r[p]))
        .map((r) => ({
          source: 'solicitations',
          clientId: r[c]!,
          productId: r[p]!,
          channelId: r[ch]!,
          outcome: r[o] as SolicitationOutcome,
        }));
    }
  }
  return {
    name: `dataset ${dir} (${n.toLocaleString('en')} clients)`,
    clientIds,
    persona,
    productIds,
    pages: pages(),
    held,
    hidden,
  };
}

/**
 * AUC of ranking each held-out product among the products its client does not visibly hold, by
 * the similarity-weighted share of the client's nearest clients holding it (popularity breaks ties;
 * with shrinkage a > 0 the share shrinks toward the popularity rate: (sum_r s_r held_rj + a rate_j) /
 * (sum_r s_r + a)), against ranking by popularity alone. `top` rows and indices are positions that
 * `toWorld` maps to the world's clients.
 */
export function heldOutAuc(
  world: World,
  top: TopKResult,
  toWorld: Int32Array,
  shrinkage = 0,
): { knn: number; popularity: number; clients: number } {
  const n = world.clientIds.length;
  const P = world.productIds.length;
  const popularity = new Float64Array(P);
  for (let i = 0; i < n; i++) for (let j = 0; j < P; j++) popularity[j]! += world.held[i * P + j]!;
  const knnScores: number[] = [];
  const popScores: number[] = [];
  const labels: number[] = [];
  const share = new Float64Array(P);
  const { k, indices, scores } = top;
  for (let q = 0; q < top.queryCount; q++) {
    const i = toWorld[q]!;
    if (i < 0 || world.hidden[i]! < 0) continue;
    share.fill(0);
    let mass = 0;
    for (let r = 0; r < k; r++) {
      const v = indices[q * k + r]!;
      if (v < 0) continue;
      const other = toWorld[v]!;
      const w = Math.max(0, scores[q * k + r]!);
      mass += w;
      for (let j = 0; j < P; j++) share[j]! += w * world.held[other * P + j]!;
    }
    for (let j = 0; j < P; j++) {
      if (world.held[i * P + j]) continue;
      const rate = popularity[j]! / n;
      knnScores.push(
        shrinkage > 0 ? (share[j]! + shrinkage * rate) / (mass + shrinkage) : share[j]! + 1e-6 * rate,
      );
      popScores.push(popularity[j]!);
      labels.push(j === world.hidden[i] ? 1 : 0);
    }
  }
  return {
    knn: rocAuc(knnScores, labels),
    popularity: rocAuc(popScores, labels),
    clients: world.hidden.filter((h) => h >= 0).length,
  };
}
