import {
  loadScoringModels,
  type ScoreAllResult,
  scoreAllClients,
  suiteDirFor,
} from '../../allocate/precomputed/score-all-clients.js';
import { loadConfig } from '../../config.js';
import { withConnection } from '../../db/connect.js';
import type { Db } from '../../db/executor.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { stopwatch } from '../../stopwatch.js';
import { stringFlag } from '../args.js';
import type { Command } from '../command.js';

const usage = `nbg score [--as-of YYYY-MM-DD] [--model DIR]

Scores every client of the graph with a trained suite at a decision date and stores the action
values the API serves (value, uplift, fatigue, the classic propensity and the exposure correction
per product and channel), with the explanation paths of every product the client could be served
(a positive value on some channel), as one (:ScoreSet) per client and model version. Run it again
after \`nbg analyze\`: the paths name similar clients and communities. \`nbg train\` runs it at
its end; a bank runs it as a nightly refresh job. Re-running overwrites (MERGE on client and model
version); the score sets of model versions older than the two latest scored ones are removed.
\`nbg serve\` reads a client's scores with its live state and applies the rules live; a client with
records dated on or after the scores' date is rescored live (docs/api.md).

  --as-of DATE   decision date: features from records strictly before it (default: the day after
                 the latest solicitation, event, holding or verbatim in the graph)
  --model DIR    this suite (default: the latest one nbg train wrote under DATA_DIR/models)`;

/** `nbg score`'s work on an open database, with progress on stderr (also the end of `nbg train`). */
export async function scoreOnGraph(db: Db, dir: string, asOf: string | undefined): Promise<ScoreAllResult> {
  const models = await loadScoringModels(dir);
  return scoreAllClients(db, models, {
    asOf,
    onProgress: (line) => process.stderr.write(`  ${line}\n`),
  });
}

/** The line `nbg score` and `nbg train` print for a scoring run. */
export function scoredLine(r: ScoreAllResult, seconds: number): string {
  const perClient = r.clients > 0 ? r.paths.products / r.clients : 0;
  return `scored ${r.clients.toLocaleString('en')} clients with model ${r.modelVersion} at ${r.asOf} in ${seconds.toFixed(1)}s, with the explanation paths of ${perClient.toFixed(1)} products a client${
    r.deleted > 0 ? ` (removed ${r.deleted.toLocaleString('en')} score sets of older models)` : ''
  }\n`;
}

export const scoreCommand: Command = {
  name: 'score',
  summary: 'precompute every client’s action values with the trained model, for the API',
  usage,
  options: {
    'as-of': { type: 'string' },
    model: { type: 'string' },
  },
  async run(args) {
    const config = loadConfig();
    const asOf = stringFlag(args, 'as-of');
    if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
      throw new NbgError(ErrorCode.BAD_CONFIG, `score: --as-of must be YYYY-MM-DD, got "${asOf}"`);
    }
    const dir = suiteDirFor(config.dataDir, stringFlag(args, 'model'));
    const sw = stopwatch();
    return withConnection(config, async ({ db }) => {
      const r = await scoreOnGraph(db, dir, asOf);
      process.stdout.write(scoredLine(r, sw.seconds()));
      return 0;
    });
  },
};
