import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { simulate } from '../../src/simulate/index.js';

/**
 * The personas are a real community structure: a plain pipeline (client vectors of held products
 * weighted by IDF, journey events per product and client attributes; cosine 15-NN graph; Louvain)
 * finds them again with NMI >= 0.5. The files have no quoted fields in the columns read here.
 */
// The package's types describe an ES default export; at run time the CommonJS module is the function.
const louvain = louvainModule as unknown as typeof louvainModule.default;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nbg-sim-personas-'));
  await simulate({ out: dir, clients: 1500, seed: 3 });
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function rows(file: string): string[][] {
  return readFileSync(join(dir, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
}

function nmi(a: readonly string[], b: readonly string[]): number {
  const n = a.length;
  const count = (xs: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const cab = count(a.map((x, i) => `${x}\u0000${b[i]}`));
  const h = (m: Map<string, number>): number =>
    -[...m.values()].reduce((s, v) => s + (v / n) * Math.log(v / n), 0);
  let mi = 0;
  for (const [k, v] of cab) {
    const [x, y] = k.split('\u0000') as [string, string];
    mi += (v / n) * Math.log(v / n / ((ca.get(x)! / n) * (cb.get(y)! / n)));
  }
  return (2 * mi) / (h(ca) + h(cb));
}

describe('simulate: personas', () => {
  it('are found again by Louvain on a 15-NN client graph with NMI >= 0.5', () => {
    const clients = rows('clients.csv');
    const index = new Map(clients.map((r, i) => [r[0]!, i]));
    const products = rows('products.csv').map((r) => r[0]!);
    const pIndex = new Map(products.map((p, i) => [p, i]));
    const P = products.length;
    const D = 2 * P + 8;
    const n = clients.length;
    const x = new Float64Array(n * D);
    for (const r of rows('holdings.csv')) x[index.get(r[0]!)! * D + pIndex.get(r[1]!)!] = 1;
    for (const r of rows('events.csv')) if (r[6]) x[index.get(r[1]!)! * D + P + pIndex.get(r[6]!)!]! += 1;
    const df = new Float64Array(P);
    for (let i = 0; i < n; i++) for (let p = 0; p < P; p++) df[p]! += x[i * D + p]!;
    const segments = ['mass', 'affluent', 'private', 'professional', 'young'];
    clients.forEach((r, i) => {
      const o = i * D;
      for (let p = 0; p < P; p++) {
        x[o + p]! *= Math.log(n / (1 + df[p]!));
        x[o + P + p] = 0.5 * Math.log1p(x[o + P + p]!);
      }
      x[o + 2 * P + segments.indexOf(r[2]!)] = 1;
      x[o + 2 * P + 5] = (2024 - Number(r[1])) / 20;
      x[o + 2 * P + 6] = Number(r[3]) / 3;
      x[o + 2 * P + 7] = r[8] === 'true' ? 1 : 0;
      let norm = 0;
      for (let d = 0; d < D; d++) norm += x[o + d]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let d = 0; d < D; d++) x[o + d]! /= norm;
    });
    const g = new UndirectedGraph();
    for (let i = 0; i < n; i++) g.addNode(i);
    const sim = new Float64Array(n);
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let d = 0; d < D; d++) s += x[i * D + d]! * x[j * D + d]!;
        sim[j] = j === i ? -1 : s;
      }
      order.sort((a, b) => sim[b]! - sim[a]! || a - b);
      for (const j of order.slice(0, 15))
        if (!g.hasEdge(i, j)) g.addEdge(i, j, { weight: Math.max(1e-6, sim[j]!) });
    }
    const rng = createRng(1);
    const community = louvain(g, { rng: () => rng.next() });
    const persona = new Map(rows('truth/clients.csv').map((r) => [r[0]!, r[1]!]));
    const found = clients.map((_, i) => String(community[i]));
    const truth = clients.map((r) => persona.get(r[0]!)!);
    expect(new Set(truth).size).toBe(8);
    expect(nmi(found, truth)).toBeGreaterThanOrEqual(0.5);
  });
});
