import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readDatasetWorld } from '../../../src/allocate/dataset-world.js';
import { main } from '../../../src/cli/main.js';
import { loadPolicy } from '../../../src/domain/policy-file.js';
import {
  buildDecisionRows,
  buildTrainingExamples,
  folderSource,
  loadHistory,
} from '../../../src/features/index.js';
import { saveSuite, trainSuite } from '../../../src/models/suite/model-suite.js';
import { actionValues } from '../../../src/models/value/action-value.js';

import { simulate } from '../../../src/simulate/index.js';
import { actionKey, type PlanRow, planBreaks, readPlan, trueValues } from './plan-checks.js';

const DATA = 'test/fixtures/bank-mini';

describe('nbg plan', () => {
  let out = '';
  let err = '';
  let dir = '';
  beforeEach(() => {
    out = '';
    err = '';
    dir = mkdtempSync(join(tmpdir(), 'nbg-plan-'));
    process.env.NBG_PROGRESS = '0';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err += String(s);
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes a plan CSV that keeps the policy and prints the summary', async () => {
    const csv = join(dir, 'plan.csv');
    const code = await main([
      'plan',
      '--data',
      DATA,
      '--out',
      csv,
      '--now',
      '2025-06-01',
      '--solver',
      'exact',
      '--csv-only',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'recommendation_id,plan_id,client_id,product_id,channel_id,scheduled_for,expected_value_eur,cost_eur,model_version,solver',
    );
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(out).toMatch(new RegExp(`Wrote ${rows.length} planned contacts`));
    expect(rows.length).toBe(39);
    // at most 2 contacts per client, 1 per product per client, budget 2,500 EUR
    const perClient = new Map<string, number>();
    const pairs = new Set<string>();
    let cost = 0;
    for (const r of rows) {
      perClient.set(r[2]!, (perClient.get(r[2]!) ?? 0) + 1);
      pairs.add(`${r[2]}/${r[3]}`);
      cost += Number(r[7]);
    }
    expect(Math.max(...perClient.values())).toBeLessThanOrEqual(2);
    expect(pairs.size).toBe(rows.length);
    expect(cost).toBeLessThanOrEqual(2500);
    expect(out).toMatch(/Plan \(exact, .* s\): 39 contacts for 20 clients/);
    expect(out).toMatch(/actions excluded, per rule:\n {4}consent/);
  });

  it('the Lagrangian solver gives a plan as good within 1 %', async () => {
    const csv = join(dir, 'plan.csv');
    await main([
      'plan',
      '--data',
      DATA,
      '--out',
      csv,
      '--now',
      '2025-06-01',
      '--solver',
      'exact',
      '--csv-only',
    ]);
    const exact = Number(/expected incremental value ([\d,]+) EUR/.exec(out)![1]!.replaceAll(',', ''));
    out = '';
    expect(
      await main([
        'plan',
        '--data',
        DATA,
        '--out',
        csv,
        '--now',
        '2025-06-01',
        '--solver',
        'lagrangian',
        '--csv-only',
      ]),
    ).toBe(0);
    const lag = Number(/expected incremental value ([\d,]+) EUR/.exec(out)![1]!.replaceAll(',', ''));
    expect(lag).toBeGreaterThanOrEqual(0.99 * exact);
  });

  const bad: [string, string, number, RegExp][] = [
    [
      'an infeasible policy',
      '{"maxContactsPerClient": 0}',
      2,
      /the policy allows no contact to any of the 20 client\(s\): maxContactsPerClient is 0/,
    ],
    ['an unknown key', '{"maxContactPerClient": 2}', 2, /unknown key\(s\) "maxContactPerClient"/],
    [
      'an unknown channel',
      '{"channelDailyCapacity": {"fax": 2}}',
      2,
      /channelDailyCapacity\.fax.*unknown id "fax"/,
    ],
    ['bad JSON', '{"budgetEUR": }', 2, /policy\.json:1:\d+: invalid JSON/],
  ];
  it.each(bad)('refuses %s with a clear error', async (_n, policy, code, message) => {
    const path = join(dir, 'policy.json');
    writeFileSync(path, policy);
    expect(
      await main([
        'plan',
        '--data',
        DATA,
        '--policy',
        path,
        '--out',
        join(dir, 'p.csv'),
        '--now',
        '2025-06-01',
        '--csv-only',
      ]),
    ).toBe(code);
    expect(err).toMatch(message);
  });

  const badFlags: [string[], RegExp][] = [
    [['--solver', 'simplex'], /--solver: expected one of exact, lagrangian, auto, got "simplex"/],
    [['--values', 'truth'], /--values truth: test\/fixtures\/bank-mini has no truth\/response.csv/],
    [['--now', '2025-13-01'], /--now: expected a date YYYY-MM-DD, got "2025-13-01"/],
    [['--horizon', '0'], /--horizon: expected an integer from 1 to 3660, got "0"/],
  ];
  it.each(badFlags)('refuses %j', async (flags, message) => {
    expect(await main(['plan', '--data', DATA, '--out', join(dir, 'p.csv'), ...flags])).toBe(2);
    expect(err).toMatch(message);
  });

  /**
   * bank-mini with a truth whose type-aware and type-blind columns disagree on two Livret A emails
   * (unit value 18 EUR, email 0.10 EUR): C002 is worth (0.50 − 0.10) × 18 − 0.1 = 7.10 EUR by the
   * truth and (0.25 − 0.20) × 18 − 0.1 = 0.80 by the type-blind truth; C004 −1.90 and 5.30.
   */
  function blindWorld(header: string): string {
    const world = join(dir, 'w');
    cpSync(DATA, world, { recursive: true });
    mkdirSync(join(world, 'truth'));
    const rows = ['C002,P_LIVRET_A,email,0.10,0.50,0.20,0.25', 'C004,P_LIVRET_A,email,0.30,0.20,0.10,0.40'];
    writeFileSync(join(world, 'truth', 'response.csv'), `${[header, ...rows].join('\n')}\n`);
    // no global rule: the plan is every action of positive value
    writeFileSync(join(world, 'policy.json'), '{"maxContactsPerClient": 2}');
    return world;
  }
  const BLIND_HEADER =
    'client_id,product_id,channel_id,p_no_contact,p_contact,p_no_contact_type_blind,p_contact_type_blind';

  it('plans with the type-blind truth (--values truth-blind): (p_contact_type_blind − p_no_contact_type_blind) × unit value − cost', async () => {
    const world = blindWorld(BLIND_HEADER);
    const plan = async (values: string): Promise<PlanRow[]> => {
      const csv = join(dir, `${values}.csv`);
      const args = ['plan', '--data', world, '--values', values, '--now', '2025-06-01', '--csv-only'];
      expect(await main([...args, '--out', csv]), err).toBe(0);
      return readPlan(csv);
    };
    const blind = await plan('truth-blind');
    expect(blind.map((r) => [actionKey(r), r.value, r.modelVersion])).toEqual([
      ['C002/P_LIVRET_A/email', 0.8, 'truth-blind'],
      ['C004/P_LIVRET_A/email', 5.3, 'truth-blind'],
    ]);
    expect(out).toMatch(/values: truth-blind\)/);
    // the type-aware truth of the same folder: only C002, at its own value
    expect((await plan('truth')).map((r) => [actionKey(r), r.value])).toEqual([
      ['C002/P_LIVRET_A/email', 7.1],
    ]);
  });

  it('refuses --values truth-blind when truth/response.csv has no type-blind columns, naming the file and the columns', async () => {
    const world = blindWorld(BLIND_HEADER.replace(',p_contact_type_blind', ',p_contact_blind'));
    const code = await main([
      'plan',
      '--data',
      world,
      '--values',
      'truth-blind',
      '--out',
      join(dir, 'p.csv'),
    ]);
    expect(code).toBe(2);
    expect(err).toMatch(
      /the type-blind truth needs the columns p_no_contact_type_blind, p_contact_type_blind in .*truth\/response\.csv; it has no p_contact_type_blind/,
    );
  });

  it('refuses a folder that is not a dataset', async () => {
    expect(await main(['plan', '--data', dir])).toBe(2);
    expect(err).toMatch(/has no clients.csv/);
  });

  it("plans with the action values of the trained uplift model (--values model): every rule kept, the model's values, a better plan than the stand-in values", async () => {
    const world = join(dir, 'w');
    const NOW = '2025-12-01'; // the world's evaluation date: truth/response.csv values its actions
    await simulate({ clients: 300, seed: 21, out: world });
    const history = await loadHistory(folderSource(world));
    const train = await buildTrainingExamples(history, { decisionDate: NOW });
    const suite = await trainSuite(train, { baselines: [], seed: 2 });
    const { dir: suiteDir, manifest } = await saveSuite(join(dir, 'models'), suite, train);
    const plan = async (values: string[], name: string): Promise<{ rows: PlanRow[]; summary: string }> => {
      out = '';
      const csv = join(dir, name);
      const code = await main(['plan', '--data', world, ...values, '--now', NOW, '--csv-only', '--out', csv]);
      expect(code, err).toBe(0);
      return { rows: readPlan(csv), summary: out };
    };
    const model = await plan(['--values', 'model', '--model', suiteDir], 'model.csv');
    const synthetic = await plan(['--values', 'synthetic'], 'synthetic.csv');
    expect(model.rows.length).toBe(430);
    expect(model.rows.every((r) => r.modelVersion === manifest.version)).toBe(true);

    // 1. The plan keeps the policy: every rule on each planned action, the client's earlier planned
    // contacts counted (contact pressure), consent re-read from consents.csv, and the global limits.
    const now = Date.parse(`${NOW}T00:00:00Z`);
    const state = await readDatasetWorld(world, now);
    const policy = await loadPolicy(join(world, 'policy.json'));
    expect(planBreaks(model.rows, state, policy, world, now)).toEqual([]);

    // 2. Each planned value is the model's action value (calibrated uplift × margin − cost) of the
    // picked action, rounded to the cent in the CSV, and the plan's value is their sum.
    const rows = await buildDecisionRows(history, NOW);
    const av = await actionValues(suite.uplift, rows);
    const C = rows.channelIds.length;
    const modelValue = new Map<string, number>();
    for (let i = 0; i < rows.n; i++)
      for (let c = 0; c < C; c++)
        modelValue.set(
          `${rows.clientIds[rows.client[i]!]}/${rows.productIds[rows.product[i]!]}/${rows.channelIds[c]}`,
          av.value[i * C + c]!,
        );
    const modelPlanValue = (plan: readonly PlanRow[]): number =>
      plan.reduce((s, r) => s + modelValue.get(actionKey(r))!, 0);
    for (const r of model.rows) {
      expect(modelValue.get(actionKey(r))).toBeGreaterThan(0); // the CSV's cents may round it to 0
      expect(Math.abs(r.value - modelValue.get(actionKey(r))!)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    const planned = Number(
      /expected incremental value ([\d,]+) EUR/.exec(model.summary)![1]!.replaceAll(',', ''),
    );
    expect(planned).toBe(918);
    expect(Math.abs(planned - modelPlanValue(model.rows))).toBeLessThanOrEqual(0.5);
    expect(
      Math.abs(model.rows.reduce((s, r) => s + r.value, 0) - modelPlanValue(model.rows)),
    ).toBeLessThanOrEqual(0.005 * model.rows.length);

    // 3. Against the plan on the seeded stand-in values (same world, policy and date), which keeps the
    // same rules: the model plan is the optimum of the model's values (exact solver, gap 0), so the
    // stand-in plan, valued by the model, is worth less (measured 532 against 918 EUR); and in true
    // value (truth/response.csv) the model plan earns more (measured 389 against 271 EUR, 1.43×).
    // Fewer than 60% of its actions are the stand-in plan's (measured 215 of 430).
    expect(synthetic.rows.every((r) => r.modelVersion === 'synthetic-1')).toBe(true);
    expect(planBreaks(synthetic.rows, state, policy, world, now)).toEqual([]);
    expect(modelPlanValue(synthetic.rows)).toBeLessThanOrEqual(0.8 * modelPlanValue(model.rows));
    const truth = trueValues(world, state);
    expect(truth(model.rows)).toBeGreaterThanOrEqual(1.25 * truth(synthetic.rows));
    expect(truth(synthetic.rows)).toBeGreaterThan(0);
    const inModel = new Set(model.rows.map(actionKey));
    expect(synthetic.rows.filter((r) => inModel.has(actionKey(r))).length).toBeLessThan(
      0.6 * model.rows.length,
    );
  }, 300_000);

  it('says how to get a model when --values model has none', async () => {
    process.env.NBG_DATA_DIR = join(dir, 'empty');
    try {
      expect(
        await main(['plan', '--data', DATA, '--values', 'model', '--csv-only', '--out', join(dir, 'p.csv')]),
      ).not.toBe(0);
      expect(err).toMatch(/no trained model[\s\S]*nbg train/);
    } finally {
      delete process.env.NBG_DATA_DIR;
    }
  });
});
