import type { z } from 'zod';
import { readTable, type TableRow } from '../dataset/read-table.js';
import type { FileSpec } from '../domain/contract.js';
import type { InputIssue } from '../errors.js';
import type { DatasetFiles } from './dataset.js';

/** What the validation pass learnt about a dataset folder. */
export interface Validation {
  /** Every issue found, in file order (at most `maxIssuesKept`), and the total count. */
  readonly issues: InputIssue[];
  issueCount: number;
  /** Problems that are not one row's (a missing file or column, an empty file, broken CSV): no row
   * can be skipped to get past them, so they stop an ingest even with --skip-bad-rows. */
  readonly fatal: InputIssue[];
  /** Per file: the lines of bad rows (skipped when writing with --skip-bad-rows). */
  readonly badLines: Map<string, Set<number>>;
  /** Per file: rows read (header excluded). */
  readonly rowsRead: Map<string, number>;
  /** Per file: extra columns kept as properties. */
  readonly extraColumns: Map<string, readonly string[]>;
  /** Keys of the valid rows of each single-key file (clients, products, channels, …). */
  readonly keys: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface ValidateOptions {
  readonly maxIssuesKept?: number;
  readonly maxFieldChars?: number;
  /** Each rejected row with its reasons (for the rejects file). */
  readonly onReject?: (
    file: string,
    line: number,
    issues: readonly InputIssue[],
    fields: readonly string[],
  ) => void;
  readonly onRows?: (n: number) => void;
  /** Each batch's rows that passed every check, in file order (the offline import's input is
   * written from them, so the dataset is parsed once). Awaited before the next batch. */
  readonly onValidRows?: (spec: FileSpec, rows: TableRow<z.ZodObject>[]) => Promise<void>;
}

type Check = (row: Record<string, unknown>) => { column: string; reason: string } | undefined;

/** Rules that span two columns of one row. */
const CROSS_CHECKS: Readonly<Record<string, Check>> = {
  'products.csv': (r) =>
    typeof r.min_age === 'number' && typeof r.max_age === 'number' && r.min_age > r.max_age
      ? { column: 'max_age', reason: `max_age ${r.max_age} is below min_age ${r.min_age}` }
      : undefined,
  'holdings.csv': (r) =>
    typeof r.closed_at === 'string' && (r.closed_at as string) < (r.opened_at as string)
      ? { column: 'closed_at', reason: `closed_at ${r.closed_at} is before opened_at ${r.opened_at}` }
      : undefined,
  'campaigns.csv': (r) =>
    (r.ended_at as string) < (r.started_at as string)
      ? { column: 'ended_at', reason: `ended_at ${r.ended_at} is before started_at ${r.started_at}` }
      : undefined,
  'solicitations.csv': (r) =>
    typeof r.outcome_at === 'string' && (r.outcome_at as string) < (r.sent_at as string)
      ? { column: 'outcome_at', reason: `outcome_at ${r.outcome_at} is before sent_at ${r.sent_at}` }
      : undefined,
};

/**
 * The validation pass: reads every present contract file in dependency order and checks each row
 * (types, enums, ranges, dates through the zod schemas; then duplicate keys, references to clients,
 * products, channels and campaigns defined by valid rows of earlier files, and cross-column rules).
 * Writes nothing. A row is bad as a whole: all its problems are reported together.
 */
export async function validateDataset(
  files: DatasetFiles,
  options: ValidateOptions = {},
): Promise<Validation> {
  const maxKept = options.maxIssuesKept ?? 10_000;
  /** Keys of valid rows per referable file. */
  const keys = new Map<string, Set<string>>();
  const v: Validation = {
    issues: [...files.issues],
    issueCount: files.issues.length,
    fatal: [...files.issues],
    badLines: new Map(),
    rowsRead: new Map(),
    extraColumns: new Map(),
    keys,
  };
  for (const spec of [...files.present, ...files.absent])
    if (spec.key?.length === 1) keys.set(spec.file, new Set());

  for (const spec of files.present as FileSpec[]) {
    const bad = new Set<number>();
    v.badLines.set(spec.file, bad);
    let rows = 0;
    let yieldedBad = 0;
    let pending: { line: number; issues: InputIssue[]; fields: readonly string[] } | undefined;
    const flush = (): void => {
      if (!pending) return;
      bad.add(pending.line);
      options.onReject?.(spec.file, pending.line, pending.issues, pending.fields);
      pending = undefined;
    };
    const report = (issue: InputIssue, fields: readonly string[]): void => {
      v.issueCount++;
      if (v.issues.length < maxKept) v.issues.push(issue);
      const line = issue.line ?? 0;
      if (fields.length === 0) {
        v.fatal.push(issue);
        return;
      }
      if (pending && pending.line !== line) flush();
      pending ??= { line, issues: [], fields };
      pending.issues.push(issue);
    };
    const seen = new Map<string, number>();
    const ownKeys = spec.key?.length === 1 ? keys.get(spec.file) : undefined;
    const cross = CROSS_CHECKS[spec.file];
    const keyCols = spec.key ?? [];
    const refs = Object.entries(spec.references).map(([col, target]) => ({
      col,
      target,
      known: keys.get(target),
    }));
    for await (const batch of readTable(files.dir, spec, {
      onIssue: report,
      ...(options.maxFieldChars ? { maxFieldChars: options.maxFieldChars } : {}),
      onExtraColumns: (cols) => v.extraColumns.set(spec.file, cols),
    })) {
      const valid: TableRow<z.ZodObject>[] | undefined = options.onValidRows ? [] : undefined;
      for (const t of batch) {
        const { line, row, fields } = t;
        const r = row as Record<string, unknown>;
        let problems: InputIssue[] | undefined;
        if (keyCols.length > 0) {
          // Hot loop (millions of rows): build the key without intermediate arrays.
          let key = String(r[keyCols[0] as string]);
          for (let k = 1; k < keyCols.length; k++) key += `\u0000${String(r[keyCols[k] as string])}`;
          const first = seen.get(key);
          if (first !== undefined) {
            problems ??= [];
            problems.push({
              file: spec.file,
              line,
              columnName: keyCols.join('+'),
              id: keyCols.map((k) => String(r[k])).join('/'),
              reason: `duplicate ${keyCols.join(' + ')} ${keyCols.map((k) => JSON.stringify(String(r[k]))).join(' + ')} (first on line ${first})`,
            });
          } else seen.set(key, line);
        }
        for (let i = 0; i < refs.length; i++) {
          const { col, target, known } = refs[i] as (typeof refs)[number];
          const value = r[col];
          if (value === undefined || value === null) continue;
          if (!known?.has(value as string)) {
            problems ??= [];
            problems.push({
              file: spec.file,
              line,
              columnName: col,
              id: String(value),
              reason: `unknown ${col} ${JSON.stringify(value)}: no valid row of ${target} has it`,
            });
          }
        }
        const c = cross?.(r);
        if (c) {
          problems ??= [];
          problems.push({ file: spec.file, line, columnName: c.column, reason: c.reason });
        }
        if (problems) {
          yieldedBad++;
          for (const p of problems) report(p, fields);
        } else {
          if (ownKeys && spec.key) ownKeys.add(String(r[spec.key[0] as string]));
          valid?.push(t);
        }
      }
      if (valid && valid.length > 0) await options.onValidRows?.(spec, valid);
      rows += batch.length;
      options.onRows?.(batch.length);
    }
    flush();
    v.rowsRead.set(spec.file, rows + bad.size - yieldedBad);
  }
  return v;
}
