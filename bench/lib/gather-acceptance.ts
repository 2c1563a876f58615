import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchTable, Figures } from './report.js';
import { type BenchFigures, parseBenchJson } from './summary-table.js';

/**
 * Issue 16's acceptance figures that other benches measure, gathered into bench/results/decisions.json
 * with where each came from. bench/decisions.ts calls it when it writes the JSON and bench/acceptance.ts
 * re-gathers from the current files without planning anything.
 *
 * Every gathered key K ends as either K (the figure) and `KSource` (file, its date, seed, size and
 * load as the file records them), or `KMissing` (why there is no figure: the file is absent, or its
 * world is not a report seed, or it lacks the key). Gathered:
 * - `auucRatioVsBestPeerMin`: the lowest `auucRatioVsBestPeer` of peers-uplift-s101/-s102/-s103.json
 *   (bench/peers-uplift.ts; one file per seed, so one world size per seed: the last run's); missing
 *   unless all three are there, so that it is never the minimum of fewer worlds than it says;
 * - `apiP95Ms`, `apiP99Ms`, `apiRequestsPerSecond`: p95Ms, p99Ms, requestsPerSecond of api.json
 *   (bench/api.ts) when its `worldSeed` is a report seed and its world has 100,000 clients or more;
 * - `planSeconds100k`: plan-speed.json's (bench/plan-speed.ts) under the same conditions on its
 *   `seed` and `clients`. decisions.json's own timing of `nbg plan --values model` (beside three
 *   other plans and the training) is `planSeconds100kInBench`.
 */

/** The simulator seeds the issue reports on (never tuned on). */
export const REPORT_SEEDS: readonly number[] = [101, 102, 103];
/** The smallest world the API and plan-speed targets are about. */
export const ACCEPTANCE_CLIENTS = 100_000;

export const GATHERED_KEYS = [
  'auucRatioVsBestPeerMin',
  'apiP95Ms',
  'apiP99Ms',
  'apiRequestsPerSecond',
  'planSeconds100k',
] as const;
export type GatheredKey = (typeof GATHERED_KEYS)[number];

/** The bench JSON of a file name of bench/results, or undefined when there is no such file. */
export type ResultReader = (file: string) => BenchFigures | undefined;

/** Reads bench/results/NAME.json files of `dir`; a file that is there but not a bench JSON throws, naming it. */
export function resultsReader(dir: string): ResultReader {
  return (file) => {
    const path = join(dir, file);
    return existsSync(path) ? parseBenchJson(readFileSync(path, 'utf8'), path) : undefined;
  };
}

const isReportSeed = (seed: unknown): seed is number =>
  typeof seed === 'number' && REPORT_SEEDS.includes(seed);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const clientsText = (v: unknown): string =>
  typeof v === 'number' ? `${v.toLocaleString('en')} clients` : 'clients not recorded';

type Gathered = Record<string, number | string>;

function source(g: Gathered, key: GatheredKey, value: number, from: string): void {
  g[key] = value;
  g[`${key}Source`] = from;
}

function peers(read: ResultReader, g: Gathered): void {
  const key = 'auucRatioVsBestPeerMin';
  const found: { seed: number; ratio: number; text: string }[] = [];
  const gaps: string[] = [];
  for (const seed of REPORT_SEEDS) {
    const file = `peers-uplift-s${seed}.json`;
    const f = read(file);
    const ratio = num(f?.auucRatioVsBestPeer);
    if (!f) gaps.push(`bench/results/${file} not found`);
    else if (ratio === undefined) gaps.push(`${file} has no auucRatioVsBestPeer`);
    else {
      // the current files record neither seed nor world: the seed is the file name's
      const world =
        typeof f.world === 'string'
          ? f.world
          : `world not recorded, ${typeof f.trainRows === 'number' ? f.trainRows.toLocaleString('en') : '?'} train rows`;
      const text = `${file} ${f.date} seed ${seed}, ${world}, load ${f.loadAverage}: ${ratio.toPrecision(3)}`;
      found.push({ seed, ratio, text });
    }
  }
  if (gaps.length > 0) {
    const partial = found.length
      ? `; the lowest of the others is ${Math.min(...found.map((x) => x.ratio)).toPrecision(3)}`
      : '';
    g[`${key}Missing`] = `${gaps.join('; ')}${partial}`;
    return;
  }
  const lowest = found.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  source(g, key, lowest.ratio, `lowest of seed ${lowest.seed}: ${found.map((x) => x.text).join('; ')}`);
}

