import { describe, expect, it } from 'vitest';
import { stopwatch } from '../src/stopwatch.js';

describe('stopwatch', () => {
  it('laps the seconds since the previous lap on its clock, adds a repeated name, totals since the start', () => {
    let ms = 1_000;
    const sw = stopwatch(() => ms);
    ms += 1_500;
    expect(sw.lap('read')).toBe(1.5);
    ms += 250;
    expect(sw.lap('write')).toBe(0.25);
    ms += 500;
    expect(sw.lap('read')).toBe(0.5);
    expect(sw.laps).toEqual({ read: 2, write: 0.25 });
    ms += 750;
    expect(sw.seconds()).toBe(3);
  });

  it('runs on wall time by default', async () => {
    const sw = stopwatch();
    await new Promise((r) => setTimeout(r, 30));
    expect(sw.seconds()).toBeGreaterThanOrEqual(0.025);
    expect(sw.seconds()).toBeLessThan(5);
  });
});
