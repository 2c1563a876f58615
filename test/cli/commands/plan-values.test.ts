import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DatasetWorld, datasetWorldFromHistory } from '../../../src/allocate/dataset-world.js';
import { PlanProblemBuilder } from '../../../src/allocate/plan-problem-builder.js';
import { ModelValueSource } from '../../../src/allocate/value-sources/model-value-source.js';
import { verifyPlan } from '../../../src/allocate/verify-plan.js';
import type { Policy } from '../../../src/domain/policy.js';
import { loadPolicy } from '../../../src/domain/policy-file.js';
import {
  buildDecisionRows,
  buildTrainingExamples,
  type FeatureHistory,
  folderSource,
  loadHistory,
  type UpliftExamples,
} from '../../../src/features/index.js';
import type { OutcomeModel } from '../../../src/models/model.js';
import { saveSuite, type TrainedSuite, trainSuite } from '../../../src/models/suite/model-suite.js';
import type { BaselineModel } from '../../../src/models/value/baseline-action-value.js';
import { simulate } from '../../../src/simulate/index.js';
import { actionKey, nbgOutput, type PlanRow, planBreaks, readPlan } from './plan-checks.js';

const NOW = '2025-12-01'; // the world's evaluation date
const now = Date.parse(`${NOW}T00:00:00Z`);

describe('nbg plan --values model and --values classic', () => {
  let dir = '';
  let world = '';
  let suiteDir = '';
  let suite: TrainedSuite;
  let history: FeatureHistory;
  let state: DatasetWorld;
  let policy: Policy;
  let rows: UpliftExamples;
  let out = '';
  let err = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nbg-plan-values-'));
    world = join(dir, 'w');
    await simulate({ clients: 300, seed: 22, out: world });
    history = await loadHistory(folderSource(world));
    const train = await buildTrainingExamples(history, { decisionDate: NOW });
    suite = await trainSuite(train, { baselines: ['classic-propensity'], seed: 2 });
    suiteDir = (await saveSuite(join(dir, 'models'), suite, train)).dir;
    state = await datasetWorldFromHistory(world, history, now);
    policy = await loadPolicy(join(world, 'policy.json'));
    rows = await buildDecisionRows(history, NOW);
    return () => rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  const plan = async (kind: string, model = suiteDir): Promise<{ code: number; rows: PlanRow[] }> => {
    const csv = join(dir, `${kind}.csv`);
    const r = await nbgOutput([
      'plan',
      '--data',
      world,
      '--values',
      kind,
      '--model',
      model,
      '--now',
      NOW,
      '--csv-only',
      '--out',
      csv,
    ]);
    out = r.stdout;
    err = r.stderr;
    return { code: r.code, rows: r.code === 0 ? readPlan(csv) : [] };
  };

  /** The problem nbg plan solved for these values, with the plan's actions set to 1: verifyPlan's input. */
  async function planOnProblem(model: OutcomeModel, baseline: boolean, planned: readonly PlanRow[]) {
    const values = await ModelValueSource.fromRows(model, rows, {
      modelVersion: 'v',
      ...(baseline ? { valuation: 'baseline' as const } : {}),
    });
    const builder = new PlanProblemBuilder({
      policy,
      products: state.products,
      channels: state.channels,
      values,
      now,
    });
    await builder.add(state.clients);
    const problem = builder.finish();
    const index = new Map<string, number>();
    for (let i = 0; i < problem.clientIds.length; i++)
      for (let a = problem.clientStart[i]!; a < problem.clientStart[i + 1]!; a++)
        index.set(
          `${problem.clientIds[i]}/${problem.products[problem.actProduct[a]!]!.id}/${problem.channels[problem.actChannel[a]!]!.id}`,
          a,
        );
    const x = new Float64Array(problem.actValue.length);
    const unknown = planned.filter((r) => !index.has(actionKey(r))).map(actionKey);
    for (const r of planned) if (index.has(actionKey(r))) x[index.get(actionKey(r))!] = 1;
    return { problem, x, unknown };
  }

  it('plans both under the full policy.json: verifyPlan and every rule hold; the classic plan carries what the classic model announces', async () => {
    // the world's policy has every kind of rule, the segment guard included
    expect(policy).toMatchObject({ budgetEUR: expect.any(Number), maxSegmentShareRatio: expect.any(Number) });
    expect(Object.keys(policy.productQuota ?? {}).length).toBeGreaterThan(0);
    const classic = suite.others.get('classic-propensity') as BaselineModel;
    const announced = await classic.actionValue(rows);
    const C = rows.channelIds.length;
    const classicValue = new Map<string, number>();
    for (let i = 0; i < rows.n; i++)
      for (let c = 0; c < C; c++)
        classicValue.set(
          `${rows.clientIds[rows.client[i]!]}/${rows.productIds[rows.product[i]!]}/${rows.channelIds[c]}`,
          announced[i * C + c]!,
        );
    const plans: Record<string, PlanRow[]> = {};
    for (const [kind, model, baseline] of [
      ['model', suite.uplift, false],
      ['classic', classic, true],
    ] as const) {
      const { code, rows: planned } = await plan(kind);
      expect(code, err).toBe(0);
      expect(planned.length).toBeGreaterThan(100);
      expect(planBreaks(planned, state, policy, world, now)).toEqual([]);
      const { problem, x, unknown } = await planOnProblem(model, baseline, planned);
      expect(unknown).toEqual([]);
      expect(verifyPlan(problem, x)).toEqual([]);
      plans[kind] = planned;
    }
    // expected_value_eur of the classic plan: pContact × margin − cost of the classic model, to the cent
    for (const r of plans.classic!) {
      expect(classicValue.get(actionKey(r))).toBeGreaterThan(0);
      expect(Math.abs(r.value - classicValue.get(actionKey(r))!)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    expect(out).toMatch(/values: model:classic-propensity/);
    // two policies, two plans (measured: fewer than half of the classic plan's actions in ours)
    const ours = new Set(plans.model!.map(actionKey));
    expect(plans.classic!.filter((r) => ours.has(actionKey(r))).length).toBeLessThan(
      0.5 * plans.classic!.length,
    );
  }, 300_000);

  it('names the suite folder and the fix when the suite has no classic-propensity model', async () => {
    const bare = join(dir, 'bare');
    cpSync(suiteDir, bare, { recursive: true });
    rmSync(join(bare, 'classic-propensity'), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(bare, 'suite.json'), 'utf8'));
    delete manifest.models['classic-propensity'];
    writeFileSync(join(bare, 'suite.json'), JSON.stringify(manifest));
    const { code } = await plan('classic', bare);
    expect(code).not.toBe(0);
    expect(err).toContain(`the model suite ${bare} has no classic-propensity model`);
    expect(err).toMatch(/nbg train --baselines classic-propensity/);
  }, 120_000);
});
