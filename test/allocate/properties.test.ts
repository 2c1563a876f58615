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

/** A random world: a seed and a count (1 to 40) for the clients, a policy, a seed for the values. */
const worldArb = (policies: fc.Arbitrary<Policy>) =>
  fc.tuple(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 40 }), policies, fc.integer());

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
      fc.asyncProperty(worldArb(policyArb), async ([seed, count, policy, vs]) => {
        const { clients, problem, excluded } = await build(seed, count, policy, vs);
        // every candidate, plus every excluded action, is one of the P × C actions of each client
        expect(problem.actValue.length + excluded.length).toBe(count * P * C);
        // every exclusion carries a failed rule, or a value that is not positive
        for (const e of excluded) expect(e.failed > 0 || !(e.value > 0)).toBe(true);
        const sol = lagrangianPlan(problem, { iterations: 40 });
        expect(verifyPlan(problem, sol.plan.selected)).toEqual([]);
        expect(selectedBreakRules(problem, clients, policy, sol.plan.selected)).toEqual([]);
        expect(sol.plan.value).toBeLessThanOrEqual(sol.upperBound + 1e-6 * Math.max(1, sol.upperBound));
      }),
      { numRuns: 700, seed: 20251125 },
    );
  }, 240_000);

  it('exact (HiGHS) plans, and the Lagrangian plan never beats the LP optimum', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb(policyArb), async ([seed, count, policy, vs]) => {
        const { clients, problem } = await build(seed, count, policy, vs);
        const ex = await exactPlan(problem);
        expect(verifyPlan(problem, ex.plan.selected)).toEqual([]);
        expect(selectedBreakRules(problem, clients, policy, ex.plan.selected)).toEqual([]);
        const lg = lagrangianPlan(problem, { iterations: 40 });
        expect(lg.plan.value).toBeLessThanOrEqual(ex.upperBound + 1e-6 * Math.max(1, ex.upperBound));
        expect(ex.plan.value).toBeLessThanOrEqual(ex.upperBound + 1e-6 * Math.max(1, ex.upperBound));
      }),
      { numRuns: 300, seed: 7 },
    );
  }, 240_000);
});

/** The largest action value of a problem (0 when it has no action). */
function largestValue(problem: PlanProblem): number {
  let v = 0;
  for (const x of problem.actValue) v = Math.max(v, x);
  return v;
}

/**
 * The quality floor of a plan: value ≥ QUALITY × LP optimum − the largest action value. The LP may
 * take a fraction of an action that no integral plan can (a budget below one contact's cost), hence
 * the one action allowed. Measured on 10,000 random worlds of 1 to 40 clients (policyArb without the
 * segment guard; 2,224 with a positive LP optimum), the worst (value + largest action) / LP was 0.965
 * for the Lagrangian planner at 40 iterations and 1.01 for the exact plan's rounding; where the LP
 * optimum is ten actions or more the Lagrangian plan earned at least 0.92 of it (0.999 at 10,000
 * clients in bench/plan.ts). 0.9 leaves a margin; an empty plan, or one without half its picks, falls
 * below it wherever the LP optimum is worth more than about 2.5 actions (most cases here).
 */
const QUALITY = 0.9;

/**
 * The segment guard is left out: on a few dozen clients it can leave no integral plan but the empty
 * one while the LP, free to take fractions of contacts, earns much (HiGHS's MIP optimum 0 against an
 * LP optimum of 1,258 EUR on one such case), so the LP is no yardstick there. Guarded plans are
 * checked for feasibility above.
 */
const unguardedPolicyArb = policyArb.map(({ maxSegmentShareRatio: _guard, ...policy }) => policy);

describe('plans earn nearly the LP optimum (random worlds and policies without a segment guard)', () => {
  it(`Lagrangian and exact plans are feasible and earn at least ${QUALITY} × LP optimum − one action`, async () => {
    let yardstick = 0; // cases whose LP optimum is worth more than 2.5 actions: where a half plan fails
    await fc.assert(
      fc.asyncProperty(worldArb(unguardedPolicyArb), async ([seed, count, policy, vs]) => {
        const { clients, problem } = await build(seed, count, policy, vs);
        const ex = await exactPlan(problem);
        const lg = lagrangianPlan(problem, { iterations: 40 });
        const floor = QUALITY * ex.upperBound - largestValue(problem);
        if (ex.upperBound > 2.5 * largestValue(problem)) yardstick++;
        for (const { plan } of [lg, ex]) {
          expect(verifyPlan(problem, plan.selected)).toEqual([]);
          expect(selectedBreakRules(problem, clients, policy, plan.selected)).toEqual([]);
          expect(plan.value).toBeGreaterThanOrEqual(floor);
        }
      }),
      { numRuns: 1000, seed: 20260115 },
    );
    // most random policies leave nothing to plan (a zero limit, a tiny budget): keep enough that do
    expect(yardstick).toBeGreaterThan(100);
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
