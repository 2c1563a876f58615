import { describe, expect, it } from 'vitest';
import { checkPlanFeasible } from '../../src/allocate/check-plan-feasible.js';
import type { Policy } from '../../src/domain/policy.js';
import { ErrorCode, NbgError } from '../../src/errors.js';
import { handProblem } from './problem.js';

const clients = [
  {
    segment: 0,
    acts: [
      [0, 0, 10],
      [1, 1, 5],
    ] as [number, number, number][],
  },
];

describe('checkPlanFeasible', () => {
  const bad: [string, Policy, RegExp][] = [
    ['no contact per client', { maxContactsPerClient: 0 }, /maxContactsPerClient is 0/],
    ['zero on every channel', { maxContactsPerClientPerChannel: { CH0: 0, CH1: 0 } }, /0 on every channel/],
    [
      'zero capacities',
      { channelDailyCapacity: { CH0: 0, CH1: 0 } },
      /channelDailyCapacity of CH0 is 0; channelDailyCapacity of CH1 is 0/,
    ],
    ['budget below every cost', { budgetEUR: 0.5 }, /budgetEUR 0.5 is below the 1 EUR cost of a CH0 contact/],
    [
      'quota and capacity together',
      { productQuota: { P0: 0 }, channelDailyCapacity: { CH1: 0 } },
      /channelDailyCapacity of CH1 is 0; productQuota of P0 is 0/,
    ],
  ];
  it.each(bad)('%s is INFEASIBLE and names the constraints', (_n, policy, reason) => {
    const problem = handProblem(clients, policy);
    let error: unknown;
    try {
      checkPlanFeasible(problem, policy);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NbgError);
    expect((error as NbgError).code).toBe(ErrorCode.INFEASIBLE);
    expect((error as NbgError).message).toMatch(reason);
  });

  const ok: [string, Policy][] = [
    ['no policy', {}],
    ['one channel closed', { channelDailyCapacity: { CH0: 0 } }],
    ['budget for one contact', { budgetEUR: 1 }],
  ];
  it.each(ok)('%s is feasible', (_n, policy) => {
    expect(() => checkPlanFeasible(handProblem(clients, policy), policy)).not.toThrow();
  });
});
