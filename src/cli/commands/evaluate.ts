import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config.js';
import { csvLine } from '../../csv/writer.js';
import { withConnection } from '../../db/connect.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { COMPARE_DEFAULTS } from '../../evaluate/compare-policies.js';
import { comparisonRecords, comparisonTable, evaluate, formatTable } from '../../evaluate/index.js';
import { storeEvaluation } from '../../evaluate/store-evaluation.js';
import { choiceFlag, intFlag, numberFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';

const usage = `nbg evaluate DIR [--contacts N] [--out FILE] [--lambda L] [--interval normal|bootstrap] [--store]

Scores targeting policies on the logged round at the evaluation date of DIR, a data-contract folder
with truth/ (meta.json, response.csv, clients.csv). For each policy (uniform random, the truth-uplift
oracle, naive conversion-rate rankings), with the same number of contacts: its true incremental
conversions and net value over contacting nobody, and the off-policy estimates of that net value
(DM, IPS, clipped IPS, SNIPS, DR, SWITCH-DR) with 95% intervals, plus why an estimate may miss
(contacts outside the logging policy's support, matched logged contacts, largest weight, ESS).
Method: docs/evaluation.md.

  --contacts N           contact budget of every policy (default: the contacts logged at the date)
  --out FILE             also write the table (.csv) or the full report (.json)
  --lambda L             clipping / switching threshold of clipped IPS and SWITCH-DR (default ${COMPARE_DEFAULTS.lambda})
  --interval M           normal (default) or bootstrap (obp's percentile bootstrap, 100 resamples)
  --store                also store the table in the graph as an (:Evaluation) node, which the API's
                         policyEvaluation serves (needs the database; without it nothing is stored)`;

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'compare targeting policies off-policy and by their true value (folders with truth/)',
  usage,
  allowPositionals: true,
  options: {
    contacts: { type: 'string' },
    out: { type: 'string' },
    lambda: { type: 'string' },
    interval: { type: 'string' },
    store: { type: 'boolean' },
  },
  async run(args) {
    const dir = args.positionals[0];
    if (dir === undefined || args.positionals.length > 1) {
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        `evaluate: expected one folder, got ${args.positionals.length}`,
      );
    }
    const contacts = args.values.contacts === undefined ? undefined : intFlag(args, 'contacts', 0, 0);
    const method = choiceFlag(args, 'interval', ['normal', 'bootstrap'] as const, 'normal');
    const report = await evaluate(dir, {
      ...(contacts === undefined ? {} : { contacts }),
      lambda: numberFlag(args, 'lambda', COMPARE_DEFAULTS.lambda, Number.MIN_VALUE),
      interval: { method },
    });
    const table = comparisonTable(report.comparisons);
    process.stdout.write(
      `${report.dir}: round at ${report.evaluationDate} (${report.horizonDays} days), ${report.pairs.toLocaleString('en')} client-product pairs ` +
        `(${report.contactablePairs.toLocaleString('en')} contactable), ${report.loggedContacts.toLocaleString('en')} logged contacts; ` +
        `every policy gets ${report.contacts.toLocaleString('en')} contacts. Values are EUR over contacting nobody.\n\n` +
        `${formatTable(table)}\n\nPropensities: ${report.propensitySource}. ${report.seconds.toFixed(1)} s.\n`,
    );
    const out = stringFlag(args, 'out');
    if (out !== undefined) {
      const records = comparisonRecords(report.comparisons);
      const text = out.endsWith('.json')
        ? `${JSON.stringify(report, null, 2)}\n`
        : [records.columns, ...records.rows].map((r) => csvLine(r)).join('');
      writeFileSync(out, text);
    }
    if (args.values.store === true) {
      const stored = await withConnection(loadConfig(), (c) => storeEvaluation(c.db, report));
      process.stdout.write(`Stored as (:Evaluation {id: '${stored.id}'}).\n`);
    }
    return 0;
  },
};
