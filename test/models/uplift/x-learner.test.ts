import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionScores } from '../../../src/models/model.js';
import { loadOutcomeModel } from '../../../src/models/suite/load-model.js';
import { mixingWeights, XLearner } from '../../../src/models/uplift/x-learner.js';
import { syntheticExamples } from '../synthetic-examples.js';
import { upliftQuality } from './uplift-quality.js';

const train = syntheticExamples({ n: 20_000, seed: 3, logging: 'naive' });
const test = syntheticExamples({ n: 4_000, seed: 4, kind: 'decide' });
const mu = Float32Array.from(train.truth.mu);

describe('XLearner on biased logs', () => {
  let x: XLearner;
  let xs: ActionScores;
  const dir = mkdtempSync(join(tmpdir(), 'nbg-x-learner-'));

  beforeAll(async () => {
    x = new XLearner({ propensities: mu, seed: 5, members: 2 });
    await x.fit(train.examples);
    xs = await x.predict(test.examples);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ranks the learnable uplift and the action value, and finds the sleeping dogs', () => {
    const q = upliftQuality(xs, test.truth, test.examples);
    console.log('X-learner quality', JSON.stringify(q));
    expect(q.spearman).toBeGreaterThan(0.55);
    expect(q.valueAuuc).toBeGreaterThan(0.7);
    expect(q.negativeShare).toBeGreaterThan(0.5);
  });

  it('mixes with small propensity weights and saves and loads back identically', async () => {
    const g = x.describe().metrics.meanMixingWeight!;
    expect(g).toBeGreaterThan(0.01);
    expect(g).toBeLessThan(0.3);
    await x.save(dir);
    const loaded = await loadOutcomeModel(dir);
    expect(loaded.kind).toBe('uplift-x-learner');
    const again = await loaded.predict(test.examples);
    expect(Array.from(again.pContact)).toEqual(Array.from(xs.pContact));
  });
});

describe('mixingWeights', () => {
  it('averages μ_c / (μ_c + μ_0) per product and channel', () => {
    const { examples } = syntheticExamples({ n: 2, seed: 1 });
    const rows = {
      ...examples,
      product: Int32Array.from([0, 0]),
      treatment: Int8Array.from([-1, -1]),
      loggedPropensity: Float32Array.from([Number.NaN, Number.NaN]),
    };
    const mu = Float32Array.from([0.1, 0.1, 0, 0.8, 0.3, 0, 0, 0.7]);
    const g = mixingWeights(rows, mu);
    expect(g[0]).toBeCloseTo((0.1 / 0.9 + 0.3 / 1.0) / 2, 6);
    expect(g[1]).toBeCloseTo(0.1 / 0.9 / 2, 6);
    expect(g[2]).toBe(0);
    expect(g[3]).toBe(0); // product 1 has no rows
  });
});
