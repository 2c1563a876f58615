import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionScores } from '../../../src/models/model.js';
import { tfBackend } from '../../../src/models/network/tf-backend.js';
import { loadOutcomeModel } from '../../../src/models/suite/load-model.js';
import { TLearner } from '../../../src/models/uplift/t-learner.js';
import { syntheticExamples } from '../synthetic-examples.js';
import { upliftQuality } from './uplift-quality.js';

// Logs of an old targeting that ranked pairs by their own conversion rate (it sees the hidden
// response type): the propensities alone can undo that selection.
const train = syntheticExamples({ n: 20_000, seed: 3, logging: 'naive' });
const test = syntheticExamples({ n: 4_000, seed: 4, kind: 'decide' });
const mu = Float32Array.from(train.truth.mu);
const C = test.examples.channelIds.length;

describe('TLearner on biased logs', () => {
  let weighted: TLearner;
  let naive: TLearner;
  let ws: ActionScores;
  let ns: ActionScores;
  let tensorsBefore = 0;
  let tensorsAfter = 0;
  const dir = mkdtempSync(join(tmpdir(), 'nbg-t-learner-'));

  beforeAll(async () => {
    await tfBackend();
    tensorsBefore = tf.memory().numTensors;
    weighted = new TLearner({ propensities: mu, seed: 5, members: 2 });
    await weighted.fit(train.examples);
    tensorsAfter = tf.memory().numTensors;
    naive = new TLearner({ propensities: mu, seed: 5, members: 2, weighting: 'none' });
    await naive.fit(train.examples);
    ws = await weighted.predict(test.examples);
    ns = await naive.predict(test.examples);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ranks the learnable uplift well, better than the unweighted fit', () => {
    const w = upliftQuality(ws, test.truth, test.examples);
    const n = upliftQuality(ns, test.truth, test.examples);
    console.log('T-learner quality', JSON.stringify({ weighted: w, unweighted: n }));
    expect(w.spearman).toBeGreaterThan(0.6);
    expect(w.auuc).toBeGreaterThan(0.55);
    expect(w.valueAuuc).toBeGreaterThan(0.75);
    expect(w.spearman).toBeGreaterThan(n.spearman);
    expect(w.valueAuuc).toBeGreaterThan(n.valueAuuc);
  });

  it('finds the sleeping dogs: negative uplift where the truth is negative, unlike the unweighted fit', () => {
    const w = upliftQuality(ws, test.truth, test.examples);
    const n = upliftQuality(ns, test.truth, test.examples);
    expect(w.meanWhereNegative).toBeLessThan(0);
    expect(w.negativeShare).toBeGreaterThan(0.4);
    expect(n.negativeShare).toBeLessThan(w.negativeShare - 0.2);
  });

  it('gives probabilities and a bootstrap uncertainty', () => {
    for (let k = 0; k < test.examples.n * C; k++) {
      expect(ws.pContact[k]).toBeGreaterThanOrEqual(0);
      expect(ws.pContact[k]).toBeLessThanOrEqual(1);
    }
    let sd = 0;
    for (const v of ws.upliftSd!) sd += v / ws.upliftSd!.length;
    expect(sd).toBeGreaterThan(0.001);
    expect(sd).toBeLessThan(0.2);
  });

  it('frees every tensor it makes', () => {
    expect(tensorsAfter).toBe(tensorsBefore);
  });

  it('saves and loads back through the model registry with identical predictions', async () => {
    await weighted.save(dir);
    const loaded = await loadOutcomeModel(dir);
    expect(loaded.kind).toBe('uplift-t-learner');
    const again = await loaded.predict(test.examples);
    expect(Array.from(again.pContact)).toEqual(Array.from(ws.pContact));
    expect(Array.from(again.pNoContact)).toEqual(Array.from(ws.pNoContact));
    expect(loaded.describe().metrics.treatedRows).toBe(weighted.describe().metrics.treatedRows);
  });
});

