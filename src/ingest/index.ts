import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsvWriter, csvLine } from '../csv/writer.js';
import type { Db } from '../db/executor.js';
import { POLICY_FILE } from '../domain/contract.js';
import type { Policy } from '../domain/policy.js';
import { parsePolicy } from '../domain/policy-file.js';
import { formatIssue, InputError, type InputIssue } from '../errors.js';
import { type BulkPhases, type BulkTarget, graphIsEmpty, loadOffline } from './bulk.js';
import { BulkInputWriter } from './bulk-input.js';
import { inspectDataset } from './dataset.js';
import { validateDataset } from './validate.js';
import { type FileWriteResult, writeDataset, writePolicy } from './write.js';

export interface IngestOptions {
  /** Write the good rows and put the bad ones in a rejects file, instead of writing nothing. */
  readonly skipBadRows?: boolean;
  /** Rows per write transaction. Default 10,000. */
  readonly batchSize?: number;
  /** Where the report and the rejects file go. */
  readonly reportDir: string;
  readonly maxFieldChars?: number;
  /** Progress: phase, rows done in the phase, total rows of the phase when known. The bulk path
   * reports 'import' once, when the database stops for the offline import. */
  readonly onProgress?: (
    phase: 'validate' | 'write' | 'import',
    done: number,
    total: number | undefined,
  ) => void;
  /**
   * A local embedded store: when given and the database holds no node, the dataset is loaded
   * through Neo4j's offline importer (bulk.ts) instead of transactions. The Db passed to `ingest`
   * is then closed by the target's `whileStopped`; the summary's `db` is the one to use after.
   */
  readonly bulk?: BulkTarget;
  readonly onWarning?: (message: string) => void;
}

export interface IngestFileSummary {
  readonly file: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rejected: number;
  /** Seconds spent writing this file (validation excluded; 0 on the bulk path, which loads all
   * files at once: see `bulkPhases`). */
  readonly writeSeconds: number;
}

export interface IngestSummary {
  readonly dir: string;
  readonly files: readonly IngestFileSummary[];
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rejected: number;
  readonly seconds: number;
  readonly validateSeconds: number;
  readonly rowsPerSecond: number;
  readonly policyVersion: string | undefined;
  readonly reportPath: string;
  readonly rejectsPath: string | undefined;
  readonly warnings: readonly string[];
  /** bulk: offline import into an empty local store; transactional: batched idempotent writes. */
  readonly mode: 'bulk' | 'transactional';
  readonly bulkPhases: BulkPhases | undefined;
  /** The database after the ingest: the one passed in, or on the bulk path the restarted one. */
  readonly db: Db;
}

/**
 * Ingests a dataset folder: validates every file (nothing written yet), then, when there is no bad
 * row or `skipBadRows` is set, writes the valid rows in batched idempotent transactions, or, given
 * a local store (`bulk`) whose graph is empty, through Neo4j's offline importer (its input is
 * written during the validation pass). With bad rows and no `skipBadRows` it throws an InputError
 * listing them, having written nothing to the database.
 */
