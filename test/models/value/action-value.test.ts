import { describe, expect, it } from 'vitest';
import type { UpliftExamples } from '../../../src/features/examples.js';
import { actionValues } from '../../../src/models/value/action-value.js';
import { afterContact } from '../../../src/models/value/feature-shift.js';
import { createRng } from '../../../src/rng.js';
import { FormulaModel, formulaUplift } from '../formula-model.js';
import { syntheticExamples } from '../synthetic-examples.js';

// 3 channels (branch 25 EUR, phone 8, email 0.1), products with margins 600, 250, 120, 40
function rowsWith(recent: number[], signal: number[]) {
  const { examples } = syntheticExamples({ n: recent.length, seed: 12, kind: 'decide' });
  const x = examples.x.slice();
  const F = examples.schema.pair.length;
  recent.forEach((r, i) => {
    x[i * F + 3] = r;
    x[i * F + 2] = signal[i]!;
  });
  const contactable = new Uint8Array(recent.length * 3).fill(1);
  contactable[1 * 3 + 0] = 0; // row 1 cannot be reached through the branch
  return { ...examples, x, contactable, product: Int32Array.from(recent.map(() => 0)) };
}

describe('actionValues', () => {
  it('values each channel as uplift × margin − cost − the learnt fatigue, and picks the best', async () => {
    const rows = rowsWith([0, 0, 3], [0, 0, 0]);
    const av = await actionValues(new FormulaModel(), rows, { futureDecisions: 1, waitDays: [] });
    const margin = 600;
    const cost = [25, 8, 0.1];
    for (const i of [0, 2]) {
      const r = i === 2 ? 3 : 0;
      // best gross value now and after one more contact (the branch wins in both)
      const now = Math.max(0, ...[0, 1, 2].map((c) => formulaUplift(c, r, 0) * margin - cost[c]!));
      const after = Math.max(0, ...[0, 1, 2].map((c) => formulaUplift(c, r + 1, 0) * margin - cost[c]!));
      for (let c = 0; c < 3; c++) {
        expect(av.fatigue[i * 3 + c]).toBeCloseTo(now - after, 6);
        expect(av.value[i * 3 + c]).toBeCloseTo(
          formulaUplift(c, r, 0) * margin - cost[c]! - (now - after),
          6,
        );
      }
    }
    // row 0: branch 0.05 × 600 − 25 = 5 now, after a contact 0.05 e^{−2/3} × 600 − 25 < 0: fatigue 5
    expect(av.fatigue[0]).toBeCloseTo(5, 4);
    expect(av.best[0]).toBe(-1);
    // row 1: no branch, so phone (0.02 × 600 − 8 = 4, after a contact 0.02 e^{−2/3} × 600 − 8 = −1.8)
    expect(av.value[1 * 3 + 0]).toBe(Number.NEGATIVE_INFINITY);
    expect(av.fatigue[1 * 3 + 1]).toBeCloseTo(4, 4);
    expect(av.best[1]).toBe(-1);
    // sleeping-dog channel (email lowers conversion): negative value, never chosen
    expect(av.value[2]).toBeLessThan(0);
  });

  it('contacts where the value is positive after fatigue, and not through a harmful channel', async () => {
    const rows = rowsWith([0], [1.5]);
    const av = await actionValues(new FormulaModel(), rows, { futureDecisions: 1, waitDays: [] });
    // branch: 0.05 × 2.5 × 600 − 25 = 50 now; fatigue 75 − 75 e^{−2/3} = 36.5 → 13.5
    expect(av.best[0]).toBe(0);
    expect(av.bestValue[0]).toBeCloseTo(75 - 25 - (75 - 75 * Math.exp(-1 / 1.5)), 3);
    expect(av.uplift[2]).toBeLessThan(0);
  });

  it('turns fatigue off with futureDecisions 0', async () => {
    const av = await actionValues(new FormulaModel(), rowsWith([0], [0]), {
      futureDecisions: 0,
      waitDays: [],
    });
    expect(Array.from(av.fatigue)).toEqual([0, 0, 0]);
    expect(av.best[0]).toBe(0);
    expect(av.bestValue[0]).toBeCloseTo(formulaUplift(0, 0, 0) * 600 - 25, 6);
  });

  it('takes an action only where its lower bound pays: elsewhere the value is that bound', async () => {
    // the formula model with a spread: upliftSd 0.01 on every channel
    const base = new FormulaModel();
    const spread = Object.assign(Object.create(base) as FormulaModel, {
      async predict(rows: UpliftExamples) {
        const s = await base.predict(rows);
        return { ...s, upliftSd: new Float32Array(s.pContact.length).fill(0.01) };
      },
    });
    const rows = rowsWith([0], [0]);
    const expected = formulaUplift(0, 0, 0) * 600 - 25; // branch: 5 EUR
    const sure = await actionValues(spread, rows, { futureDecisions: 0, waitDays: [], confidence: 0 });
    expect(sure.value[0]).toBeCloseTo(expected, 6);
    expect(sure.best[0]).toBe(0);
    // z = 1: 5 − 0.01 × 600 = −1: not confident, the value is the bound and nothing is chosen
    const careful = await actionValues(spread, rows, { futureDecisions: 0, waitDays: [], confidence: 1 });
    expect(careful.value[0]).toBeCloseTo(expected - 6, 6);
    expect(careful.best[0]).toBe(-1);
    // z = 0.5: 5 − 3 = 2 > 0: confident, the value stays the expected one
    const half = await actionValues(spread, rows, { futureDecisions: 0, waitDays: [], confidence: 0.5 });
    expect(half.value[0]).toBeCloseTo(expected, 6);
    expect(half.best[0]).toBe(0);
  });

  it.each([
    [{ confidence: -1 }, /confidence must be a finite z ≥ 0, got -1/],
    [{ futureDecisions: -1 }, /futureDecisions must be a finite value ≥ 0, got -1/],
    [{ waitDays: [0] }, /waitDays must be integers in 1..365, got 0/],
    [{ waitDays: [2.5] }, /waitDays must be integers in 1..365, got 2.5/],
    [{ waitGain: -0.1 }, /waitGain must be ≥ 0, got -0.1/],
  ])('refuses the options %j', async (options, message) => {
    await expect(actionValues(new FormulaModel(), rowsWith([0], [0]), options)).rejects.toThrow(message);
  });
});

