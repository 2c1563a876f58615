import { describe, expect, it } from 'vitest';
import type { UpliftExamples } from '../../../src/features/examples.js';
import type { ActionScores, OutcomeModel } from '../../../src/models/model.js';
import { clientFoldsOf, crossFittedScores } from '../../../src/models/suite/cross-fit.js';
import { syntheticExamples } from '../synthetic-examples.js';

/**
 * A learner that remembers the clients it was fitted on (rows of positive weight) and scores a row
 * 1 when its client was among them, 0 otherwise: out-of-fold scores must all be 0.
 */
class Remembering implements OutcomeModel {
  readonly kind = 'remembering';
  private seen = new Set<string>();
  async fit(train: UpliftExamples): Promise<void> {
    for (let i = 0; i < train.n; i++)
      if (train.weight[i]! > 0) this.seen.add(train.clientIds[train.client[i]!]!);
  }
  async predict(rows: UpliftExamples): Promise<ActionScores> {
    const C = rows.channelIds.length;
    const pNoContact = new Float32Array(rows.n);
    const pContact = new Float32Array(rows.n * C);
    for (let i = 0; i < rows.n; i++) {
      const v = this.seen.has(rows.clientIds[rows.client[i]!]!) ? 1 : 0;
      pNoContact[i] = v;
      pContact.fill(v + 0.5, i * C, (i + 1) * C);
    }
    return { pNoContact, pContact };
  }
  async save(): Promise<void> {}
  describe() {
    return { kind: this.kind, featureSchemaVersion: '', options: {}, metrics: {} };
  }
}

describe('cross-fitted calibration scores', () => {
  const { examples: rows } = syntheticExamples({ n: 3000, seed: 5 });

  it('puts every client in one of K folds of about equal size, the same for the same seed', () => {
    const f = clientFoldsOf(rows, 3, 42);
    const sizes = [0, 0, 0];
    for (const k of f) sizes[k]!++;
    for (const s of sizes) expect(s / f.length).toBeGreaterThan(0.28);
    expect(clientFoldsOf(rows, 3, 42)).toEqual(f);
    expect(clientFoldsOf(rows, 3, 43)).not.toEqual(f);
    expect(() => clientFoldsOf(rows, 1, 42)).toThrow(
      /calibrationFolds must be 0 .* or an integer in 2\.\.10, got 1/,
    );
  });

  it('scores each row with a learner that never saw its client, and every row', async () => {
    let fits = 0;
    const s = await crossFittedScores(
      rows,
      () => {
        fits++;
        return new Remembering();
      },
      2,
      42,
    );
    expect(fits).toBe(2);
    const C = rows.channelIds.length;
    expect(Array.from(s.pNoContact).every((v) => v === 0)).toBe(true);
    expect(Array.from(s.pContact).every((v) => v === 0.5)).toBe(true);
    expect(s.pContact.length).toBe(rows.n * C);
  });
});
