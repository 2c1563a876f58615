import { describe, expect, it } from 'vitest';
import { ErrorCode, NbgError } from '../../src/errors.js';
import { Calendar } from '../../src/simulate/calendar.js';
import { eur, num } from '../../src/simulate/client-rows.js';
import { DEFAULTS, resolveOptions, type SimulateOptions } from '../../src/simulate/config.js';
import { simulate } from '../../src/simulate/index.js';

describe('simulate/config: resolveOptions', () => {
  it('fills the documented defaults', () => {
    const o = resolveOptions({ out: 'x' });
    expect(o).toEqual({ out: 'x', ...DEFAULTS });
  });

  const bad: [string, SimulateOptions, RegExp][] = [
    ['no folder', { out: '' }, /out must be a folder/],
    ['zero clients', { out: 'x', clients: 0 }, /clients must be an integer from 1 to 20,000,000, got 0/],
    ['fractional clients', { out: 'x', clients: 2.5 }, /clients must be an integer/],
    ['too many clients', { out: 'x', clients: 30_000_000 }, /got 30000000/],
    ['two months', { out: 'x', months: 2 }, /months must be an integer from 3 to 120, got 2/],
    ['unknown policy', { out: 'x', loggingPolicy: 'greedy' as 'biased' }, /one of biased, random, mixed/],
    ['negative exploration', { out: 'x', exploration: -0.1 }, /exploration must be a number from 0 to 1/],
    ['exploration above 1', { out: 'x', exploration: 1.5 }, /got 1.5/],
    ['NaN exploration', { out: 'x', exploration: Number.NaN }, /exploration/],
    ['infinite seed', { out: 'x', seed: Number.POSITIVE_INFINITY }, /seed must be finite/],
  ];
  it.each(bad)('refuses %s with BAD_CONFIG', (_name, options, message) => {
    let caught: unknown;
    try {
      resolveOptions(options);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NbgError);
    expect((caught as NbgError).code).toBe(ErrorCode.BAD_CONFIG);
    expect((caught as NbgError).message).toMatch(message);
  });

  it('simulate() refuses a start date that is not the first of a month before writing anything', async () => {
    await expect(simulate({ out: '/nonexistent/never', startDate: '2024-02-15' })).rejects.toThrow(
      /startDate must be the first day of a month as YYYY-MM-01, got "2024-02-15"/,
    );
  });
});

describe('simulate/calendar', () => {
  const cal = new Calendar('2024-01-01', 24);
  it('maps days to dates, months and timestamps (2024 is a leap year)', () => {
    expect(cal.totalDays).toBe(731);
    expect(cal.date(0)).toBe('2024-01-01');
    expect(cal.date(59)).toBe('2024-02-29');
    expect(cal.date(-1)).toBe('2023-12-31');
    expect(cal.month(23)).toBe('2025-12');
    expect(cal.monthOfDay(59)).toBe(1);
    expect(cal.monthOfDay(730)).toBe(23);
    expect(cal.calendarMonth(13)).toBe(1);
    expect(cal.timestamp(700, 9 * 60 + 5)).toBe('2025-12-01T09:05:00Z');
  });
  it.each(['2024-01-02', '2024-13-01', 'yesterday', ''])('refuses start date %j', (s) => {
    expect(() => new Calendar(s, 12)).toThrow(/simulate\/calendar: startDate/);
  });
});

describe('simulate/client-rows: number formatting', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [0.5, '0.500000000'],
    [0.0123456789, '0.012345679'],
    [1e-12, '1e-12'],
    [3.2e-10, '3.2e-10'],
  ])('num(%s) = %s', (x, text) => {
    expect(num(x)).toBe(text);
    expect(Math.abs(Number(text) - x)).toBeLessThanOrEqual(5e-10);
  });
  it('eur rounds to whole euros', () => {
    expect(eur(1234.56)).toBe('1235');
    expect(eur(-0.4)).toBe('0');
    expect(eur(-12.5)).toBe('-12');
  });
});
