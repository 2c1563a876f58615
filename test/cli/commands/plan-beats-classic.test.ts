import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPlan as readPlanContacts, scorePlans } from '../../../bench/lib/plan-truth-score.js';
import type { ScoredPlan } from '../../../src/cli/commands/evaluate-plans.js';
import { buildTrainingExamples, folderSource, loadHistory } from '../../../src/features/index.js';
import { saveSuite, trainSuite } from '../../../src/models/suite/model-suite.js';
import type { WorldFamilyId } from '../../../src/simulate/config.js';
import { simulate } from '../../../src/simulate/index.js';
import { nbgOutput } from './plan-checks.js';

/**
 * The product's core claim, as a bank would deploy it: on a simulated world of each family, our
 * plan and the classic per-product propensity plan both through `nbg plan` under the world's full
 * policy.json, scored by the truth (bench/lib/plan-truth-score.ts, which shares no code with nbg).
 * Development seeds only; bench/decisions.ts measures the report seeds at 10k and 100k clients.
 */
const root = mkdtempSync(join(tmpdir(), 'nbg-beats-classic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function trueValues(world: WorldFamilyId, seed: number, clients: number) {
  const dir = join(root, world);
  const meta = await simulate({ clients, seed, out: dir, world });
  const train = await buildTrainingExamples(await loadHistory(folderSource(dir)), {
    decisionDate: meta.evaluationDate,
    horizonDays: 30,
  });
  const suite = await trainSuite(train, { baselines: ['classic-propensity'], seed: 3 });
  const { dir: model } = await saveSuite(join(dir, 'models'), suite, train);
  const plans: Record<string, ReturnType<typeof readPlanContacts>> = {};
  for (const values of ['model', 'classic']) {
    const out = join(dir, `${values}.csv`);
    const r = await nbgOutput([
      'plan',
      '--data',
      dir,
      '--values',
      values,
      '--model',
      model,
      '--csv-only',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    plans[values] = readPlanContacts(out);
  }
  const s = await scorePlans(dir, plans);
  // nbg evaluate --plans makes the same plans and scores them with nbg's own truth reader: it
  // must agree with the independent scorer on both
  const report = join(dir, 'plans.json');
  const e = await nbgOutput(['evaluate', dir, '--plans', '--model', model, '--out', report]);
  expect(e.code, e.stderr).toBe(0);
  expect(e.stdout).toContain('type-blind oracle');
  const evaluated = JSON.parse(readFileSync(report, 'utf8')) as { plans: ScoredPlan[] };
  expect(evaluated.plans.map((p) => p.values)).toEqual(['model', 'classic', 'truth', 'truth-blind']);
  for (const [name, score] of [
    ['model', s.model!],
    ['classic', s.classic!],
  ] as const) {
    const got = evaluated.plans.find((p) => p.values === name)!;
    expect(got.contacts, name).toBe(score.contacts);
    expect(got.trueValue, name).toBeCloseTo(score.trueValue, 4);
    expect(got.announced, name).toBeCloseTo(score.announced, 0);
    expect(got.negativeShare, name).toBeCloseTo(score.negative / score.contacts, 10);
  }
  const oracle = evaluated.plans.find((p) => p.values === 'truth')!;
  expect(oracle.negativeShare).toBe(0);
  expect(oracle.trueValue).toBeGreaterThan(s.model!.trueValue);
  return { ours: s.model!, classic: s.classic! };
}

describe('our plan against the classic plan, both under the full policy', () => {
  it.each([
    ['default', 2, 4000],
    ['mild-bias', 2, 4000],
  ] as const)(
    'earns more true value on a %s world (seed %i, %i clients)',
    async (world, seed, clients) => {
      const { ours, classic } = await trueValues(world, seed, clients);
      expect(ours.contacts).toBeGreaterThan(100);
      expect(classic.contacts).toBeGreaterThan(100);
      expect(ours.trueValue).toBeGreaterThan(classic.trueValue);
      // and what ours announces is within a factor 2.5 of what it earns, while the classic plan
      // announces its whole conversion probability as value
      expect(ours.announced / ours.trueValue).toBeLessThan(2.5);
      expect(classic.announced / classic.trueValue).toBeGreaterThan(3);
    },
    600_000,
  );
});
