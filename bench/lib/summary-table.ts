import { z } from 'zod';
import { markdownTable } from './report.js';

/**
 * The "Current figures" section of bench/RESULTS.md: each headline figure of each
 * bench/results/*.json beside its target, met or missed, and whether it is older than a given date.
 * Pure functions; bench/summary.ts reads the files, holds the targets and writes the section.
 */

/** One headline figure: where it is, what it means, what it must reach and who asked for it. */
export interface FigureTarget {
  /** The bench's name: its JSON's file name without `.json` and without a `-s<seed>` suffix. */
  readonly bench: string;
  /** The figure's key in the JSON. */
  readonly key: string;
  /** What the figure measures, in a few words. */
  readonly meaning: string;
  /** A comparison (`>= 50000`, `<= 5`, `== true`, `|x| <= 0.05`, `< popularityAuc`) or `reported`. */
  readonly target: string;
  readonly unit?: string;
  /** The issue whose acceptance points set the target (or asked for the figure). */
  readonly issue: number;
}

export type Operator = '>=' | '<=' | '>' | '<' | '==';

/** A parsed target: `reported` (no target), or the figure (or its absolute value) compared with a bound. */
export type Comparison =
  | { readonly kind: 'reported' }
  | {
      readonly kind: 'compare';
      readonly op: Operator;
      /** Compare |figure| rather than the figure (relative errors of either sign). */
      readonly abs: boolean;
      /** A number, a boolean, or another figure of the same JSON. */
      readonly bound: number | boolean | { readonly key: string };
    };

export type Verdict = 'met' | 'missed' | 'no target' | 'no value' | 'not run';

export type FigureValue = number | string | boolean | null;

/** A bench JSON as bench/lib/report.ts writes it: flat figures plus `date` and `machine`. */
export interface BenchFigures {
  readonly date: string;
  readonly machine: string;
  readonly [key: string]: FigureValue;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const benchJson = z
  .object({ date: z.string().regex(ISO_DATE, 'expected YYYY-MM-DD'), machine: z.string() })
  .catchall(z.union([z.number(), z.string(), z.boolean(), z.null()]));

/** Parses a bench JSON's text; `file` names it in errors. */
export function parseBenchJson(text: string, file: string): BenchFigures {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`bench/summary: ${file}: invalid JSON (${(e as Error).message})`);
  }
  const parsed = benchJson.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new Error(
      `bench/summary: ${file}: ${where}: ${issue.message} (a flat object of figures with date and machine, as bench/lib/report.ts writes)`,
    );
  }
  return parsed.data as BenchFigures;
}

const COMPARISON = /^(\|x\|\s*)?(>=|<=|==|>|<)\s*(\S+)$/;
const KEY = /^[A-Za-z][\w.]*$/;

/**
 * Reads a target: `reported`, or `[|x|] OP BOUND` with OP one of >=, <=, >, <, == and BOUND a
 * number, `true`, `false` or another figure's key (`< holdingsAuc`).
 */
export function parseComparison(text: string): Comparison {
  const t = text.trim();
  if (t === 'reported') return { kind: 'reported' };
  const m = COMPARISON.exec(t);
  if (!m)
    throw new Error(
      `bench/summary: cannot read the target '${text}': expected 'reported' or [|x|] >=, <=, >, < or == followed by a number, true, false or a figure's key`,
    );
  const op = m[2] as Operator;
  const abs = m[1] !== undefined;
  const word = m[3]!;
  let bound: number | boolean | { key: string };
  if (word === 'true' || word === 'false') bound = word === 'true';
  else if (KEY.test(word)) bound = { key: word };
  else {
    bound = Number(word);
    if (!Number.isFinite(bound))
      throw new Error(
        `bench/summary: the target '${text}' has a bound that is not a finite number: '${word}'`,
      );
  }
  if (typeof bound === 'boolean' && (op !== '==' || abs))
    throw new Error(
      `bench/summary: the target '${text}' compares a boolean: only '== true' or '== false' can`,
    );
  return { kind: 'compare', op, abs, bound };
}

/** Whether `figures[key]` meets the comparison; 'no value' when the figure (or the bound's figure) is absent or null, 'no target' for `reported`. */
export function evaluateComparison(c: Comparison, figures: BenchFigures, key: string): Verdict {
  const value = figures[key];
  if (value === undefined || value === null) return 'no value';
  if (c.kind === 'reported') return 'no target';
  if (typeof c.bound === 'boolean') {
    if (typeof value !== 'boolean')
      throw new Error(
        `bench/summary: ${key} is ${JSON.stringify(value)}, not a boolean its target can compare`,
      );
    return value === c.bound ? 'met' : 'missed';
  }
  const bound = typeof c.bound === 'number' ? c.bound : figures[c.bound.key];
  if (bound === undefined || bound === null) return 'no value';
  if (typeof value !== 'number' || typeof bound !== 'number')
    throw new Error(
      `bench/summary: ${key} is ${JSON.stringify(value)} and its bound ${JSON.stringify(bound)}: a comparison needs two numbers`,
    );
  const x = c.abs ? Math.abs(value) : value;
  const met =
    c.op === '>='
      ? x >= bound
      : c.op === '<='
        ? x <= bound
        : c.op === '>'
          ? x > bound
          : c.op === '<'
            ? x < bound
            : x === bound;
  return met ? 'met' : 'missed';
}