/** Why `f` (of `file`) is not a world the API and plan-speed targets are about, or undefined when it is. */
function notAcceptanceWorld(f: BenchFigures | undefined, file: string, seedKey: string): string | undefined {
  if (!f) return `bench/results/${file} not found`;
  const seed = f[seedKey];
  if (!isReportSeed(seed))
    return `${file} (${f.date}) is of seed ${seed ?? 'unrecorded'}, not a report seed (${REPORT_SEEDS.join(', ')})`;
  const clients = num(f.clients);
  if (clients === undefined || clients < ACCEPTANCE_CLIENTS)
    return `${file} (${f.date}) is of a world of ${clientsText(f.clients)}, below ${ACCEPTANCE_CLIENTS.toLocaleString('en')}`;
  return undefined;
}

/**
 * The figures of `file` for `keys` (gathered key → the file's key), when its world (`seedKey`,
 * `clients`) is a report seed of at least ACCEPTANCE_CLIENTS clients; else a `…Missing` note each.
 */
function fromReportWorld(
  read: ResultReader,
  g: Gathered,
  file: string,
  seedKey: string,
  keys: readonly (readonly [GatheredKey, string])[],
  describe: (f: BenchFigures) => string,
): void {
  const f = read(file);
  const why = notAcceptanceWorld(f, file, seedKey);
  for (const [key, theirs] of keys) {
    const value = num(f?.[theirs]);
    if (!f || why !== undefined) g[`${key}Missing`] = why ?? '';
    else if (value === undefined) g[`${key}Missing`] = `${file} (${f.date}) has no ${theirs}`;
    else source(g, key, value, `${file} ${f.date} seed ${f[seedKey]}, ${describe(f)}`);
  }
}

/** The gathered keys with their `…Source` or `…Missing` notes, from the bench JSON files `read` gives. */
export function gatherAcceptance(read: ResultReader): Gathered {
  const g: Gathered = {};
  peers(read, g);
  fromReportWorld(
    read,
    g,
    'api.json',
    'worldSeed',
    [
      ['apiP95Ms', 'p95Ms'],
      ['apiP99Ms', 'p99Ms'],
      ['apiRequestsPerSecond', 'requestsPerSecond'],
    ],
    (f) =>
      `${clientsText(f.clients)}, ${f.offeredRate ?? '?'} req/s offered over ${f.connections ?? '?'} connections, ${f.loadErrors ?? '?'} errors, load ${f.loadAverage}`,
  );
  fromReportWorld(
    read,
    g,
    'plan-speed.json',
    'seed',
    [['planSeconds100k', 'planSeconds100k']],
    (f) =>
      `${clientsText(f.clients)}, load ${f.loadAverageStart ?? '?'} before and ${f.loadAverageEnd ?? '?'} after`,
  );
  return g;
}

/** Every key a gather writes or may have written: K, KSource and KMissing of each gathered K. */
const gatheredNames = new Set(GATHERED_KEYS.flatMap((k) => [k, `${k}Source`, `${k}Missing`]));

/**
 * decisions.json's figures with the gathered keys replaced by `gathered` (placed before `date`),
 * every other key kept as it is and where it is. A decisions.json written before the gather
 * existed has its own timing as `planSeconds100k` with no source note: it becomes
 * `planSeconds100kInBench`.
 */
export function withGathered(decisions: Figures, gathered: Gathered): Figures {
  const old =
    'planSeconds100k' in decisions &&
    !('planSeconds100kSource' in decisions) &&
    !('planSeconds100kMissing' in decisions) &&
    !('planSeconds100kInBench' in decisions);
  const out: Figures = {};
  const put = (): void => void Object.assign(out, gathered);
  for (const [k, v] of Object.entries(decisions)) {
    if (k === 'date') put();
    if (old && k === 'planSeconds100k') out.planSeconds100kInBench = v;
    else if (!gatheredNames.has(k)) out[k] = v;
  }
  if (!('date' in decisions)) put();
  return out;
}

/** The gathered figures as a table: key, figure, where it came from (or why it is missing). */
export function gatheredTable(gathered: Gathered): BenchTable {
  return {
    title: 'Acceptance figures of issue 16 gathered from the other benches (bench/lib/gather-acceptance.ts)',
    columns: ['figure', 'value', 'source'],
    rows: GATHERED_KEYS.map((k) => [
      k,
      gathered[k] ?? 'missing',
      String(gathered[`${k}Source`] ?? gathered[`${k}Missing`] ?? ''),
    ]),
  };
}
