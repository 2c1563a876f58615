import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  perfectQiniCurve,
  perfectUpliftCurve,
  qiniAucScore,
  qiniCurve,
  trueUpliftAuuc,
  type UpliftCurve,
  upliftAucScore,
  upliftCurve,
} from '../../src/evaluate/uplift-curve.js';

// Vectors and scikit-uplift 0.5.1's values, written by bench/peers/uplift/sklift_reference.py.
interface Curve {
  x: number[];
  y: number[];
}
interface Case {
  name: string;
  outcome: number[];
  score: number[];
  treatment: number[];
  upliftAucScore: number;
  qiniAucScore: number;
  qiniAucScoreNoNegative?: number;
  upliftCurve: Curve;
  qiniCurve: Curve;
  perfectUpliftCurve: Curve;
  perfectQiniCurve: Curve;
}
const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, '../fixtures/uplift/sklift-reference.json'), 'utf8')) as {
  skliftVersion: string;
  cases: Case[];
};

function expectCurve(actual: UpliftCurve, expected: Curve): void {
  expect(Array.from(actual.x)).toEqual(expected.x);
  expect(actual.y.length).toBe(expected.y.length);
  actual.y.forEach((v, j) => {
    expect(v).toBeCloseTo(expected.y[j] as number, 10);
  });
}

describe('uplift curve metrics: parity with scikit-uplift', () => {
  it('uses vectors made by scikit-uplift 0.5.1, both perfect-curve branches', () => {
    expect(fixture.skliftVersion).toBe('0.5.1');
    expect(fixture.cases.map((c) => c.name)).toEqual([
      'positive-effect-ties',
      'unbalanced-negative-coarse',
      'tiny',
    ]);
  });
  for (const c of fixture.cases) {
    describe(c.name, () => {
      it('curves equal sklift point by point', () => {
        expectCurve(upliftCurve(c.outcome, c.score, c.treatment), c.upliftCurve);
        expectCurve(qiniCurve(c.outcome, c.score, c.treatment), c.qiniCurve);
        expectCurve(perfectUpliftCurve(c.outcome, c.treatment), c.perfectUpliftCurve);
        expectCurve(perfectQiniCurve(c.outcome, c.treatment), c.perfectQiniCurve);
      });
      it('uplift_auc_score and qini_auc_score equal sklift to 1e-12', () => {
        expect(Math.abs(upliftAucScore(c.outcome, c.score, c.treatment) - c.upliftAucScore)).toBeLessThan(
          1e-12,
        );
        expect(Math.abs(qiniAucScore(c.outcome, c.score, c.treatment) - c.qiniAucScore)).toBeLessThan(1e-12);
        if (c.qiniAucScoreNoNegative !== undefined)
          expect(
            Math.abs(
              qiniAucScore(c.outcome, c.score, c.treatment, { negativeEffect: false }) -
                c.qiniAucScoreNoNegative,
            ),
          ).toBeLessThan(1e-12);
      });
    });
  }

  it('the tiny case by hand: uplift curve at the first threshold is (1/1 − 0) × 1', () => {
    const c = upliftCurve([1, 0, 1], [0.9, 0.5, 0.1], [1, 0, 0]);
    expect(Array.from(c.x)).toEqual([0, 1, 2, 3]);
    // top 1: treated 1/1, no control -> 1; top 2: 1/1 − 0/1 = 1 -> 2; top 3: 1 − 1/2 = 0.5 -> 1.5
    expect(Array.from(c.y)).toEqual([0, 1, 2, 1.5]);
  });
});

describe('trueUpliftAuuc', () => {
  const tau = [0.3, -0.1, 0.05, 0.2, 0];
  it('is 1 for the oracle ranking, with the oracle and random areas by hand', () => {
    const oracle = trueUpliftAuuc(tau, tau);
    expect(oracle.normalised).toBeCloseTo(1, 12);
    // sorted τ: 0.3, 0.2, 0.05, 0, −0.1 -> cumulative 0.3, 0.5, 0.55, 0.55, 0.45
    // area = (0 + 0.3)/2 + (0.3 + 0.5)/2 + (0.5 + 0.55)/2 + (0.55 + 0.55)/2 + (0.55 + 0.45)/2 = 2.125
    expect(oracle.oracleArea).toBeCloseTo(2.125, 12);
    expect(oracle.randomArea).toBeCloseTo((5 * 0.45) / 2, 12);
  });
  it('scores a fixed ranking by hand', () => {
    // ranking: rows 1, 2, 0, 3, 4 -> cumulative −0.1, −0.05, 0.25, 0.45, 0.45
    const r = trueUpliftAuuc([3, 5, 4, 2, 1], tau);
    const area =
      (-0.1 + 0) / 2 + (-0.1 - 0.05) / 2 + (-0.05 + 0.25) / 2 + (0.25 + 0.45) / 2 + (0.45 + 0.45) / 2;
    expect(r.area).toBeCloseTo(area, 12);
    expect(r.normalised).toBeCloseTo((area - 1.125) / (2.125 - 1.125), 12);
  });
  it('tied scores enter together (a constant score is the random line)', () => {
    expect(trueUpliftAuuc([1, 1, 1, 1, 1], tau).normalised).toBeCloseTo(0, 12);
  });
});

describe('bad inputs are refused with what and where', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['empty', () => upliftAucScore([], [], []), /at least one row/],
    ['length mismatch', () => upliftAucScore([1, 0], [0.1], [1, 0]), /score has 1 rows, expected 2/],
    [
      'non-binary outcome',
      () => qiniAucScore([1, 2], [0.1, 0.2], [1, 0]),
      /outcome\[1\] must be 0 or 1, got 2/,
    ],
    [
      'non-binary treatment',
      () => upliftCurve([1, 0], [0.1, 0.2], [1, 0.5]),
      /treatment\[1\] must be 0 or 1/,
    ],
    ['NaN score', () => qiniCurve([1, 0], [Number.NaN, 0.2], [1, 0]), /score\[0\] is NaN/],
    [
      'no control for the no-negative Qini',
      () => perfectQiniCurve([1, 0], [1, 1], false),
      /needs both groups/,
    ],
    ['negative overall uplift', () => perfectQiniCurve([0, 1], [1, 0], false), /non-negative overall uplift/],
    [
      'non-finite true uplift',
      () => trueUpliftAuuc([1, 2], [0.1, Number.POSITIVE_INFINITY]),
      /trueUplift\[1\] must be finite/,
    ],
  ];
  for (const [name, run, message] of cases) it(name, () => expect(run).toThrow(message));
});