/** A figure dated before `staleBefore` (both YYYY-MM-DD) predates the change it must now reflect. */
export function isStale(date: string, staleBefore: string): boolean {
  checkIsoDate('date', date);
  checkIsoDate('stale-before date', staleBefore);
  return date < staleBefore;
}

/** Refuses anything but a real calendar date written YYYY-MM-DD (`what` names it in the error). */
export function checkIsoDate(what: string, date: string): void {
  if (
    !ISO_DATE.test(date) ||
    Number.isNaN(Date.parse(date)) ||
    new Date(date).toISOString().slice(0, 10) !== date
  )
    throw new Error(`bench/summary: the ${what} must be a date written YYYY-MM-DD, got '${date}'`);
}

/** `peers-uplift-s2` → bench `peers-uplift`, seed `2`; other names are their own bench. */
export function benchOfFile(name: string): { readonly bench: string; readonly seed?: string } {
  const m = /^(.+)-s(\d+)$/.exec(name);
  return m ? { bench: m[1]!, seed: m[2]! } : { bench: name };
}

/** Report.ts's number convention (integers with separators, else 4 significant digits), rounding from 1,000 up. */
export function formatValue(v: FigureValue | undefined, unit?: string): string {
  if (v === undefined || v === null) return '—';
  const text =
    typeof v !== 'number'
      ? String(v)
      : Number.isInteger(v) || Math.abs(v) >= 1000
        ? Math.round(v).toLocaleString('en')
        : v.toPrecision(4);
  return unit && typeof v === 'number' ? `${text} ${unit}` : text;
}

const SYMBOL: Record<Operator, string> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<', '==': '=' };

export function formatComparison(c: Comparison, unit?: string): string {
  if (c.kind === 'reported') return 'reported';
  const b = c.bound;
  const bound =
    typeof b === 'boolean'
      ? String(b)
      : typeof b === 'number'
        ? `${Number.isInteger(b) ? b.toLocaleString('en') : String(b)}${unit ? ` ${unit}` : ''}`
        : b.key;
  return `${c.abs ? '|x| ' : ''}${SYMBOL[c.op]} ${bound}`;
}

/** The run a figure comes from, as far as its JSON says: world, folder or clients; seeds. */
export function worldOf(f: BenchFigures, seed?: string): string {
  const parts: string[] = [];
  if (typeof f.world === 'string') parts.push(f.world);
  else if (typeof f.dir === 'string') parts.push(f.dir);
  else if (typeof f.clients === 'number') parts.push(`${f.clients.toLocaleString('en')} clients`);
  if (f.seeds !== undefined && f.seeds !== null) parts.push(`seeds ${f.seeds}`);
  if (seed !== undefined) parts.push(`seed ${seed}`);
  return parts.join(', ');
}

/**
 * Where a figure gathered from another bench's JSON comes from (its `KEYSource` note) or why it is
 * absent (`KEYMissing`), as bench/lib/gather-acceptance.ts writes them; undefined for a bench's own figure.
 */
export function gatheredNote(f: BenchFigures, key: string): string | undefined {
  const note = f[`${key}Source`] ?? f[`${key}Missing`];
  return typeof note === 'string' ? note : undefined;
}

/** One bench JSON: its file name without `.json`, and its figures. */
export interface BenchResult {
  readonly name: string;
  readonly figures: BenchFigures;
}

export interface SummaryRow {
  readonly bench: string;
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  readonly verdict: Verdict;
  readonly date: string;
  readonly stale: boolean;
  readonly world: string;
  readonly issue: number | null;
}

/**
 * One row per target per JSON of its bench, in the order of `targets` (a bench's seeds in name
 * order); a bench with no JSON gets its targets as 'not run' rows; a JSON whose bench has no
 * target gets one row saying so, so that every JSON appears.
 */
