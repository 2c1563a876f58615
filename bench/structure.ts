/**
 * The shape of the code base (issue 15): source files over 500 lines and functions over 120 lines in
 * src/ and graph/, the largest file, and the quality figures of bench/models, bench/analyze and
 * bench/plan before and after the reorganisation (from the JSON files named with --before/--after).
 *
 * A function is any function declaration, method, arrow function or function expression; its length
 * is its line span (first to last line, both counted). A function nested in another counts on its
 * own and inside its parent's span.
 *
 * usage: npx tsx bench/structure.ts [--root DIR] [--list]
 *        [--before DIR --after DIR]   (folders holding models.json, analyze.json and plan.json)
 *        [--before-root DIR]          (a checkout of the code before the move: its shape, too)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { type Figures, reportBench } from './lib/report.js';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: join(import.meta.dirname, '..') },
    list: { type: 'boolean', default: false },
    before: { type: 'string' },
    'before-root': { type: 'string' },
    after: { type: 'string' },
  },
});
const root = values.root;
const MAX_FILE = 500;
const MAX_FUNCTION = 120;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export interface LongFunction {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  readonly lines: number;
}

/** Every function of one file longer than `max` lines. */
export function longFunctions(file: string, text: string, max: number): LongFunction[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: LongFunction[] = [];
  const nameOf = (n: ts.Node): string => {
    const named = n as ts.Node & { name?: ts.Node };
    if (named.name && ts.isIdentifier(named.name)) return named.name.text;
    if (named.name && ts.isPropertyName(named.name as ts.PropertyName)) return named.name.getText(sf);
    const p = n.parent;
    if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if (p && ts.isPropertyAssignment(p)) return p.name.getText(sf);
    return '(anonymous)';
  };
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body) {
      const start = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      const end = sf.getLineAndCharacterOfPosition(n.getEnd()).line + 1;
      const lines = end - start + 1;
      if (lines > max) found.push({ file, line: start, name: nameOf(n), lines });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** Files over MAX_FILE lines and functions over MAX_FUNCTION lines in src/ and graph/ of `dir`. */
function shape(dir: string) {
  const files = ['src', 'graph'].flatMap((d) => sourceFiles(join(dir, d)));
  const sizes = files.map((f) => ({
    file: relative(dir, f),
    lines: readFileSync(f, 'utf8').split('\n').length - 1,
  }));
  sizes.sort((a, b) => b.lines - a.lines);
  return {
    sizes,
    overFile: sizes.filter((s) => s.lines > MAX_FILE),
    overFunction: files.flatMap((f) =>
      longFunctions(relative(dir, f), readFileSync(f, 'utf8'), MAX_FUNCTION),
    ),
  };
}
const { sizes, overFile, overFunction } = shape(root);

if (values.list) {
  for (const s of overFile) process.stdout.write(`file ${s.file}: ${s.lines} lines\n`);
  for (const f of overFunction)
    process.stdout.write(`function ${f.file}:${f.line} ${f.name}: ${f.lines} lines\n`);
  process.stdout.write(
    `${overFile.length} files over ${MAX_FILE} lines, ${overFunction.length} functions over ${MAX_FUNCTION} lines\n`,
  );
  process.exit(0);
}

/** The quality figures compared before and after: the figure's key in its bench JSON. */
const QUALITY: Record<string, readonly string[]> = {
  models: [],
  analyze: [
    'modularity',
    'personaNmi',
    'holdingsAuc',
    'popularityAuc',
    'sentimentAccuracySim',
    'sentimentAccuracyFixture',
  ],
  plan: [
    'lagrangianOverLp',
    'violations',
    'loggedMaxShareRatio',
    'classicMaxShareRatio',
    'oursMaxShareRatio',
    'valueGivenUpForFairness',
    'valueGivenUpAtTightRatio',
  ],
};

const figures: Figures = {
  filesOver500Lines: overFile.length,
  functionsOver120Lines: overFunction.length,
  largestFileLines: sizes[0]?.lines ?? 0,
  largestFile: sizes[0]?.file ?? '',
};
if (values['before-root']) {
  const b = shape(values['before-root']);
  figures.filesOver500LinesBefore = b.overFile.length;
  figures.functionsOver120LinesBefore = b.overFunction.length;
  figures.largestFileLinesBefore = b.sizes[0]?.lines ?? 0;
}
const rows: (string | number | boolean | null)[][] = [
  ['files over 500 lines (src/, graph/)', overFile.length, 0],
  ['functions over 120 lines (src/, graph/)', overFunction.length, 0],
  ['largest file', `${sizes[0]?.file} (${sizes[0]?.lines})`, '≤ 500'],
];
if (values.before && values.after) {
  const read = (dir: string, name: string): Record<string, unknown> =>
    JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>;
  const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1);
  for (const [bench, listed] of Object.entries(QUALITY)) {
    const b = read(values.before, bench);
    const a = read(values.after, bench);
    const keys =
      listed.length > 0
        ? listed
        : Object.keys(b).filter(
            (k) => typeof b[k] === 'number' && !/seconds|Seconds|Rss|Ms|^clients$/.test(k),
          );
    for (const k of keys) {
      const vb = b[k];
      const va = a[k];
      if (typeof vb !== 'number' || typeof va !== 'number') continue;
      // ourValueS1 is the modelsValueS1: our policy's true value on seed 1.
      const name = `${bench}${cap(k.replace(/^ourValue/, 'value'))}`;
      figures[`${name}Before`] = vb;
      figures[`${name}After`] = va;
      rows.push([`${bench} ${k}`, `${vb} → ${va}`, vb === va ? 'equal' : 'DIFFERENT']);
    }
  }
}
reportBench('structure', [{ columns: ['figure', 'measured', 'target'], rows }], figures);
