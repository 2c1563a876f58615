import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsvWriter, csvLine } from '../csv/writer.js';
import type { Db } from '../db/executor.js';
import { POLICY_FILE } from '../domain/contract.js';
import type { Policy } from '../domain/policy.js';
import { parsePolicy } from '../domain/policy-file.js';
import { formatIssue, InputError, type InputIssue } from '../errors.js';
import { stopwatch } from '../stopwatch.js';
import { type BulkPhases, type BulkTarget, graphIsEmpty, loadOffline } from './bulk.js';
import { BulkInputWriter } from './bulk-input.js';
import { type DatasetFiles, inspectDataset } from './dataset.js';
import { type Validation, validateDataset } from './validate.js';
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
  const sw = stopwatch();
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
  const checked = await validationPass(files, options, bulkInput, warn);
  const validateSeconds = sw.seconds();
  const written = await writePass(db, files, options, checked, bulkInput);
  const seconds = sw.seconds();

  const { validation } = checked;
  const totalRows = [...validation.rowsRead.values()].reduce((a, b) => a + b, 0);
  const totalBad = [...validation.badLines.values()].reduce((a, s) => a + s.size, 0);
  const fileSummaries = files.present.map((s) => ({
    file: s.file,
    rowsRead: validation.rowsRead.get(s.file) ?? 0,
    rowsWritten: written.results.find((r) => r.file === s.file)?.rowsWritten ?? 0,
    rejected: checked.rejectedPerFile.get(s.file) ?? 0,
    writeSeconds: written.results.find((r) => r.file === s.file)?.seconds ?? 0,
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
    policyVersion: written.policyVersion,
    reportPath: checked.reportPath,
    rejectsPath: totalBad > 0 ? checked.rejectsPath : undefined,
    warnings,
    mode: bulkInput ? 'bulk' : 'transactional',
    bulkPhases: written.bulkPhases,
    db: written.db,
  };
}

/** What the validation pass found: every file's rows checked, the policy parsed, the report written. */
interface Checked {
  readonly validation: Validation;
  readonly policy: Policy | undefined;
  readonly rejectedPerFile: ReadonlyMap<string, number>;
  readonly reportPath: string;
  readonly rejectsPath: string | undefined;
}

/**
 * Validates every file (feeding `bulkInput` the valid rows, and the rejects file the bad ones when
 * `skipBadRows`) and the policy, and writes the report. Throws an InputError, having removed the
 * bulk input, when a problem stops the ingest: any at all without `skipBadRows`, else a file-level
 * one (a missing file or column, an empty file, broken CSV, a bad policy).
 */
async function validationPass(
  files: DatasetFiles,
  options: IngestOptions,
  bulkInput: BulkInputWriter | undefined,
  warn: (m: string) => void,
): Promise<Checked> {
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
  const { policy, policyIssues } = readPolicy(files, validation, warn);

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
      `${issueCount} problem(s) in ${files.dir}; nothing was written (full report: ${reportPath})`,
    );
  }
  return { validation, policy, rejectedPerFile, reportPath, rejectsPath };
}

/** policy.json parsed against the dataset's channel and product ids, or its issues; a warning when absent. */
function readPolicy(
  files: DatasetFiles,
  validation: Validation,
  warn: (m: string) => void,
): { policy: Policy | undefined; policyIssues: InputIssue[] } {
  const policyIssues: InputIssue[] = [];
  if (!files.policyPath) {
    warn(
      'policy.json: absent; no contact policy stored (every key is optional, so this means no constraint)',
    );
    return { policy: undefined, policyIssues };
  }
  // Ids the policy names must exist in the dataset (a capacity for a channel it lacks is a typo).
  const known = {
    channels: [...(validation.keys.get('channels.csv') ?? [])],
    products: [...(validation.keys.get('products.csv') ?? [])],
  };
  try {
    return { policy: parsePolicy(readFileSync(files.policyPath, 'utf8'), POLICY_FILE, known), policyIssues };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    policyIssues.push(...e.issues);
    return { policy: undefined, policyIssues };
  }
}

/**
 * Writes the valid rows: through the offline importer when `bulkInput` was filled (the database
 * restarts; the Db after it is returned), else in batched transactions; then the policy.
 */
async function writePass(
  db: Db,
  files: DatasetFiles,
  options: IngestOptions,
  checked: Checked,
  bulkInput: BulkInputWriter | undefined,
): Promise<{
  db: Db;
  results: FileWriteResult[];
  bulkPhases: BulkPhases | undefined;
  policyVersion: string | undefined;
}> {
  const { validation } = checked;
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
    results = await writeDataset(db, files.dir, new Set(files.present.map((s) => s.file)), {
      batchSize: options.batchSize ?? 10_000,
      badLines: validation.badLines,
      onRows: (n) => {
        written += n;
        options.onProgress?.('write', written, totalRows - totalBad);
      },
    });
  }
  const policyVersion = checked.policy ? await writePolicy(after, checked.policy) : undefined;
  return { db: after, results, bulkPhases, policyVersion };
}