/**
 * FormulaModel with channel c's uplift also lowered by channel c's own contacts in 90 days
 * (the first channel feature), as the learners' channel networks read [x | xc_c | c]; `leaky` also
 * lets pNoContact read the first channel's contacts (a model the two-pass fatigue must not trust).
 * Counts the rows it scores.
 */
class ChannelModel extends FormulaModel {
  scored = 0;
  constructor(private readonly leaky = false) {
    super();
  }
  override async predict(rows: UpliftExamples) {
    this.scored += rows.n;
    const s = await super.predict(rows);
    const C = rows.channelIds.length;
    const K = rows.schema.channel.length;
    const pContact = s.pContact.slice();
    const pNoContact = s.pNoContact.slice();
    for (let i = 0; i < rows.n; i++) {
      for (let c = 0; c < C; c++) {
        const lift = s.pContact[i * C + c]! - s.pNoContact[i]!;
        pContact[i * C + c] = s.pNoContact[i]! + 2 * lift * Math.exp(-rows.xc[(i * C + c) * K]! / 2);
      }
      if (this.leaky) pNoContact[i]! *= Math.exp(-rows.xc[i * C * K]! / 4);
    }
    return { pContact, pNoContact };
  }
}

/** The fatigue of the module comment computed the plain way: every row re-scored for every channel. */
async function fatigueByRescoringAll(model: ChannelModel, rows: UpliftExamples): Promise<Float64Array> {
  const C = rows.channelIds.length;
  const best = async (t: UpliftExamples): Promise<Float64Array> => {
    const s = await model.predict(t);
    const out = new Float64Array(t.clientIds.length);
    for (let i = 0; i < t.n; i++)
      for (let c = 0; c < C; c++) {
        if (!t.contactable[i * C + c]) continue;
        const v = (s.pContact[i * C + c]! - s.pNoContact[i]!) * t.margin[t.product[i]!]! - t.channelCost[c]!;
        out[t.client[i]!] = Math.max(out[t.client[i]!]!, v);
      }
    return out;
  };
  const now = await best(rows);
  const fatigue = new Float64Array(rows.n * C);
  for (let c = 0; c < C; c++) {
    const after = await best(afterContact(rows, c));
    for (let i = 0; i < rows.n; i++)
      fatigue[i * C + c] = Math.max(0, now[rows.client[i]!]! - after[rows.client[i]!]!);
  }
  return fatigue;
}

describe('actionValues, learnt fatigue on part of the table', () => {
  // 60 rows, 4 per client (products cycling), contactable at random: some clients worth nothing;
  // the channel features start with contacts_90d, which a contact through the channel raises
  const { examples } = syntheticExamples({ n: 60, seed: 5, kind: 'decide' });
  const rng = createRng(3);
  const C = examples.channelIds.length;
  const rows: UpliftExamples = {
    ...examples,
    schema: { ...examples.schema, channel: ['contacts_90d', ...examples.schema.channel.slice(1)] },
    clientIds: examples.clientIds.slice(0, 15),
    client: Int32Array.from({ length: 60 }, (_, i) => Math.floor(i / 4)),
    product: Int32Array.from({ length: 60 }, (_, i) => i % examples.productIds.length),
    contactable: Uint8Array.from({ length: 60 * C }, () => (rng.next() < 0.5 ? 1 : 0)),
  };

  it.each([
    // two passes over the rows of the 8 clients (of 15) worth a contact now: 32 rows
    ['a model whose channel output reads its own channel', false, 2 * 32],
    // pNoContact reads a channel feature (it lifts every client above 0): two passes, then one per
    // channel (3) over the rows of all 15 clients
    ['a model whose pNoContact reads a channel feature', true, 2 * 60 + 3 * 60],
  ])(
    're-scores only the rows that can carry a fatigue, with the values of re-scoring them all: %s',
    async (_name, leaky, rescored) => {
      const model = new ChannelModel(leaky);
      const av = await actionValues(model, rows, { futureDecisions: 1, waitDays: [] });
      expect(model.scored - rows.n).toBe(rescored);
      const reference = await fatigueByRescoringAll(new ChannelModel(leaky), rows);
      let carried = 0;
      for (let i = 0; i < rows.n; i++)
        for (let c = 0; c < C; c++) {
          const k = i * C + c;
          if (!rows.contactable[k]) {
            expect(av.value[k]).toBe(Number.NEGATIVE_INFINITY);
            continue;
          }
          expect(av.fatigue[k]).toBe(reference[k]);
          if (reference[k]! > 0) carried++;
        }
      expect(carried).toBeGreaterThan(10);
    },
  );
});
