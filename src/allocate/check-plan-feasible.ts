import type { Policy } from '../domain/policy.js';
import { ErrorCode, NbgError } from '../errors.js';
import type { PlanProblem } from './plan-problem.js';

/**
 * Every constraint of a plan is "at most", so the empty plan always meets them; a policy is
 * infeasible in the only sense that matters to a campaign when its limits leave no contact
 * possible at all although clients have allowed, valuable actions. This names the constraints that
 * do that: a per-client limit of 0, a zero channel capacity or product quota on every candidate,
 * a budget below the cheapest candidate contact. Throws NbgError(INFEASIBLE); returns otherwise.
 */
export function checkPlanFeasible(problem: PlanProblem, policy: Policy): void {
  const conflicts: string[] = [];
  const clients = problem.clientIds.length;
  if (clients === 0) return;
  if (policy.maxContactsPerClient === 0) conflicts.push('maxContactsPerClient is 0');
  const perChannel = policy.maxContactsPerClientPerChannel ?? {};
  const allChannelsZero = problem.channels.every((ch) => perChannel[ch.id] === 0);
  if (allChannelsZero) conflicts.push('maxContactsPerClientPerChannel is 0 on every channel');
  const A = problem.actValue.length;
  if (A > 0) {
    const { limits } = problem;
    let open = 0;
    const blockedBy = new Set<string>();
    for (let a = 0; a < A; a++) {
      const c = problem.actChannel[a]!;
      const p = problem.actProduct[a]!;
      const ch = problem.channels[c]!;
      let blocked = false;
      if (limits.channelCapacity[c]! < 1) {
        blockedBy.add(
          `channelDailyCapacity of ${ch.id} is ${limits.channelCapacity[c]! / limits.horizonDays}`,
        );
        blocked = true;
      }
      if (limits.productQuota[p]! < 1) {
        blockedBy.add(`productQuota of ${problem.products[p]!.id} is ${limits.productQuota[p]}`);
        blocked = true;
      }
      if (ch.costPerContact > limits.budgetEUR) {
        blockedBy.add(
          `budgetEUR ${limits.budgetEUR} is below the ${ch.costPerContact} EUR cost of a ${ch.id} contact`,
        );
        blocked = true;
      }
      if (!blocked) open++;
    }
    if (open === 0) conflicts.push(...[...blockedBy].sort());
  }
  if (conflicts.length > 0) {
    throw new NbgError(
      ErrorCode.INFEASIBLE,
      `the policy allows no contact to any of the ${clients} client(s): ${conflicts.join('; ')}`,
      { hint: 'raise or remove the limits named above in policy.json' },
    );
  }
}
