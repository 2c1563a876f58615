import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateWithModels, OUR_POLICY } from '../../src/evaluate/evaluate-models.js';
import { simulate } from '../../src/simulate/index.js';

const CLASSIC = 'classic per-product propensity';

/**
 * The study's claim in small: on a simulated world, the debiased uplift policy earns more true value
 * than the classic per-product propensity policy, both given the logged round's contacts under the
 * same per-pair rules (evaluateWithModels, as `nbg evaluate` and bench/models.ts run it).
 *
 * World: 3,000 clients, simulator seed 2; suite at its defaults (seed 42, T-learner) except that
 * the only baseline fitted is the classic one, to save time (the baselines are fitted after the
 * uplift learner and do not change its values). The classic policy's value is negative on small
 * worlds (it contacts whoever converts anyway, at a cost), so the margin is stated as a share of the
 * truth oracle's value, not as a ratio. Measured (ours − classic) / oracle on this world: 0.24 with
 * suite seed 42 (ours 1,821, classic −1,782, oracle 14,967 EUR), 0.21 to 0.24 with suite seeds 1-3;
 * on worlds of 2,000-5,000 clients, seeds 1-3: 0.11 to 0.27. Asserted: ≥ 0.15. `budgetFactors: [1]`
 * (the value curve at the budget only) also saves time; the comparison does not depend on it.
 */
describe('evaluateWithModels on a simulated world', () => {
  it('our debiased policy earns more true value than the classic propensity policy, same contacts', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nbg-evaluate-models-')), 'world');
    await simulate({ out: dir, clients: 3000, seed: 2 });
    const report = await evaluateWithModels(dir, {
      propensities: 'truth',
      suite: { baselines: ['classic-propensity'] },
      budgetFactors: [1],
    });
    const row = (name: string) => {
      const c = report.comparisons.find((x) => x.policy === name);
      if (!c) throw new Error(`no policy "${name}" in ${report.comparisons.map((x) => x.policy).join(', ')}`);
      return c.truth;
    };
    const ours = row(OUR_POLICY);
    const classic = row(CLASSIC);
    const oracle = row('truth-uplift oracle');
    const random = row('uniform random');
    // same budget: the logged round's contacts, spent in full by both
    expect(report.contacts).toBe(report.loggedContacts);
    expect(ours.contacts).toBeCloseTo(report.contacts, 9);
    expect(classic.contacts).toBeCloseTo(report.contacts, 9);
    expect(oracle.netValue).toBeGreaterThan(0);
    expect((ours.netValue - classic.netValue) / oracle.netValue).toBeGreaterThanOrEqual(0.15);
    expect(ours.netValue).toBeGreaterThan(0);
    expect(ours.netValue).toBeGreaterThan(random.netValue);
  }, 300_000);
});