export function summaryRows(
  results: readonly BenchResult[],
  targets: readonly FigureTarget[],
  staleBefore: string,
): SummaryRow[] {
  const byBench = new Map<string, BenchResult[]>();
  for (const r of [...results].sort((a, b) => a.name.localeCompare(b.name))) {
    const { bench } = benchOfFile(r.name);
    byBench.set(bench, [...(byBench.get(bench) ?? []), r]);
  }
  const benches = [...new Set(targets.map((t) => t.bench))];
  const rows: SummaryRow[] = [];
  for (const bench of benches) {
    const own = targets.filter((t) => t.bench === bench);
    const files = byBench.get(bench) ?? [];
    if (files.length === 0)
      for (const t of own)
        rows.push({
          bench,
          figure: `${t.meaning} (\`${t.key}\`)`,
          value: '—',
          target: formatComparison(parseComparison(t.target), t.unit),
          verdict: 'not run',
          date: '—',
          stale: false,
          world: '',
          issue: t.issue,
        });
    for (const file of files) {
      const { seed } = benchOfFile(file.name);
      const stale = isStale(file.figures.date, staleBefore);
      for (const t of own) {
        const c = parseComparison(t.target);
        rows.push({
          bench: file.name,
          figure: `${t.meaning} (\`${t.key}\`)`,
          value: formatValue(file.figures[t.key], t.unit),
          target: formatComparison(c, t.unit),
          verdict: evaluateComparison(c, file.figures, t.key),
          date: file.figures.date,
          stale,
          world: gatheredNote(file.figures, t.key) ?? worldOf(file.figures, seed),
          issue: t.issue,
        });
      }
    }
  }
  for (const [bench, files] of byBench) {
    if (benches.includes(bench)) continue;
    for (const file of files)
      rows.push({
        bench: file.name,
        figure: 'no headline figure chosen yet (TARGETS in bench/summary.ts)',
        value: '',
        target: '',
        verdict: 'no target',
        date: file.figures.date,
        stale: isStale(file.figures.date, staleBefore),
        world: worldOf(file.figures, benchOfFile(file.name).seed),
        issue: null,
      });
  }
  return rows;
}

/** A markdown table cell: a `|` inside it would end the cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The section's body (without the marker lines): heading, how it is made, the table, the counts. */
export function renderSection(rows: readonly SummaryRow[], staleBefore: string): string {
  const count = (v: Verdict): number => rows.filter((r) => r.verdict === v).length;
  const table = markdownTable({
    columns: [
      'bench',
      'figure',
      'current value',
      'target',
      'met/missed',
      'date',
      'stale',
      'seeds/world',
      'issue',
    ],
    rows: rows.map((r) =>
      [
        r.bench,
        r.figure,
        r.value,
        r.target,
        r.verdict,
        r.date,
        r.stale ? 'stale' : '',
        r.world,
        r.issue === null ? '' : String(r.issue),
      ].map(cell),
    ),
  });
  return [
    '## Current figures',
    '',
    'Generated by `npx tsx bench/summary.ts` from bench/results/*.json (the targets are kept in that',
    'script, with the issue each comes from); do not edit this section by hand. The current value of a',
    `figure is its bench's last run. A figure dated before ${staleBefore} is marked stale`,
    '(`--stale-before`): it predates the code it must measure and needs a re-run. The log of every run',
    'follows this section, newest last.',
    '',
    table,
    '',
    `${rows.length} figures: ${count('met')} met, ${count('missed')} missed, ${count('no target')} without a target, ` +
      `${count('no value')} without a value, ${count('not run')} not run; ${rows.filter((r) => r.stale).length} stale.`,
  ].join('\n');
}

export const BEGIN_MARKER = '<!-- current:begin -->';
export const END_MARKER = '<!-- current:end -->';

/** The 1-based line numbers where `marker` is a whole line of `text`. */
function markerLines(text: string, marker: string): number[] {
  return text.split('\n').flatMap((line, i) => (line === marker ? [i + 1] : []));
}

/**
 * Replaces what lies between the marker lines with `body`; everything else stays byte for byte.
 * Refuses a file without exactly one of each marker, begin before end.
 */
export function replaceSection(text: string, body: string, file: string): string {
  const begins = markerLines(text, BEGIN_MARKER);
  const ends = markerLines(text, END_MARKER);
  const hint = `put the lines '${BEGIN_MARKER}' and '${END_MARKER}', in that order, once each after the intro paragraph`;
  if (begins.length !== 1 || ends.length !== 1) {
    const found = (m: string, at: number[]): string =>
      at.length === 0 ? `'${m}' missing` : `'${m}' at line ${at.join(', ')}`;
    throw new Error(
      `bench/summary: ${file}: ${found(BEGIN_MARKER, begins)}, ${found(END_MARKER, ends)}; ${hint}`,
    );
  }
  if (ends[0]! < begins[0]!)
    throw new Error(
      `bench/summary: ${file}: '${END_MARKER}' (line ${ends[0]}) comes before '${BEGIN_MARKER}' (line ${begins[0]}); ${hint}`,
    );
  const lines = text.split('\n');
  const before = lines.slice(0, begins[0]!).join('\n');
  const after = lines.slice(ends[0]! - 1).join('\n');
  return `${before}\n${body}\n${after}`;
}
