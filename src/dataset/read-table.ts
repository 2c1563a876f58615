import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { readCsv } from '../csv/reader.js';
import { type FastCell, fastCellOf, NOT_FAST } from '../domain/cells.js';
import type { FileSpec } from '../domain/contract.js';
import { InputError, type InputIssue } from '../errors.js';

/** One valid row of a contract file, typed, with its line and any extra (non-contract) cells. */
export interface TableRow<S extends z.ZodObject> {
  readonly line: number;
  readonly row: z.output<S>;
  /** Extra columns' cells, kept as string properties; undefined when the file has none. */
  readonly extras: Record<string, string> | undefined;
  /** The raw cells (for the rejects file). */
  readonly fields: readonly string[];
}

export interface ReadTableOptions {
  /** Receives every problem; the row is not yielded. `fields` is empty for a problem that is not
   * one row's (header, empty file, broken CSV). */
  readonly onIssue: (issue: InputIssue, fields: readonly string[]) => void;
  /** Lines to pass over silently (rows found bad by an earlier pass). */
  readonly skipLines?: ReadonlySet<number>;
  readonly maxFieldChars?: number;
  /** Told once, when the header has columns the contract does not know. */
  readonly onExtraColumns?: (columns: readonly string[]) => void;
}

export interface Header {
  /** Contract column → index in the file (absent optional columns are missing). */
  readonly index: ReadonlyMap<string, number>;
  readonly extras: readonly { name: string; index: number }[];
  readonly width: number;
}

const EXTRA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Checks a header row against a file spec: required columns present, no duplicates. */
export function parseHeader(
  spec: FileSpec,
  fields: readonly string[],
): { header?: Header; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const index = new Map<string, number>();
  const extras: { name: string; index: number }[] = [];
  const seen = new Set<string>();
  fields.forEach((raw, i) => {
    const name = raw.trim();
    if (seen.has(name))
      issues.push({
        file: spec.file,
        line: 1,
        column: i + 1,
        reason: `column "${name}" appears twice in the header`,
      });
    seen.add(name);
    if (spec.columns.includes(name)) index.set(name, i);
    else if (EXTRA_NAME.test(name)) extras.push({ name, index: i });
    else
      issues.push({
        file: spec.file,
        line: 1,
        column: i + 1,
        reason: `column name "${name}" is not usable as a property name`,
      });
  });
  for (const col of spec.columns) {
    if (!index.has(col) && !spec.optionalColumns.includes(col)) {
      issues.push({
        file: spec.file,
        line: 1,
        reason: `required column "${col}" is missing from the header (expected columns: ${spec.columns.join(', ')})`,
      });
    }
  }
  return issues.length > 0 ? { issues } : { header: { index, extras, width: fields.length }, issues };
}

/**
 * The contract's row parse without zod, for the rows every cell of which passes its plain check
 * (domain/cells.ts `fastCellOf`): the same typed row zod's parse gives, or undefined when a cell
 * may be bad (zod then parses the row and reports it). Undefined when a column's schema has no
 * plain check.
 */
export function fastRowParser(
  spec: FileSpec,
  header: Header,
): ((fields: readonly string[]) => Record<string, unknown> | undefined) | undefined {
  const columns = spec.columns;
  const checks: FastCell[] = [];
  for (const col of columns) {
    const check = fastCellOf(spec.schema.shape[col] as z.ZodType);
    if (!check) return undefined;
    checks.push(check);
  }
  const at = columns.map((col) => header.index.get(col) ?? -1);
  return (fields) => {
    const row: Record<string, unknown> = {};
    for (let k = 0; k < columns.length; k++) {
      const i = at[k]!;
      const v = checks[k]!(i < 0 ? '' : (fields[i] as string));
      if (v === NOT_FAST) return undefined;
      row[columns[k]!] = v;
    }
    return row;
  };
}

/**
 * Streams a contract file as typed rows. The header is checked first (a bad header is one issue and
 * no rows); every row is parsed with the spec's zod schema (through its cells' plain checks first,
 * fastRowParser, when they all pass: the same row at a fraction of the cost); a bad row goes to `onIssue` with its line,
 * column number and name. Structural CSV errors (bad quoting, invalid UTF-8) end the file: they are
 * reported as one issue, since nothing after them can be trusted.
 */
