import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactPlan } from '../../src/allocate/exact-plan.js';
import { lagrangianPlan } from '../../src/allocate/lagrangian-plan.js';
import type { PlanProblem } from '../../src/allocate/plan-problem.js';
import { buildPlanProblem } from '../../src/allocate/plan-problem-builder.js';
import { rankActions } from '../../src/allocate/real-time/rank-actions.js';
import { SyntheticValueSource } from '../../src/allocate/stand-ins/synthetic-value-source.js';
import { SYNTHETIC_CHANNELS, SYNTHETIC_PRODUCTS } from '../../src/allocate/stand-ins/synthetic-world.js';
import { verifyPlan } from '../../src/allocate/verify-plan.js';
import { allPassed, checkAll } from '../../src/constraints/check-all.js';
import type { ClientState } from '../../src/domain/client-state.js';
import type { Policy } from '../../src/domain/policy.js';
import { clientsOf, NOW, policyArb } from './world.js';

const products = SYNTHETIC_PRODUCTS;
const channels = SYNTHETIC_CHANNELS;
const P = products.length;
const C = channels.length;

/** Every selected action passes every rule on the client's original state. */
function selectedBreakRules(
  problem: PlanProblem,
  clients: readonly ClientState[],
  policy: Policy,
  selected: Uint8Array,
): string[] {
  const bad: string[] = [];
  for (let i = 0; i < clients.length; i++) {
    for (let a = problem.clientStart[i]!; a < problem.clientStart[i + 1]!; a++) {
      if (!selected[a]) continue;
      const checks = checkAll({
        client: clients[i]!,
        product: products[problem.actProduct[a]!]!,
        channel: channels[problem.actChannel[a]!]!,
        policy,
        now: NOW,
      });
      if (!allPassed(checks))
        bad.push(
          `${clients[i]!.id}: ${checks
            .filter((c) => !c.passed)
            .map((c) => c.reason)
            .join('; ')}`,
        );
    }
  }
  return bad;
}

async function build(seed: number, count: number, policy: Policy, valueSeed: number) {
  const clients = clientsOf(seed, count);
  const excluded: { failed: number; value: number }[] = [];
  const problem = await buildPlanProblem(clients, {
    policy,
    products,
    channels,
    values: new SyntheticValueSource({ seed: valueSeed, meanUplift: 0.05 }),
    now: NOW,
    onExcluded: (_c, _p, _ch, failed, value) => excluded.push({ failed: failed.length, value }),
  });
  return { clients, problem, excluded };
}

describe('no plan breaks a rule or a global constraint (random worlds and policies)', () => {
  it('Lagrangian plans', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 40 }),
        policyArb,
        fc.integer(),
        async (seed, count, policy, vs) => {
          const { clients, problem, excluded } = await build(seed, count, policy, vs);
          // every candidate, plus every excluded action, is one of the P × C actions of each client
          expect(problem.actValue.length + excluded.length).toBe(count * P * C);
          // every exclusion carries a failed rule, or a value that is not positive
          for (const e of excluded) expect(e.failed > 0 || !(e.value > 0)).toBe(true);
          const sol = lagrangianPlan(problem, { iterations: 40 });
          expect(verifyPlan(problem, sol.plan.selected)).toEqual([]);
          expect(selectedBreakRules(problem, clients, policy, sol.plan.selected)).toEqual([]);
          expect(sol.plan.value).toBeLessThanOrEqual(sol.upperBound + 1e-6 * Math.max(1, sol.upperBound));
        },
      ),
      { numRuns: 700, seed: 20251125 },
    );
  }, 240_000);

  it('exact (HiGHS) plans, and the Lagrangian plan never beats the LP optimum', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 40 }),
        policyArb,
        fc.integer(),
        async (seed, count, policy, vs) => {
          const { clients, problem } = await build(seed, count, policy, vs);
          const ex = await exactPlan(problem);
          expect(verifyPlan(problem, ex.plan.selected)).toEqual([]);
          expect(selectedBreakRules(problem, clients, policy, ex.plan.selected)).toEqual([]);
          const lg = lagrangianPlan(problem, { iterations: 40 });
          expect(lg.plan.value).toBeLessThanOrEqual(ex.upperBound + 1e-6 * Math.max(1, ex.upperBound));
          expect(ex.plan.value).toBeLessThanOrEqual(ex.upperBound + 1e-6 * Math.max(1, ex.upperBound));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  }, 240_000);
});

describe('no real-time suggestion breaks a rule', () => {
  it('ranked actions pass every rule with a positive value; excluded ones carry their reasons', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        policyArb,
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: P * C, maxLength: P * C }),
        fc.integer({ min: 0, max: 3 }),
        (seed, policy, values, plannedTotal) => {
          const client = clientsOf(seed, 1)[0]!;
          const planned = { total: plannedTotal, perChannel: new Map([[channels[1]!.id, plannedTotal]]) };
          const r = rankActions({ client, products, channels, policy, now: NOW, values, planned });
          expect(r.actions.length + r.excluded.length).toBe(P * C);
          for (const a of r.actions) {
            const checks = checkAll({
              client,
              product: products.find((p) => p.id === a.product)!,
              channel: channels.find((c) => c.id === a.channel)!,
              policy,
              now: NOW,
              planned,
            });
            expect(allPassed(checks)).toBe(true);
            expect(a.value).toBeGreaterThan(0);
          }
          for (let k = 1; k < r.actions.length; k++)
            expect(r.actions[k - 1]!.value).toBeGreaterThanOrEqual(r.actions[k]!.value);
          for (const e of r.excluded) {
            expect(e.excludedBy.length).toBeGreaterThan(0);
            const failed = e.checks.filter((c) => !c.passed).map((c) => c.rule);
            if (failed.length > 0) expect(e.excludedBy).toEqual(failed);
            else expect(e.excludedBy).toEqual(['no-positive-value']);
          }
          expect(r.decision).toBe(r.actions.length > 0 ? 'contact' : 'no-contact');
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  }, 240_000);
});
