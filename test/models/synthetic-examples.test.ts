import { describe, expect, it } from 'vitest';
import { syntheticExamples } from './synthetic-examples.js';

describe('syntheticExamples (the models tests generator)', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = syntheticExamples({ n: 2000, seed: 1 }).examples;
    const b = syntheticExamples({ n: 2000, seed: 1 }).examples;
    const c = syntheticExamples({ n: 2000, seed: 2 }).examples;
    expect(Array.from(b.treatment)).toEqual(Array.from(a.treatment));
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(c.x)).not.toEqual(Array.from(a.x));
  });

  it('logs a biased policy: favoured rows are contacted several times as often, with exact propensities', () => {
    const { examples: e, truth } = syntheticExamples({ n: 20_000, seed: 3 });
    const rate = [0, 0];
    const count = [0, 0];
    for (let k = 0; k < e.n; k++) {
      const fav = e.x[k * e.schema.pair.length]!;
      count[fav]!++;
      if (e.treatment[k]! >= 0) {
        rate[fav]!++;
        expect(e.loggedPropensity[k]).toBeCloseTo(truth.mu[k * 4 + e.treatment[k]!]!, 6);
      } else expect(Number.isNaN(e.loggedPropensity[k]!)).toBe(true);
    }
    const ratio = rate[1]! / count[1]! / (rate[0]! / count[0]!);
    expect(ratio).toBeGreaterThan(3);
  });

  it('has negative uplift for sleeping dogs and none for lost causes', () => {
    const { truth } = syntheticExamples({ n: 5000, seed: 4 });
    for (let k = 0; k < 5000; k++) {
      for (let c = 0; c < 3; c++) {
        const u = truth.p1[k * 3 + c]! - truth.p0[k]!;
        if (truth.type[k] === 3) expect(u).toBeLessThan(0);
        if (truth.type[k] === 2) expect(u).toBe(0);
        if (truth.type[k] === 0) expect(u).toBeGreaterThan(0);
      }
    }
  });

  it('hides every propensity when asked', () => {
    const { examples: e } = syntheticExamples({ n: 1000, seed: 5, hidePropensities: true });
    expect(Array.from(e.loggedPropensity).every(Number.isNaN)).toBe(true);
    expect(Array.from(e.treatment).some((t) => t >= 0)).toBe(true);
  });
});
