import { describe, expect, it } from 'vitest';
import type { ProjectionRow } from '../../graph/index.js';
import { analyzeGraph } from '../../src/analyze/graph-analysis.js';
import { ErrorCode, NbgError } from '../../src/errors.js';

/** 800 clients of 4 planted groups: each group has its segment and its two favourite products. */
function rows(): ProjectionRow[][] {
  let s = 21;
  const next = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const out: ProjectionRow[] = [];
  for (let i = 0; i < 800; i++) {
    const g = i % 4;
    const clientId = `C${String(i).padStart(4, '0')}`;
    out.push({ source: 'profile', clientId, attributes: [`segment=s${g}`, `birth=${1950 + 10 * g}`] });
    for (let p = 0; p < 8; p++) {
      const rate = p === 2 * g || p === 2 * g + 1 ? 0.8 : 0.05;
      if (next() < rate) out.push({ source: 'holdings', clientId, productId: `P${p}`, closedAt: null });
    }
  }
  return [out.slice(0, 1000), out.slice(1000)];
}

const catalog = { products: Array.from({ length: 8 }, (_, p) => `P${p}`), channels: [] };

describe('analyze/graph-analysis', () => {
  it('finds the planted groups, the same on one thread or two and for the same seed', async () => {
    const one = await analyzeGraph(rows(), catalog, { seed: 5, threads: 1, dimensions: 32, k: 10 });
    const two = await analyzeGraph(rows(), catalog, { seed: 5, threads: 2, dimensions: 32, k: 10 });
    expect(Array.from(two.similar.indices)).toEqual(Array.from(one.similar.indices));
    expect(Array.from(two.community)).toEqual(Array.from(one.community));
    expect(one.clientIds).toHaveLength(800);
    // Every community is one planted group (i % 4) and the kNN graph is modular.
    const groupOf = new Map<number, number>();
    one.clientIds.forEach((id, i) => {
      const g = Number(id.slice(1)) % 4;
      const c = one.community[i]!;
      if (!groupOf.has(c)) groupOf.set(c, g);
      expect(groupOf.get(c)).toBe(g);
    });
    expect(one.modularity).toBeGreaterThan(0.5);
    expect(one.projectionModularity).toBeGreaterThan(0);
    expect(one.projectionModularity).toBeLessThan(one.modularity);
  });

  it('refuses a graph without clients with NOT_FOUND, whether it has no row or only catalogue nodes', async () => {
    for (const pages of [[], [[]]]) {
      const failure = await analyzeGraph(pages, catalog, { seed: 5 }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(NbgError);
      expect(failure).toMatchObject({
        code: ErrorCode.NOT_FOUND,
        message: 'analyze: the graph has no clients',
        hint: 'run `nbg ingest DIR` first',
      });
    }
  });
});
