import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { Db } from '../db/executor.js';
import { query } from '../db/queries.js';
import { comparisonRecords } from './format-comparison.js';
import type { EvaluationReport } from './index.js';

const writeEvaluation = query('write/evaluation');

export interface StoreEvaluationOptions {
  /** Version of the model whose policies were evaluated; null when only the built-in policies were. */
  readonly modelVersion?: string | null;
  readonly now?: Date;
}

/** What was stored: the :Evaluation node's id and its table. */
export interface StoredEvaluation {
  readonly id: string;
  readonly createdAt: string;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, string | number | null>[];
}

/**
 * Stores an evaluation report as one `(:Evaluation)` node (write/evaluation): its date, dataset
 * (folder name and absolute path), evaluation date, horizon, contacts, propensity source, model
 * version, and the comparison table as JSON (one object per policy, keyed by the columns of
 * comparisonRecords; a missing figure is null). The API's `policyEvaluation` serves the latest.
 */
export async function storeEvaluation(
  db: Db,
  report: EvaluationReport,
  options: StoreEvaluationOptions = {},
): Promise<StoredEvaluation> {
  const createdAt = (options.now ?? new Date()).toISOString();
  const records = comparisonRecords(report.comparisons);
  const rows = records.rows.map((r) => Object.fromEntries(records.columns.map((c, i) => [c, r[i] ?? null])));
  const id = `eval-${createdAt.slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  await db.write(writeEvaluation, {
    id,
    props: {
      createdAt,
      dataset: basename(resolve(report.dir)),
      datasetPath: resolve(report.dir),
      evaluationDate: report.evaluationDate,
      horizonDays: report.horizonDays,
      contacts: report.contacts,
      loggedContacts: report.loggedContacts,
      propensitySource: report.propensitySource,
      modelVersion: options.modelVersion ?? null,
      columns: JSON.stringify(records.columns),
      rows: JSON.stringify(rows),
    },
  });
  return { id, createdAt, columns: records.columns, rows };
}
