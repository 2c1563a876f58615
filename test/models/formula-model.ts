import type { UpliftExamples } from '../../src/features/examples.js';
import type { ActionScores, ModelDescription, OutcomeModel } from '../../src/models/model.js';

/**
 * A fixed, hand-written outcome model for testing what sits on top of the learners:
 *   pNoContact = 0.1,   pContact_c = 0.1 + LIFT[c] · exp(−recent_contacts / 1.5) · (1 + signal)
 * (feature names of the synthetic generator), so one more contact visibly lowers the uplift.
 */
export const LIFT = [0.05, 0.02, -0.01];

export class FormulaModel implements OutcomeModel {
  readonly kind = 'test-formula';
  async fit(): Promise<void> {}
  async save(): Promise<void> {}
  describe(): ModelDescription {
    return { kind: this.kind, featureSchemaVersion: 'synthetic-1', options: {}, metrics: {} };
  }
  async predict(rows: UpliftExamples): Promise<ActionScores> {
    const F = rows.schema.pair.length;
    const C = rows.channelIds.length;
    const r = rows.schema.pair.indexOf('recent_contacts');
    const s = rows.schema.pair.indexOf('signal');
    const pNoContact = new Float32Array(rows.n).fill(0.1);
    const pContact = new Float32Array(rows.n * C);
    for (let i = 0; i < rows.n; i++)
      for (let c = 0; c < C; c++)
        pContact[i * C + c] = 0.1 + LIFT[c]! * Math.exp(-rows.x[i * F + r]! / 1.5) * (1 + rows.x[i * F + s]!);
    return { pContact, pNoContact };
  }
}

/** The formula's uplift for recent contacts r and signal s (float32 like the model's output). */
export function formulaUplift(c: number, r: number, s: number): number {
  return Math.fround(0.1 + LIFT[c]! * Math.exp(-r / 1.5) * (1 + s)) - Math.fround(0.1);
}