export async function ingest(db: Db, dir: string, options: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const files = inspectDataset(dir);
  for (const name of files.ignored) warn(`${name}: not a file of the data contract, ignored`);

  mkdirSync(options.reportDir, { recursive: true });
  // The bulk path is for a first load only: any node in the graph means incremental ingest.
  const bulkInput =
    options.bulk && (await graphIsEmpty(db))
      ? new BulkInputWriter(join(options.bulk.home, 'import-input'))
      : undefined;
  const rejectsPath = options.skipBadRows ? join(options.reportDir, 'rejects.csv') : undefined;
  const rejects = rejectsPath
    ? new CsvWriter(rejectsPath, ['file', 'line', 'column', 'column_name', 'reason', 'row'])
    : undefined;
  const rejectedPerFile = new Map<string, number>();
  let validated = 0;
  const validation = await validateDataset(files, {
    ...(options.maxFieldChars ? { maxFieldChars: options.maxFieldChars } : {}),
    ...(bulkInput ? { onValidRows: (spec, rows) => bulkInput.add(spec.file, rows) } : {}),
    onRows: (n) => {
      validated += n;
      options.onProgress?.('validate', validated, undefined);
    },
    onReject: (file, line, issues, fields) => {
      rejectedPerFile.set(file, (rejectedPerFile.get(file) ?? 0) + 1);
      if (!rejects) return;
      const first = issues[0] as InputIssue;
      void rejects.row([
        file,
        line,
        first.column ?? '',
        issues.map((i) => i.columnName ?? '').join(';'),
        issues.map((i) => i.reason).join('; '),
        csvLine(fields).slice(0, -1),
      ]);
    },
  });
  for (const [file, cols] of validation.extraColumns)
    warn(`${file}: extra column(s) kept as properties: ${cols.join(', ')}`);

  let policy: Policy | undefined;
  const policyIssues: InputIssue[] = [];
  if (files.policyPath) {
    // Ids the policy names must exist in the dataset (a capacity for a channel it lacks is a typo).
    const known = {
      channels: [...(validation.keys.get('channels.csv') ?? [])],
      products: [...(validation.keys.get('products.csv') ?? [])],
    };
    try {
      policy = parsePolicy(readFileSync(files.policyPath, 'utf8'), POLICY_FILE, known);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      policyIssues.push(...e.issues);
    }
  } else
    warn(
      'policy.json: absent; no contact policy stored (every key is optional, so this means no constraint)',
    );

  // File-level problems (missing file or column, empty file, broken CSV, bad policy) cannot be
  // skipped row by row: they stop the ingest even with --skip-bad-rows.
  const fileLevel = [...validation.fatal, ...policyIssues];
  const allIssues = [...validation.issues, ...policyIssues];
  const issueCount = validation.issueCount + policyIssues.length;
  const reportPath = join(options.reportDir, 'report.txt');
  const reportLines = allIssues.map(formatIssue);
  if (issueCount > allIssues.length) reportLines.push(`... and ${issueCount - allIssues.length} more`);
  writeFileSync(reportPath, `${reportLines.join('\n')}${reportLines.length ? '\n' : ''}`);
  await rejects?.close();

  if (issueCount > 0 && (!options.skipBadRows || fileLevel.length > 0)) {
    await bulkInput?.remove();
    throw new InputError(
      allIssues,
      `${issueCount} problem(s) in ${dir}; nothing was written (full report: ${reportPath})`,
    );
  }

  const validateSeconds = (Date.now() - started) / 1000;
  const totalRows = [...validation.rowsRead.values()].reduce((a, b) => a + b, 0);
  const totalBad = [...validation.badLines.values()].reduce((a, s) => a + s.size, 0);
  let written = 0;
  let results: FileWriteResult[] = [];
  let bulkPhases: BulkPhases | undefined;
  let after = db;
  if (bulkInput && options.bulk) {
    options.onProgress?.('import', 0, undefined);
    const loaded = await loadOffline(options.bulk, bulkInput);
    after = loaded.db;
    bulkPhases = loaded.phases;
    results = [...bulkInput.rowsTaken].map(([file, rowsWritten]) => ({
      file,
      rowsWritten,
      summary: { nodesCreated: 0, relationshipsCreated: 0, propertiesSet: 0 },
      seconds: 0,
    }));
  } else {
    results = await writeDataset(db, dir, new Set(files.present.map((s) => s.file)), {
      batchSize: options.batchSize ?? 10_000,
      badLines: validation.badLines,
      onRows: (n) => {
        written += n;
        options.onProgress?.('write', written, totalRows - totalBad);
      },
    });
  }
  const policyVersion = policy ? await writePolicy(after, policy) : undefined;

  const seconds = (Date.now() - started) / 1000;
  const fileSummaries = files.present.map((s) => ({
    file: s.file,
    rowsRead: validation.rowsRead.get(s.file) ?? 0,
    rowsWritten: results.find((r) => r.file === s.file)?.rowsWritten ?? 0,
    rejected: rejectedPerFile.get(s.file) ?? 0,
    writeSeconds: results.find((r) => r.file === s.file)?.seconds ?? 0,
  }));
  const rowsWritten = fileSummaries.reduce((a, f) => a + f.rowsWritten, 0);
  return {
    dir,
    files: fileSummaries,
    rowsRead: totalRows,
    rowsWritten,
    rejected: totalBad,
    seconds,
    validateSeconds,
    rowsPerSecond: seconds > 0 ? totalRows / seconds : 0,
    policyVersion,
    reportPath,
    rejectsPath: totalBad > 0 ? rejectsPath : undefined,
    warnings,
    mode: bulkInput ? 'bulk' : 'transactional',
    bulkPhases,
    db: after,
  };
}
