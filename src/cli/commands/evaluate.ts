import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config.js';
import { csvLine } from '../../csv/writer.js';
import { withConnection } from '../../db/connect.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { COMPARE_DEFAULTS } from '../../evaluate/compare-policies.js';
import { evaluateWithModels } from '../../evaluate/evaluate-models.js';
import {
  comparisonRecords,
  comparisonTable,
  type EvaluationReport,
  evaluate,
  formatTable,
} from '../../evaluate/index.js';
import { storeEvaluation } from '../../evaluate/store-evaluation.js';
import { latestSuiteDir, modelsRoot } from '../../models/suite/model-store.js';
import { SUITE_DEFAULTS } from '../../models/suite/model-suite.js';
import { boolFlag, choiceFlag, intFlag, numberFlag, stringFlag } from '../args.js';
import type { Command, CommandArgs } from '../command.js';
import { evaluatePlans, planTable } from './evaluate-plans.js';

const usage = `nbg evaluate DIR [--contacts N] [--out FILE] [--plot FILE.svg] [--no-models]
                  [--propensities auto|truth|exposure] [--learner t|dr|x] [--lambda L]
                  [--interval normal|bootstrap] [--store]
nbg evaluate DIR --plans [--model DIR] [--solver exact|lagrangian|auto] [--out FILE.json]

Scores targeting policies on the logged round at the evaluation date D of DIR, a data-contract folder
with truth/ (meta.json, response.csv). First it trains the models on the folder's history strictly
before D (the same features and models as \`nbg train\`: the exposure model, the debiased uplift
learner, the popularity and classic per-product propensity baselines). Then every policy gets the
same number of contacts under the same per-pair rules: uniform random, the naive conversion-rate
targeting, each baseline, our debiased uplift policy and the truth-uplift oracle. For each: its true
incremental conversions and net value over contacting nobody (from truth/), the off-policy estimates
of that value (DM, IPS, clipped IPS, SNIPS, DR, SWITCH-DR) with 95% intervals and why an estimate may
miss (contacts outside the logging policy's support, matched logged contacts, largest weight, ESS);
each segment's share of contacts; and the true value against the number of contacts (--plot).
Method: docs/evaluation.md and docs/models.md.

  --contacts N           contact budget of every policy (default: the contacts logged at D)
  --out FILE             also write the table (.csv) or the full report (.json)
  --plot FILE            write the value-against-contacts chart (SVG); default: beside --out
  --no-models            only the policies that need no training (random, naive rates, oracle)
  --propensities P       the logging distribution the estimators use: truth (truth/response.csv's
                         logging_propensity column), exposure (the fitted exposure model), or auto
                         (default: truth when the column exists, else exposure)
  --learner L            the uplift learner of our policy: t (default), dr or x
  --ablation             also evaluate the learner trained without debiasing weights
  --reward-model M       the outcome model of DM, DR and SWITCH-DR: uplift (default: the trained uplift
                         model's probabilities) or tabular (segment-level rates of the logged round)
  --lambda L             clipping / switching threshold of clipped IPS and SWITCH-DR (default ${COMPARE_DEFAULTS.lambda})
  --interval M           normal (default) or bootstrap (obp's percentile bootstrap, 100 resamples)
  --store                also store the table in the graph as an (:Evaluation) node, which the API's
                         policyEvaluation serves (needs the database; without it nothing is stored)

With --plans, the comparison a bank makes before deploying: the plans of the trained model (the
suite of --model, default the latest \`nbg train\` wrote), of the classic per-product propensity
baseline of the same suite, of the oracle (truth/response.csv) and, where the truth has its
columns, of the type-blind oracle, each made as \`nbg plan\` makes it under DIR/policy.json at the
evaluation date (every client rule, capacities, quotas, budget, segment guard), and each contact
scored by the truth: contacts, announced and true value, their ratio, the share of contacts that
lose money, and ours over each plan. Nothing is written to the graph.
  --plans                compare the plans (needs DIR/policy.json and truth/)
  --model DIR            the model suite of the plans (default: the latest nbg train wrote)
  --solver S             exact, lagrangian or auto (default), as nbg plan`;

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary:
    "train on a folder's history, then compare policies off-policy and by true value (folders with truth/)",
  usage,
  allowPositionals: true,
  options: {
    contacts: { type: 'string' },
    out: { type: 'string' },
    lambda: { type: 'string' },
    interval: { type: 'string' },
    store: { type: 'boolean' },
    plot: { type: 'string' },
    'no-models': { type: 'boolean' },
    propensities: { type: 'string' },
    learner: { type: 'string' },
    ablation: { type: 'boolean' },
    'reward-model': { type: 'string' },
    plans: { type: 'boolean' },
    model: { type: 'string' },
    solver: { type: 'string' },
  },
  async run(args) {
    const dir = args.positionals[0];
    if (dir === undefined || args.positionals.length > 1) {
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        `evaluate: expected one folder, got ${args.positionals.length}`,
      );
    }
    if (boolFlag(args, 'plans')) return runPlans(dir, args);
    const contacts = args.values.contacts === undefined ? undefined : intFlag(args, 'contacts', 0, 0);
    const method = choiceFlag(args, 'interval', ['normal', 'bootstrap'] as const, 'normal');
    const lambda = numberFlag(args, 'lambda', COMPARE_DEFAULTS.lambda, Number.MIN_VALUE);
    const withModels = !boolFlag(args, 'no-models');
    let report: EvaluationReport;
    let svg: string | undefined;
    let extra = '';
    if (withModels) {
      const r = await evaluateWithModels(dir, {
        ...(contacts === undefined ? {} : { contacts }),
        lambda,
        interval: { method },
        propensities: choiceFlag(args, 'propensities', ['auto', 'truth', 'exposure'] as const, 'auto'),
        rewardModel: choiceFlag(args, 'reward-model', ['uplift', 'tabular'] as const, 'uplift'),
        suite: {
          learner: choiceFlag(args, 'learner', ['dr', 't', 'x'] as const, SUITE_DEFAULTS.learner),
          unweightedAblation: boolFlag(args, 'ablation'),
        },
        onProgress: (step) => process.stderr.write(`  ${step}…\n`),
      });
      const total = Object.values(r.seconds).reduce((x, y) => x + y, 0);
      const { suite: _suite, svg: chart, ...rest } = r;
      report = { ...rest, seconds: total };
      svg = chart;
      const shares = r.segmentShares[0]?.shares ?? [];
      extra =
        `\nShare of contacts over share of clients, per segment (1 = fair share):\n${formatTable({
          columns: ['policy', ...shares.map((s) => `${s.segment} (${(100 * s.clientShare).toFixed(0)}%)`)],
          rows: r.segmentShares.map((p) => [p.policy, ...p.shares.map((s) => s.ratio.toFixed(2))]),
        })}\n` +
        `\nReward model of DM/DR/SWITCH-DR: ${r.rewardModel}.` +
        `\nModels trained on ${r.trainingRows.toLocaleString('en')} rows before ${r.evaluationDate}; exposure calibration error (ECE) ` +
        `${(r.modelMetrics['exposure.ece'] ?? Number.NaN).toFixed(4)}. Seconds: ${Object.entries(r.seconds)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', ')}.\n`;
    } else {
      report = await evaluate(dir, {
        ...(contacts === undefined ? {} : { contacts }),
        lambda,
        interval: { method },
      });
    }
    const table = comparisonTable(report.comparisons);
    process.stdout.write(
      `${report.dir}: round at ${report.evaluationDate} (${report.horizonDays} days), ${report.pairs.toLocaleString('en')} client-product pairs ` +
        `(${report.contactablePairs.toLocaleString('en')} contactable), ${report.loggedContacts.toLocaleString('en')} logged contacts; ` +
        `every policy gets ${report.contacts.toLocaleString('en')} contacts. Values are EUR over contacting nobody.\n\n` +
        `${formatTable(table)}\n${extra}\nPropensities: ${report.propensitySource}. ${report.seconds.toFixed(1)} s.\n`,
    );
    const out = stringFlag(args, 'out');
    if (out !== undefined) {
      const records = comparisonRecords(report.comparisons);
      const text = out.endsWith('.json')
        ? `${JSON.stringify(report, null, 2)}\n`
        : [records.columns, ...records.rows].map((r) => csvLine(r)).join('');
      writeFileSync(out, text);
    }
    const plot =
      stringFlag(args, 'plot') ??
      (out === undefined ? undefined : out.replace(/\.(json|csv)$/i, '') + '.svg');
    if (plot !== undefined && svg !== undefined) {
      writeFileSync(plot, svg);
      process.stdout.write(`Value against contacts: ${plot}\n`);
    }
    if (args.values.store === true) {
      const stored = await withConnection(loadConfig(), (c) => storeEvaluation(c.db, report));
      process.stdout.write(`Stored as (:Evaluation {id: '${stored.id}'}).\n`);
    }
    return 0;
  },
};

/** `nbg evaluate DIR --plans`: the plans under the folder's policy, scored by its truth. */
async function runPlans(dir: string, args: CommandArgs): Promise<number> {
  const e = await evaluatePlans(dir, {
    suiteDir: stringFlag(args, 'model') ?? latestSuiteDir(modelsRoot(loadConfig().dataDir)),
    solver: choiceFlag(args, 'solver', ['exact', 'lagrangian', 'auto'] as const, 'auto'),
  });
  process.stdout.write(
    `${e.dir}: plans under policy.json at ${e.evaluationDate} (${e.horizonDays}-day horizon), ${e.clients.toLocaleString('en')} clients; ` +
      'true values from truth/response.csv, EUR over contacting nobody.\n\n' +
      `${formatTable(planTable(e))}\n`,
  );
  const out = stringFlag(args, 'out');
  if (out !== undefined) writeFileSync(out, `${JSON.stringify(e, null, 2)}\n`);
  return 0;
}
