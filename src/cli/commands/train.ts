import { loadConfig } from '../../config.js';
import { withConnection } from '../../db/connect.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { TRAINING_DEFAULTS } from '../../features/build-training-examples.js';
import { BASELINES, SUITE_DEFAULTS } from '../../models/suite/model-suite.js';
import { trainOnGraph } from '../../models/suite/train-on-graph.js';
import { stopwatch } from '../../stopwatch.js';
import { boolFlag, choiceFlag, intFlag, numberFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { scoredLine, scoreOnGraph } from './score.js';

const usage = `nbg train [--as-of YYYY-MM-DD] [--learner t|dr|x] [--baselines a,b] [--window-days N] [--seed N] [--no-score]

Reads the knowledge graph, builds the training table (one row per client and product not held at
each decision date of the window, with what the old targeting did and what followed; features from
records strictly before each date: docs/features.md), and trains, in order: the exposure model (how
likely the old targeting was to contact each pair through each channel), the debiased uplift
learner (the ranking model; inverse-propensity weighted with the exposure) and the baselines. The
suite is saved under <data dir>/models/<version>/ and recorded as a (:Model) node with its feature
schema, training window and metrics; \`nbg serve\` and \`nbg plan\` use the latest. Method: docs/models.md.
Then every client is scored at D with the new suite for the API (\`nbg score\`, unless --no-score).

  --as-of DATE      decision date D: training rows are strictly before it (default: the day after
                    the latest solicitation, event, holding or verbatim in the graph)
  --learner L       t (default: T-learner), dr (DR-learner) or x (X-learner)
  --baselines LIST  comma-separated baselines to fit too (default ${SUITE_DEFAULTS.baselines.join(',')};
                    known: ${Object.keys(BASELINES).join(', ')}; 'none' for none)
  --window-days N   days of history before D (default ${TRAINING_DEFAULTS.windowDays})
  --control-rate X  share of never-contacted pairs kept, reweighted (default ${TRAINING_DEFAULTS.controlRate})
  --calibration-share X
                    share of clients held out of the learner's fit to calibrate its values on
                    their logged outcomes (default ${SUITE_DEFAULTS.calibrationShare}; 0: no calibration)
  --calibration-folds K
                    cross-fit the calibration over K folds of clients instead (2..10: each fold
                    scored by a learner fitted on the others, the learner fitted on every client;
                    about K + 1 fits; default 0: the hold-out)
  --calibration-bands LIST
                    comma-separated edges of the old targeting's propensity (e.g. 0.001,0.01,0.05):
                    one calibration slope per channel and band (default: one per channel)
  --ablation        also fit the learner without debiasing weights (for the study)
  --seed N          random seed (default ${SUITE_DEFAULTS.seed})
  --no-score        do not precompute the clients' scores (nbg serve then scores them live)`;

export const trainCommand: Command = {
  name: 'train',
  summary: 'train the exposure model, the debiased uplift model and the baselines on the graph',
  usage,
  options: {
    'as-of': { type: 'string' },
    learner: { type: 'string' },
    baselines: { type: 'string' },
    'window-days': { type: 'string' },
    'control-rate': { type: 'string' },
    'calibration-share': { type: 'string' },
    'calibration-folds': { type: 'string' },
    'calibration-bands': { type: 'string' },
    ablation: { type: 'boolean' },
    seed: { type: 'string' },
    'no-score': { type: 'boolean' },
  },
  async run(args) {
    const config = loadConfig();
    const asOf = stringFlag(args, 'as-of');
    if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
      throw new NbgError(ErrorCode.BAD_CONFIG, `train: --as-of must be YYYY-MM-DD, got "${asOf}"`);
    }
    const list = stringFlag(args, 'baselines');
    const baselines =
      list === undefined
        ? SUITE_DEFAULTS.baselines
        : list === 'none'
          ? []
          : list.split(',').map((s) => s.trim());
    const seed = intFlag(args, 'seed', SUITE_DEFAULTS.seed);
    const sw = stopwatch();
    return withConnection(config, async ({ db }) => {
      const r = await trainOnGraph(db, {
        dataDir: config.dataDir,
        ...(asOf === undefined ? {} : { asOf }),
        training: {
          windowDays: intFlag(args, 'window-days', TRAINING_DEFAULTS.windowDays, 14, 3660),
          controlRate: numberFlag(args, 'control-rate', TRAINING_DEFAULTS.controlRate, 1e-4, 1),
          seed,
        },
        suite: {
          learner: choiceFlag(args, 'learner', ['dr', 't', 'x'] as const, SUITE_DEFAULTS.learner),
          baselines,
          unweightedAblation: boolFlag(args, 'ablation'),
          calibrationShare: numberFlag(args, 'calibration-share', SUITE_DEFAULTS.calibrationShare, 0, 0.9),
          calibrationFolds: intFlag(args, 'calibration-folds', SUITE_DEFAULTS.calibrationFolds, 0, 10),
          calibrationBands: bandsFlag(stringFlag(args, 'calibration-bands')),
          seed,
        },
        onProgress: (step) => process.stderr.write(`  ${step}…\n`),
      });
      const m = r.manifest;
      const ece = m.metrics['exposure.ece'];
      process.stdout.write(
        `trained model ${m.version} on ${m.trainingRows.toLocaleString('en')} rows of ${r.clients.toLocaleString('en')} clients ` +
          `(decision dates ${m.windowFrom} to ${m.windowTo}, before ${r.asOf}) in ${sw.seconds().toFixed(1)}s\n` +
          `  models: ${Object.entries(m.models)
            .map(([k, v]) => `${k} (${v})`)
            .join(', ')}\n` +
          (ece === undefined ? '' : `  exposure calibration error (ECE): ${ece.toFixed(4)}\n`) +
          calibrationLine(m.metrics) +
          `  saved in ${r.dir}\n`,
      );
      if (!boolFlag(args, 'no-score')) {
        const scoring = stopwatch();
        process.stdout.write(scoredLine(await scoreOnGraph(db, r.dir, r.asOf), scoring.seconds()));
      }
      return 0;
    });
  },
};

/**
 * `--calibration-bands`: increasing propensity edges in (0, 1); [] when absent.
 */
export function bandsFlag(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return [];
  const edges = raw.split(',').map((t) => Number(t.trim()));
  edges.forEach((e, j) => {
    if (!(e > 0 && e < 1) || (j > 0 && !(e > edges[j - 1]!)))
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        `train: --calibration-bands must be increasing numbers in (0, 1), got "${raw}" (item ${j + 1})`,
      );
  });
  return edges;
}

/**
 * The held-out ratio behind the uplift's scale and its standard error: how far the announced
 * values can be trusted (a finance team reads it before setting a budget on them).
 */
export function calibrationLine(metrics: Readonly<Record<string, number>>): string {
  const ratio = metrics['uplift.calibration_ratio_pooled'];
  const se = metrics['uplift.calibration_ratio_pooled_se'];
  if (ratio === undefined || se === undefined) return '';
  return (
    `  uplift calibration: held-out true / announced ${ratio.toFixed(2)} ± ${se.toFixed(2)} (standard error)` +
    (Math.abs(ratio) > 0 && se / Math.abs(ratio) > 0.25
      ? "; the logs are too few to pin the values' scale closer than that\n"
      : '\n')
  );
}
