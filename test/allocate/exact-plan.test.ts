import { describe, expect, it } from 'vitest';
import { buildPlanLp, exactPlan } from '../../src/allocate/exact-plan.js';
import { lagrangianPlan } from '../../src/allocate/lagrangian-plan.js';
import { verifyPlan } from '../../src/allocate/verify-plan.js';
import { handProblem } from './problem.js';

describe('exactPlan', () => {
  // Three clients, one contact each; channel CH0 holds 1 contact over the horizon (daily 1 × 1 day).
  // Best: C0 via CH0 (10), C1 via CH1 (8), C2 via CH1 (3) = 21; the capacity's shadow price is 1
  // (a second CH0 contact lets C1 switch from CH1, 8, to CH0, 9).
  const problem = handProblem(
    [
      {
        segment: 0,
        acts: [
          [0, 0, 10],
          [0, 1, 6],
        ],
        maxTotal: 1,
      },
      {
        segment: 0,
        acts: [
          [0, 0, 9],
          [1, 1, 8],
        ],
        maxTotal: 1,
      },
      { segment: 0, acts: [[1, 1, 3]], maxTotal: 1 },
    ],
    { horizonDays: 1, channelDailyCapacity: { CH0: 1 } },
  );

  it('finds the LP optimum, an integral plan, and the shadow price of the binding capacity', async () => {
    const sol = await exactPlan(problem);
    expect(sol.upperBound).toBeCloseTo(21, 9);
    expect(sol.plan.value).toBeCloseTo(21, 9);
    expect([...sol.plan.selected]).toEqual([1, 0, 0, 1, 1]);
    expect(sol.shadowPrices).toHaveLength(1);
    expect(sol.shadowPrices[0]!.constraint).toBe('channel-capacity:CH0');
    expect(sol.shadowPrices[0]!.price).toBeCloseTo(1, 6);
    expect(sol.shadowPrices[0]!.binding).toBe(true);
    expect(verifyPlan(problem, sol.plan.selected)).toEqual([]);
  });

  it('builds only the rows that can bind', () => {
    const lp = buildPlanLp(problem);
    // client rows: C0 and C1 total (2 actions, limit 1); C2 has 1 action (no row); then CH0 capacity
    expect(lp.rowNames).toEqual(['client-total:C0', 'client-total:C1', 'channel-capacity:CH0']);
    expect(lp.numCols).toBe(5);
  });

  it('agrees with the Lagrangian method', () => {
    const sol = lagrangianPlan(problem);
    expect(sol.plan.value).toBeCloseTo(21, 9);
    expect(sol.upperBound).toBeGreaterThanOrEqual(21 - 1e-9);
    expect(sol.shadowPrices[0]!.price).toBeGreaterThan(0);
  });
});
