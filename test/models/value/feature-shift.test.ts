import { describe, expect, it } from 'vitest';
import type { UpliftExamples } from '../../../src/features/examples.js';
import { afterContact, afterDays } from '../../../src/models/value/feature-shift.js';
import { syntheticExamples } from '../synthetic-examples.js';

function table(): UpliftExamples {
  const { examples } = syntheticExamples({ n: 1, seed: 2, kind: 'decide' });
  const pair = [
    'contacts_30d',
    'fatigue_45d',
    'days_since_contact',
    'product_sessions_7d',
    'product_signal_3d',
    'product_signal_30d',
    'age',
  ];
  const channel = ['consent', 'contacts_90d', 'days_since_refusal'];
  return {
    ...examples,
    schema: { version: 't', pair, channel },
    x: Float32Array.from([2, 1.5, 10, Math.log1p(7), 0.8, 2, 40]),
    xc: Float32Array.from([1, 0, 365, 1, 3, 100, 0, 1, 20]),
  };
}

describe('feature shifts', () => {
  it('adds one contact through a channel', () => {
    const t = afterContact(table(), 1);
    expect(Array.from(t.x)).toEqual([3, 2.5, 0, Math.fround(Math.log1p(7)), Math.fround(0.8), 2, 40]);
    expect(Array.from(t.xc)).toEqual([1, 0, 365, 1, 4, 100, 0, 1, 20]);
  });

  it('ages the table by d days with the recent session pace carried on', () => {
    const base = table();
    const t = afterDays(base, 7);
    const rate = 7 / 7; // sessions a day over the last 7 days
    expect(t.x[4]).toBeCloseTo(0.8 * Math.exp(-7 / 3) + rate * 0.6 * 3 * (1 - Math.exp(-7 / 3)), 5);
    expect(t.x[5]).toBeCloseTo(2 * Math.exp(-7 / 30) + rate * 0.6 * 30 * (1 - Math.exp(-7 / 30)), 5);
    expect(t.x[1]).toBeCloseTo(1.5 * Math.exp(-7 / 45), 5);
    expect(t.x[2]).toBe(17);
    expect(t.x[0]).toBe(2); // fixed-window counts are kept
    expect(Array.from(t.xc)).toEqual([1, 0, 365, 1, 3, 107, 0, 1, 27]);
    expect(Array.from(base.x)[2]).toBe(10); // the input is not changed
  });
});