export async function* readTable<S extends z.ZodObject>(
  dir: string,
  spec: FileSpec<S>,
  options: ReadTableOptions,
): AsyncGenerator<TableRow<S>[]> {
  const path = join(dir, spec.file);
  if (!existsSync(path)) return;
  if (statSync(path).size === 0) {
    options.onIssue(
      { file: spec.file, line: 1, reason: `empty file: expected a header row (${spec.columns.join(', ')})` },
      [],
    );
    return;
  }
  let header: Header | undefined;
  let headerSeen = false;
  let fast: ((fields: readonly string[]) => Record<string, unknown> | undefined) | undefined;
  try {
    for await (const records of readCsv(path, {
      displayName: spec.file,
      ...(options.maxFieldChars ? { maxFieldChars: options.maxFieldChars } : {}),
    })) {
      const out: TableRow<S>[] = [];
      for (const rec of records) {
        if (!headerSeen) {
          headerSeen = true;
          const h = parseHeader(spec, rec.fields);
          for (const issue of h.issues) options.onIssue(issue, []); // no row: a file-level problem
          if (!h.header) return;
          header = h.header;
          fast = fastRowParser(spec, header);
          if (header.extras.length > 0) options.onExtraColumns?.(header.extras.map((e) => e.name));
          continue;
        }
        if (options.skipLines?.has(rec.line)) continue;
        const h = header as Header;
        if (rec.fields.length !== h.width) {
          options.onIssue(
            {
              file: spec.file,
              line: rec.line,
              reason: `expected ${h.width} fields (as in the header), got ${rec.fields.length}`,
            },
            rec.fields,
          );
          continue;
        }
        let extras: Record<string, string> | undefined;
        if (h.extras.length > 0) {
          extras = {};
          for (const e of h.extras) extras[e.name] = rec.fields[e.index] as string;
        }
        const quick = fast?.(rec.fields);
        if (quick !== undefined) {
          out.push({ line: rec.line, row: quick as z.output<S>, extras, fields: rec.fields });
          continue;
        }
        const obj: Record<string, string> = {};
        for (const col of spec.columns) {
          const i = h.index.get(col);
          obj[col] = i === undefined ? '' : (rec.fields[i] as string);
        }
        const parsed = spec.schema.safeParse(obj);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const col = String(issue.path[0] ?? '');
            const i = h.index.get(col);
            const got = obj[col] ?? '';
            const shown = got.length > 40 ? `${JSON.stringify(got.slice(0, 40))}…` : JSON.stringify(got);
            options.onIssue(
              {
                file: spec.file,
                line: rec.line,
                ...(i === undefined ? {} : { column: i + 1 }),
                columnName: col,
                reason: got === '' ? `${col} is required (empty cell)` : `${issue.message}, got ${shown}`,
              },
              rec.fields,
            );
          }
          continue;
        }
        out.push({ line: rec.line, row: parsed.data, extras, fields: rec.fields });
      }
      if (out.length > 0) yield out;
    }
  } catch (e) {
    if (e instanceof InputError) {
      for (const issue of e.issues) options.onIssue(issue, []);
      return;
    }
    throw e;
  }
  if (!headerSeen) options.onIssue({ file: spec.file, line: 1, reason: 'no header row' }, []);
}

/**
 * Visits every valid row of a contract file (none when the file is absent) and refuses the file
 * whole when a row breaks the contract: an InputError with the first 50 problems.
 */
export async function eachRow<S extends z.ZodObject>(
  dir: string,
  spec: FileSpec<S>,
  visit: (r: TableRow<S>) => void,
): Promise<void> {
  const issues: InputIssue[] = [];
  for await (const rows of readTable(dir, spec, {
    onIssue: (issue) => issues.length < 50 && issues.push(issue),
  })) {
    if (issues.length > 0) break;
    for (const r of rows) visit(r);
  }
  if (issues.length > 0) throw new InputError(issues);
}
