import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientSubproblems } from '../../../src/allocate/lagrangian/client-subproblems.js';
import type { PlanProblem } from '../../../src/allocate/plan-problem.js';
import { handProblem } from '../problem.js';

const P = 3;
const C = 2;

/** One client's actions as [product, channel, reduced value], its contact limit and per-channel limits. */
const clientArb = fc.record({
  acts: fc.uniqueArray(
    fc.tuple(
      fc.integer({ min: 0, max: P - 1 }),
      fc.integer({ min: 0, max: C - 1 }),
      fc.integer({ min: -20, max: 50 }),
    ),
    { minLength: 1, maxLength: P * C, selector: ([p, c]) => p * C + c },
  ),
  maxTotal: fc.integer({ min: 1, max: 6 }),
  perChannel: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: C, maxLength: C }),
});

type ClientCase = { acts: [number, number, number][]; maxTotal: number; perChannel: number[] };

/** The best sum over every subset meeting the limits (total, per channel, one contact per product). */
function bruteForce(acts: [number, number, number][], maxTotal: number, perChannel: number[]): number {
  let best = 0;
  for (let mask = 0; mask < 1 << acts.length; mask++) {
    const chan = new Array(C).fill(0);
    const prod = new Set<number>();
    let n = 0;
    let sum = 0;
    let ok = true;
    acts.forEach(([p, c, v], k) => {
      if (!(mask & (1 << k))) return;
      n++;
      chan[c]++;
      if (prod.has(p) || chan[c] > perChannel[c]!) ok = false;
      prod.add(p);
      sum += v;
    });
    if (ok && n <= maxTotal) best = Math.max(best, sum);
  }
  return best;
}

function problemOf(clients: ClientCase[]): PlanProblem {
  const base = handProblem(
    clients.map((c) => ({ segment: 0, acts: c.acts, maxTotal: c.maxTotal })),
    {},
    P,
    [1, 1],
  );
  return { ...base, clientMaxPerChannel: Int32Array.from(clients.flatMap((c) => c.perChannel)) };
}

describe('allocate/lagrangian/client-subproblems', () => {
  it('solves each client exactly up to 4 contacts, and bounds it above beyond; its picks keep every client limit', () => {
    fc.assert(
      fc.property(fc.array(clientArb, { minLength: 1, maxLength: 5 }), (clients) => {
        const problem = problemOf(clients);
        // the reduced values are the action values here (prices 0)
        const sub = new ClientSubproblems(problem, problem.actValue);
        const bound = sub.solveAll();
        let exact = 0;
        for (const c of clients) exact += bruteForce(c.acts, c.maxTotal, c.perChannel);
        if (clients.every((c) => c.maxTotal <= 4)) expect(bound).toBeCloseTo(exact, 9);
        else expect(bound).toBeGreaterThanOrEqual(exact - 1e-9);
        // the picks: positive values only, within each client's limits
        const picks = Array.from(sub.picked.subarray(0, sub.pickedCount));
        clients.forEach((c, i) => {
          const mine = picks.filter((a) => a >= problem.clientStart[i]! && a < problem.clientStart[i + 1]!);
          expect(mine.length).toBeLessThanOrEqual(c.maxTotal);
          for (let ch = 0; ch < C; ch++)
            expect(mine.filter((a) => problem.actChannel[a] === ch).length).toBeLessThanOrEqual(
              c.perChannel[ch]!,
            );
          expect(new Set(mine.map((a) => problem.actProduct[a])).size).toBe(mine.length);
          for (const a of mine) expect(problem.actValue[a]!).toBeGreaterThan(0);
        });
      }),
      { numRuns: 2000, seed: 4 },
    );
  });

  it('solves a client greedy cannot: the top action blocks two that are worth more together', () => {
    // K = 2, one phone contact: greedy takes P0/phone (10) then P1/branch (1) = 11;
    // P0/branch (9) + P1/phone (8) = 17 is best.
    const problem = problemOf([
      {
        acts: [
          [0, 1, 10],
          [0, 0, 9],
          [1, 1, 8],
          [1, 0, 1],
        ],
        maxTotal: 2,
        perChannel: [2, 1],
      },
    ]);
    const sub = new ClientSubproblems(problem, problem.actValue);
    expect(sub.solveAll()).toBe(17);
    expect(Array.from(sub.picked.subarray(0, sub.pickedCount)).sort()).toEqual([1, 2]);
  });
});
