import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionScores } from '../../../src/models/model.js';
import { loadOutcomeModel } from '../../../src/models/suite/load-model.js';
import { DrLearner, pseudoOutcomes } from '../../../src/models/uplift/dr-learner.js';
import { TLearner } from '../../../src/models/uplift/t-learner.js';
import { syntheticExamples } from '../synthetic-examples.js';
import { upliftQuality } from './uplift-quality.js';

const train = syntheticExamples({ n: 20_000, seed: 3, logging: 'naive' });
const test = syntheticExamples({ n: 4_000, seed: 4, kind: 'decide' });
const mu = Float32Array.from(train.truth.mu);

describe('DrLearner on biased logs', () => {
  let dr: DrLearner;
  let ds: ActionScores;
  let ns: ActionScores;
  const dir = mkdtempSync(join(tmpdir(), 'nbg-dr-learner-'));

  beforeAll(async () => {
    dr = new DrLearner({ propensities: mu, seed: 5, members: 2 });
    await dr.fit(train.examples);
    ds = await dr.predict(test.examples);
    const naive = new TLearner({ propensities: mu, seed: 5, members: 2, weighting: 'none' });
    await naive.fit(train.examples);
    ns = await naive.predict(test.examples);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ranks the learnable uplift better than the unweighted T-learner, and finds the sleeping dogs', () => {
    const d = upliftQuality(ds, test.truth, test.examples);
    const n = upliftQuality(ns, test.truth, test.examples);
    console.log('DR-learner quality', JSON.stringify({ dr: d, unweightedT: n }));
    expect(d.spearman).toBeGreaterThan(0.65);
    expect(d.auuc).toBeGreaterThan(0.6);
    expect(d.spearman).toBeGreaterThan(n.spearman);
    expect(d.auuc).toBeGreaterThan(n.auuc);
    expect(d.negativeShare).toBeGreaterThan(0.5);
    expect(n.negativeShare).toBeLessThan(0.3);
  });

  it('reports its pseudo-outcomes and saves and loads back identically', async () => {
    const m = dr.describe().metrics;
    expect(m.pseudoOutcomeMeanAbs).toBeGreaterThan(0);
    expect(m.pseudoOutcomeMaxAbs).toBeLessThanOrEqual(1 / 0.01 + 1);
    await dr.save(dir);
    const loaded = await loadOutcomeModel(dir);
    expect(loaded.kind).toBe('uplift-dr-learner');
    const again = await loaded.predict(test.examples);
    expect(Array.from(again.pContact)).toEqual(Array.from(ds.pContact));
    expect(Array.from(again.upliftSd!)).toEqual(Array.from(ds.upliftSd!));
  });
});

describe('pseudoOutcomes', () => {
  it('adds the weighted residual of the logged action to the plug-in uplift', () => {
    const { examples } = syntheticExamples({ n: 3, seed: 1 });
    const rows = {
      ...examples,
      treatment: Int8Array.from([1, -1, 0]),
      outcome: Uint8Array.from([1, 1, 0]),
      loggedPropensity: Float32Array.from([0.2, Number.NaN, 0.005]),
    };
    // μ matrix (C = 3, 'none' last): row 1 has μ_0 = 0.5
    const mu = Float32Array.from([0, 0.2, 0, 0.8, 0, 0, 0, 0.5, 0.005, 0, 0, 0.995]);
    const f0 = Float32Array.from([0.1, 0.2, 0.3]);
    const f1 = Float32Array.from([0.15, 0.3, 0.2, 0.25, 0.25, 0.25, 0.4, 0.3, 0.35]);
    const psi = pseudoOutcomes(rows, mu, f0, f1, 0.01).values;
    const expected = [
      0.15 - 0.1,
      0.3 - 0.1 + (1 - 0.3) / 0.2,
      0.2 - 0.1,
      0.25 - 0.2 - (1 - 0.2) / 0.5,
      0.25 - 0.2 - (1 - 0.2) / 0.5,
      0.25 - 0.2 - (1 - 0.2) / 0.5,
      0.4 - 0.3 + (0 - 0.4) / 0.01, // μ 0.005 floored at 0.01
      0.3 - 0.3,
      0.35 - 0.3,
    ];
    for (const [k, v] of expected.entries()) expect(psi[k]).toBeCloseTo(v, 5);
  });
});

describe('DrLearner bad options', () => {
  it.each([
    [{ folds: 1 }, /folds must be an integer in 2..10, got 1/],
    [{ effect: { epochs: 0 } }, /\(effect\): epochs must be an integer ≥ 1, got 0/],
  ])('refuses %j', (options, message) => {
    expect(() => new DrLearner(options)).toThrow(message);
  });
});
