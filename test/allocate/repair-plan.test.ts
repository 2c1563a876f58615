import { describe, expect, it } from 'vitest';
import { repairPlan } from '../../src/allocate/repair-plan.js';
import { verifyPlan } from '../../src/allocate/verify-plan.js';
import { handProblem } from './problem.js';

describe('repairPlan', () => {
  it('keeps the segment guard: contacts of a segment ≤ ratio × its client share × all contacts', () => {
    // 4 clients: 2 in segment 0 (mass), 2 in segment 1 (affluent); ratio 1 → each segment ≤ 50 %.
    // Affluent actions are worth more, but with the guard at most as many as mass ones.
    const problem = handProblem(
      [
        { segment: 1, acts: [[0, 0, 100]], maxTotal: 1 },
        { segment: 1, acts: [[0, 0, 90]], maxTotal: 1 },
        { segment: 0, acts: [[0, 0, 5]], maxTotal: 1 },
        { segment: 0, acts: [[1, 1, 1]], maxTotal: 1 },
      ],
      { maxSegmentShareRatio: 1 },
    );
    const plan = repairPlan(problem, Uint32Array.from([0, 1, 2, 3]));
    expect(verifyPlan(problem, plan.selected)).toEqual([]);
    expect([...plan.selected]).toEqual([1, 1, 1, 1]);
    expect(plan.value).toBe(196);
  });

  it('drops the lowest-priority contacts of an over-represented segment', () => {
    const problem = handProblem(
      [
        { segment: 1, acts: [[0, 0, 100]], maxTotal: 1 },
        { segment: 1, acts: [[0, 0, 90]], maxTotal: 1 },
        { segment: 1, acts: [[0, 0, 80]], maxTotal: 1 },
        { segment: 0, acts: [[0, 0, 5]], maxTotal: 1 },
      ],
      { maxSegmentShareRatio: 1.2 },
    );
    // shares: affluent 0.75 of clients → limit 0.9 × contacts; mass 0.25 → 0.3 × contacts.
    // All 4: affluent 3/4 = 0.75 ≤ 0.9 ok, mass 1/4 = 0.25 ≤ 0.3 ok.
    const plan = repairPlan(problem, Uint32Array.from([0, 1, 2, 3]));
    expect(plan.contacts).toBe(4);
    // Without the mass client's action, affluent would be 100 %: 3 > 0.9 × 3, so one is dropped.
    const noMass = handProblem(
      [
        { segment: 1, acts: [[0, 0, 100]], maxTotal: 1 },
        { segment: 1, acts: [[0, 0, 90]], maxTotal: 1 },
        { segment: 1, acts: [[0, 0, 80]], maxTotal: 1 },
        { segment: 0, acts: [], maxTotal: 1 },
      ],
      { maxSegmentShareRatio: 1.2 },
    );
    const plan2 = repairPlan(noMass, Uint32Array.from([0, 1, 2]));
    expect(verifyPlan(noMass, plan2.selected)).toEqual([]);
    expect(plan2.contacts).toBe(0);
  });

  it('respects capacity, quota and budget', () => {
    const problem = handProblem(
      [
        {
          segment: 0,
          acts: [
            [0, 0, 10],
            [1, 1, 9],
          ],
        },
        {
          segment: 0,
          acts: [
            [0, 0, 8],
            [1, 1, 7],
          ],
        },
        { segment: 0, acts: [[0, 1, 6]] },
      ],
      { horizonDays: 1, channelDailyCapacity: { CH0: 1 }, productQuota: { P1: 1 }, budgetEUR: 2.5 },
      2,
      [1, 1],
    );
    const plan = repairPlan(problem, Uint32Array.from([0, 1, 2, 3, 4]));
    expect(verifyPlan(problem, plan.selected)).toEqual([]);
    // CH0 once (10), P1 once (9), budget 2.5 → 2 contacts
    expect([...plan.selected]).toEqual([1, 1, 0, 0, 0]);
    expect(plan.value).toBe(19);
  });
});
