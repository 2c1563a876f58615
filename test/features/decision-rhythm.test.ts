import { describe, expect, it } from 'vitest';
import { decisionRhythm } from '../../src/features/decision-rhythm.js';
import { dayOfDate } from '../../src/features/records.js';

const day = (d: string): number => dayOfDate(d);
/** `n` contacts on each given date, sent during the day. */
function sends(dates: readonly string[], n: number): number[] {
  return dates.flatMap((d) => Array.from({ length: n }, (_, k) => day(d) + (k % 10) / 24));
}

describe('decisionRhythm', () => {
  const D = day('2025-12-01');

  it('reads monthly waves: the 1st of each month, treated until the next wave, outcomes ending by D', () => {
    const months = ['2025-06-01', '2025-07-01', '2025-08-01', '2025-09-01', '2025-10-01', '2025-11-01'];
    // a trickle of stray contacts between waves does not make days of their own
    const stray = [day('2025-07-17'), day('2025-09-09')];
    const r = decisionRhythm([...sends(months, 40), ...stray], {
      decisionDay: D,
      windowDays: 364,
      horizonDays: 30,
    });
    expect(r.kind).toBe('waves');
    // 2025-11-01's outcome window [11-01, 12-01) ends at D exactly
    expect(r.days).toEqual(months.map(day));
    // treated until the next wave, at most the 30-day horizon (July has 31 days)
    expect(r.treatEnd).toEqual(
      months.map((m, j) => Math.min(day(months[j + 1] ?? '2025-12-01'), day(m) + 30)),
    );
    expect(r.treatEnd[1]).toBe(day('2025-07-31'));
    // with a 45-day horizon the last wave's outcomes are not all known at D
    const longer = decisionRhythm(sends(months, 40), { decisionDay: D, windowDays: 364, horizonDays: 45 });
    expect(longer.days).toEqual(months.slice(0, 5).map(day));
    expect(r.medianGapDays).toBe(31);
  });

  it('caps a wave treatment window at the horizon', () => {
    const r = decisionRhythm(sends(['2025-01-06', '2025-06-02'], 60), {
      decisionDay: D,
      windowDays: 364,
      horizonDays: 30,
    });
    expect(r.days).toEqual([day('2025-01-06'), day('2025-06-02')]);
    expect(r.treatEnd).toEqual([day('2025-02-05'), day('2025-07-02')]);
  });

  it('falls back to steps of the horizon when contacts are sent every day', () => {
    const daily = Array.from({ length: 300 }, (_, k) => D - 1 - k);
    const r = decisionRhythm(daily, { decisionDay: D, windowDays: 120, horizonDays: 30 });
    expect(r.kind).toBe('steps');
    expect(r.days).toEqual([D - 120, D - 90, D - 60, D - 30]);
    expect(r.treatEnd).toEqual([D - 90, D - 60, D - 30, D]);
  });

  it('uses fixed steps when asked, the last outcome window ending by D', () => {
    const r = decisionRhythm([], { decisionDay: D, windowDays: 70, horizonDays: 30, stepDays: 14 });
    expect(r.days).toEqual([D - 70, D - 56, D - 42]);
    expect(r.treatEnd).toEqual([D - 56, D - 42, D - 28]);
  });
});
