import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDecisionRows } from '../../src/features/build-decision-rows.js';
import { buildTrainingExamples } from '../../src/features/build-training-examples.js';
import { decisionRhythm } from '../../src/features/decision-rhythm.js';
import type { UpliftExamples } from '../../src/features/examples.js';
import { folderSource } from '../../src/features/folder-source.js';
import { type FeatureHistory, loadHistory } from '../../src/features/record-store.js';
import { dayOfDate, dayOfTimestamp } from '../../src/features/records.js';
import { writeHandFixture } from './hand-fixture.js';

let work: string;
let history: FeatureHistory;
let train: UpliftExamples;
const D = '2025-03-01';
const t1 = dayOfDate('2025-02-01');
const t2 = dayOfDate('2025-02-15');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'nbg-features-hand-'));
  history = await loadHistory(folderSource(writeHandFixture(join(work, 'hand'))));
  train = await buildTrainingExamples(history, {
    decisionDate: D,
    windowDays: 28,
    stepDays: 14,
    horizonDays: 14,
    controlRate: 1,
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function row(e: UpliftExamples, day: number, productId: string): number {
  for (let k = 0; k < e.n; k++) {
    if (e.day[k] === day && e.productIds[e.product[k]!] === productId) return k;
  }
  throw new Error(`no row at ${day} for ${productId}`);
}
const x = (e: UpliftExamples, k: number, name: string): number => {
  const j = e.schema.pair.indexOf(name);
  if (j < 0) throw new Error(`no feature ${name}`);
  return e.x[k * e.schema.pair.length + j]!;
};
const xc = (e: UpliftExamples, k: number, channel: string, name: string): number => {
  const C = e.channelIds.length;
  const K = e.schema.channel.length;
  return e.xc[(k * C + e.channelIds.indexOf(channel)) * K + e.schema.channel.indexOf(name)]!;
};
const f32 = (v: number): number => Math.fround(v);

describe('buildTrainingExamples on a hand-written dataset', () => {
  it('makes one row per (client at t, product not held at t), sorted catalogue', () => {
    expect(
      decisionRhythm(history.solicitations.sent, {
        decisionDay: dayOfDate(D),
        windowDays: 28,
        horizonDays: 14,
        stepDays: 14,
      }).days,
    ).toEqual([t1, t2]);
    expect(train.productIds).toEqual(['P_A', 'P_B', 'P_C']);
    expect(train.channelIds).toEqual(['email', 'phone']);
    // C2 joins after D; C1 holds P_A at both dates, P_B only from 2025-02-20.
    const keys = Array.from(
      { length: train.n },
      (_, k) => `${train.day[k]}:${train.productIds[train.product[k]!]}`,
    );
    expect(keys).toEqual([`${t1}:P_B`, `${t1}:P_C`, `${t2}:P_B`, `${t2}:P_C`]);
    expect([...train.weight]).toEqual([1, 1, 1, 1]);
    expect(train.clientIds[train.client[0]!]).toBe('C1');
    expect([...train.margin]).toEqual([100, 400, 250]);
    expect([...train.channelCost]).toEqual([0.1, 8]);
  });

  it('takes treatment from the contact in [t, t + step) and outcome from [t, t + horizon)', () => {
    const a = row(train, t1, 'P_B');
    expect(train.treatment[a]).toBe(0); // S2 by email on 2025-02-01
    expect(train.loggedPropensity[a]).toBe(f32(0.05));
    expect(train.outcome[a]).toBe(0); // P_B opened 2025-02-20, after t1 + 14
    const b = row(train, t2, 'P_B');
    expect(train.treatment[b]).toBe(-1);
    expect(train.loggedPropensity[b]).toBeNaN();
    expect(train.outcome[b]).toBe(1);
  });

  it("counts a conversion answering a later wave's contact as that wave's outcome, not t's", async () => {
    // a 28-day outcome window at t1 covers the wave of t2 (2025-02-15): S3 about P_C, sent then by
    // email, converted on 2025-02-18 and opened P_C that day; P_B opened on 2025-02-20 unprompted
    const dir = writeHandFixture(join(work, 'later-wave'));
    appendFileSync(
      join(dir, 'solicitations.csv'),
      'S3,C1,P_C,email,,2025-02-15T09:00:00Z,0.1,converted,2025-02-18T11:00:00Z\n',
    );
    appendFileSync(join(dir, 'holdings.csv'), 'C1,P_C,2025-02-18,\n');
    const e = await buildTrainingExamples(await loadHistory(folderSource(dir)), {
      decisionDate: D,
      windowDays: 28,
      stepDays: 14,
      horizonDays: 28,
      controlRate: 1,
    });
    const keys = Array.from({ length: e.n }, (_, k) => `${e.day[k]}:${e.productIds[e.product[k]!]}`);
    expect(keys).toEqual([`${t1}:P_B`, `${t1}:P_C`]);
    const c = row(e, t1, 'P_C');
    expect(e.treatment[c]).toBe(-1);
    expect(e.outcome[c]).toBe(0);
    const b = row(e, t1, 'P_B');
    expect(e.treatment[b]).toBe(0);
    expect(e.outcome[b]).toBe(1);
  });

  it('computes the features worked out by hand, from records before t only', () => {
    const k = row(train, t1, 'P_B');
    const expected: [string, number][] = [
      ['age', 45],
      ['segment_mass', 1],
      ['segment_young', 0],
      ['income_band', 3],
      ['risk_profile', 1],
      ['fragile', 0],
      ['tenure_years', (t1 - dayOfDate('2020-01-01')) / 365.25],
      ['held_count', 1],
      ['holds_P_A', 1],
      ['holds_P_B', 0],
      ['months_since_last_opening', (t1 - dayOfDate('2021-01-01')) / 30.4375],
      ['product_held_before', 1],
      // months before 2025-02: ..., 800, 1000, 1100, 900, -200, 1200
      ['current_log', Math.log1p(1200)],
      ['current_change_log', Math.log1p(1400)],
      ['current_trend_log', -Math.log1p(1000 / 3)],
      ['overdraft_months_12', 1],
      ['balance_months', 6],
      ['savings_log', Math.log1p(5000)],
      ['credit_log', 0],
      ['contacts_30d', 1],
      ['contacts_365d', 1],
      ['fatigue_45d', Math.exp(-(t1 - dayOfTimestamp('2025-01-20T09:00:00Z')) / 45)],
      ['product_contacts_90d', 1],
      ['days_since_contact', t1 - dayOfTimestamp('2025-01-20T09:00:00Z')],
      ['days_since_refusal', t1 - dayOfTimestamp('2025-01-21T10:00:00Z')],
      ['product_days_since_refusal', t1 - dayOfTimestamp('2025-01-21T10:00:00Z')],
      ['conversions_after_contact', 0],
      ['verbatims', Math.log1p(1)],
      ['verbatim_score', 2],
      ['product_verbatims', Math.log1p(1)],
      ['product_verbatim_score', 2],
      ['sessions_7d', Math.log1p(1)],
      ['product_sessions_7d', 0], // W1 is about P_C
      ['product_days_since_simulation', 365],
    ];
    for (const [name, v] of expected) expect(x(train, k, name), name).toBeCloseTo(v, 4);
    const c = row(train, t1, 'P_C');
    const d1 = t1 - dayOfTimestamp('2025-01-30T10:00:00Z');
    const d2 = t1 - dayOfTimestamp('2025-01-30T10:05:00Z');
    expect(x(train, c, 'product_sessions_7d')).toBeCloseTo(Math.log1p(1), 6);
    expect(x(train, c, 'product_days_since_simulation')).toBeCloseTo(d2, 4);
    expect(x(train, c, 'product_signal_7d')).toBeCloseTo(
      0.3 * Math.exp(-d1 / 7) + 0.7 * Math.exp(-d2 / 7),
      5,
    );
    expect(x(train, c, 'product_signal_3d')).toBeCloseTo(
      0.3 * Math.exp(-d1 / 3) + 0.7 * Math.exp(-d2 / 3),
      5,
    );
    expect(x(train, c, 'product_verbatim_score')).toBe(5);
    expect(x(train, c, 'product_held_before')).toBe(0);
    expect(x(train, c, 'product_days_since_refusal')).toBe(365);
  });

  it('reads consent in force before t per channel, opt-outs and contactability', () => {
    const a = row(train, t1, 'P_B');
    const b = row(train, t2, 'P_B');
    const cases: [number, string, string, number][] = [
      [a, 'email', 'consent', 1],
      [a, 'email', 'opted_out', 0],
      [a, 'phone', 'consent', 0], // opt-in channel, no decision yet
      [b, 'email', 'consent', 0], // refused on 2025-02-10
      [b, 'email', 'opted_out', 1],
      [b, 'phone', 'consent', 0], // granted on 2025-02-16, after t2
      [a, 'email', 'contacts_90d', 1],
      [a, 'email', 'days_since_refusal', t1 - dayOfTimestamp('2025-01-21T10:00:00Z')],
      [a, 'phone', 'days_since_refusal', 365],
      [a, 'email', 'product_contacts_365d', 1],
      [a, 'email', 'verbatim_score', 2],
      [a, 'phone', 'verbatim_score', 5],
      [b, 'email', 'contacts_90d', 2],
    ];
    for (const [k, ch, name, v] of cases)
      expect(xc(train, k, ch, name), `${k} ${ch} ${name}`).toBeCloseTo(v, 4);
    // P_B at t1: 45 years old, email granted; P_C needs a balanced profile (C1 is prudent).
    const C = train.channelIds.length;
    expect([...train.contactable.subarray(a * C, a * C + C)]).toEqual([1, 0]);
    expect([...train.contactable.subarray(row(train, t1, 'P_C') * C, row(train, t1, 'P_C') * C + C)]).toEqual(
      [0, 0],
    );
    expect([...train.contactable.subarray(b * C, b * C + C)]).toEqual([0, 0]);
  });

  it('has no NaN in x or xc', () => {
    expect(train.x.some(Number.isNaN)).toBe(false);
    expect(train.xc.some(Number.isNaN)).toBe(false);
  });
});

describe('buildDecisionRows', () => {
  it('by default gives every pair not held at D, treatment −1, weight 1', async () => {
    const d = await buildDecisionRows(history, D);
    expect(d.kind).toBe('decide');
    expect(d.n).toBe(1); // C1 holds P_A and P_B at D; C2 is not yet a client
    expect(d.productIds[d.product[0]!]).toBe('P_C');
    expect(d.day[0]).toBe(dayOfDate(D));
    expect([...d.treatment, ...d.outcome, ...d.weight]).toEqual([-1, 0, 1]);
    expect(d.loggedPropensity[0]).toBeNaN();
  });

  it('keeps the given pairs, their order and client indices, and maps products to the catalogue', async () => {
    const pairs = {
      clientIds: ['C1'],
      productIds: ['P_C', 'P_B'],
      client: Int32Array.from([0, 0]),
      product: Int32Array.from([1, 0]),
    };
    const d = await buildDecisionRows(history, '2025-02-01', pairs);
    expect(d.clientIds).toEqual(['C1']);
    expect([...d.client]).toEqual([0, 0]);
    expect(Array.from(d.product, (p) => d.productIds[p])).toEqual(['P_B', 'P_C']);
    // the same features as the training rows at that date
    const F = d.schema.pair.length;
    expect([...d.x.subarray(0, F)]).toEqual([
      ...train.x.subarray(row(train, t1, 'P_B') * F, row(train, t1, 'P_B') * F + F),
    ]);
    expect([...d.x.subarray(F, 2 * F)]).toEqual([
      ...train.x.subarray(row(train, t1, 'P_C') * F, row(train, t1, 'P_C') * F + F),
    ]);
  });
});
