import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { BranchNetwork } from '../../src/simulate/branch-network.js';
import { N_PRODUCTS, P } from '../../src/simulate/catalog.js';
import { drawClientProfile } from '../../src/simulate/client-profile.js';
import { HoldingBook } from '../../src/simulate/holding-book.js';
import { needAt, plateau } from '../../src/simulate/life-events.js';

describe('simulate/life-events', () => {
  it.each([
    [50, 100, 200, 20, 0],
    [80, 100, 200, 20, 0],
    [90, 100, 200, 20, 0.5],
    [150, 100, 200, 20, 1],
    [210, 100, 200, 20, 0.5],
    [221, 100, 200, 20, 0],
    [150, Number.NaN, 200, 20, 0],
  ])('plateau(%d; [%d, %d], ramp %d) = %d', (t, a, b, ramp, want) => {
    expect(plateau(t, a, b, ramp)).toBeCloseTo(want, 12);
  });

  it('a planned house purchase builds PEL need first, then the mortgage need around the purchase', () => {
    const c = drawClientProfile(createRng(9), 0, 731, 2024, new BranchNetwork(100));
    const ev = { house: 600, child: Number.NaN, retirement: Number.NaN, firstJob: Number.NaN };
    const need = new Float64Array(N_PRODUCTS);
    const at = (t: number, p: number): number => {
      needAt(c, ev, t, 2, need);
      return need[p]!;
    };
    const base = c.needBase;
    expect(at(300, P.pel)).toBeCloseTo(Math.min(1, base[P.pel]! + 0.45), 12);
    expect(at(300, P.mortgage)).toBeCloseTo(base[P.mortgage]!, 12);
    expect(at(560, P.mortgage)).toBeCloseTo(Math.min(1, base[P.mortgage]! + 0.85), 12);
    expect(at(700, P.mortgage)).toBeCloseTo(base[P.mortgage]!, 12);
    expect(at(610, P.homeInsurance)).toBeCloseTo(Math.min(1, base[P.homeInsurance]! + 0.6), 12);
    needAt(c, ev, 560, 11, need);
    for (const x of need) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
  });
});

describe('simulate/holding-book', () => {
  it('knows what is held on a day, open and closed holdings, and a re-opened product', () => {
    const book = new HoldingBook();
    book.add(P.consumerCredit, 10, 100);
    book.add(P.consumerCredit, 150, Number.NaN);
    book.add(P.livretA, -50, Number.NaN);
    expect(book.held(P.consumerCredit, 9)).toBe(false);
    expect(book.held(P.consumerCredit, 10)).toBe(true);
    expect(book.held(P.consumerCredit, 100)).toBe(false);
    expect(book.openedOn(P.consumerCredit, 200)).toBe(150);
    expect(book.termDays(P.consumerCredit, 50)).toBe(90);
    expect(book.termDays(P.consumerCredit, 200)).toBe(Number.POSITIVE_INFINITY);
    expect(book.held(P.livretA, 0)).toBe(true);
    expect(book.held(P.pea, 0)).toBe(false);
    book.reset();
    expect(book.size).toBe(0);
  });
});