describe('TLearner determinism and bad inputs', () => {
  const small = syntheticExamples({ n: 3_000, seed: 8 });
  const quick = { seed: 2, members: 1, control: { epochs: 2 }, treated: { epochs: 2 } };

  it('gives the same predictions for the same seed, others for another seed', async () => {
    const a = new TLearner(quick);
    const b = new TLearner(quick);
    const c = new TLearner({ ...quick, seed: 3 });
    await a.fit(small.examples);
    await b.fit(small.examples);
    await c.fit(small.examples);
    const pa = await a.predict(small.examples);
    const pb = await b.predict(small.examples);
    const pc = await c.predict(small.examples);
    expect(Array.from(pb.pContact)).toEqual(Array.from(pa.pContact));
    expect(Array.from(pc.pContact)).not.toEqual(Array.from(pa.pContact));
  }, 120_000);

  it.each([
    [{ members: 0 }, /members must be an integer in 1..50, got 0/],
    [{ controlMembers: 51 }, /controlMembers must be an integer in 1..50, got 51/],
    [{ offsetMembers: -1 }, /offsetMembers must be an integer in 0..50, got -1/],
    [{ maxWeight: 0.5 }, /maxWeight must be ≥ 1, got 0.5/],
    [{ minPropensity: 0 }, /minPropensity must be in \(0, 1\), got 0/],
    [{ weighting: 'snips' as 'ips' }, /weighting must be 'ips', 'stabilised' or 'none', got snips/],
    [{ treated: { learningRate: -1 } }, /\(treated\): learningRate must be in \(0, 10\), got -1/],
    [{ control: { hidden: 1.5 } }, /\(control\): hidden must be an integer ≥ 0, got 1.5/],
    [{ seed: 0.5 }, /seed must be an integer, got 0.5/],
  ])('refuses the options %j', (options, message) => {
    expect(() => new TLearner(options)).toThrow(message);
  });

  it('averages its control networks: a second one moves each row, not the overall rate', async () => {
    const trained = { ...quick, control: { epochs: 10, patience: 10, validationShare: 0 } };
    const one = new TLearner({ ...trained, controlMembers: 1 });
    const two = new TLearner({ ...trained, controlMembers: 2 });
    await one.fit(small.examples);
    await two.fit(small.examples);
    const p1 = (await one.predict(small.examples)).pNoContact;
    const p2 = (await two.predict(small.examples)).pNoContact;
    let diff = 0;
    let m1 = 0;
    let m2 = 0;
    for (let i = 0; i < p1.length; i++) {
      diff += Math.abs(p2[i]! - p1[i]!) / p1.length;
      m1 += p1[i]! / p1.length;
      m2 += p2[i]! / p1.length;
    }
    // The second network (another seed) changes the rows' probabilities (fit-to-fit noise)...
    expect(diff).toBeGreaterThan(0.001);
    // ...while both estimate the same conversion rate.
    expect(Math.abs(m2 - m1)).toBeLessThan(0.1 * m1);
    expect(two.describe().options.controlMembers).toBe(2);
  }, 120_000);

  it('averages its offset members with the free ones, over the same control networks', async () => {
    const free = new TLearner({ ...quick, offsetMembers: 0 });
    const mixed = new TLearner({ ...quick, offsetMembers: 1 });
    await free.fit(small.examples);
    await mixed.fit(small.examples);
    const a = await free.predict(small.examples);
    const b = await mixed.predict(small.examples);
    // the control networks and the free member are the same fits
    expect(Array.from(b.pNoContact)).toEqual(Array.from(a.pNoContact));
    // the offset member's probability, recovered from the mean of two: 2 b − a
    let moved = 0;
    for (let k = 0; k < a.pContact.length; k++) {
      const offsetP = 2 * b.pContact[k]! - a.pContact[k]!;
      expect(offsetP).toBeGreaterThan(-1e-5);
      expect(offsetP).toBeLessThan(1 + 1e-5);
      if (Math.abs(b.pContact[k]! - a.pContact[k]!) > 1e-4) moved++;
    }
    expect(moved).toBeGreaterThan(0.5 * a.pContact.length);
    // one member has no spread; two members of different kinds do
    expect(Math.max(...(a.upliftSd ?? [Number.NaN]))).toBe(0);
    expect(Math.max(...(b.upliftSd ?? []))).toBeGreaterThan(0);
    expect(free.describe().metrics.offsetValidationLoss).toBeUndefined();
    expect(mixed.describe().metrics.offsetValidationLoss).toBeGreaterThan(0);
  }, 120_000);

  it('refuses to predict before fit', async () => {
    await expect(new TLearner().predict(small.examples)).rejects.toThrow(/not fitted/);
  });

  it('refuses contacted rows without any propensity', async () => {
    const hidden = syntheticExamples({ n: 500, seed: 9, hidePropensities: true });
    await expect(new TLearner(quick).fit(hidden.examples)).rejects.toThrow(
      /row \d+ \(client C\d+, P_\w\) was contacted through \w+ but has no propensity/,
    );
  });

  it('refuses a propensity matrix of the wrong shape', async () => {
    await expect(
      new TLearner({ ...quick, propensities: new Float32Array(10) }).fit(small.examples),
    ).rejects.toThrow(/propensities have 10 values, expected n × \(C \+ 1\) = 3000 × 4/);
  });

  it('refuses a table with other features than it was fitted on', async () => {
    const m = new TLearner(quick);
    await m.fit(small.examples);
    const other = { ...small.examples, schema: { ...small.examples.schema, version: 'other-2' } };
    await expect(m.predict(other)).rejects.toThrow(
      /feature schema version other-2 differs from the model's synthetic-1/,
    );
  }, 60_000);
});
