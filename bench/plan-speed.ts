/**
 * `nbg plan --values model` end to end on a 100,000-client world, as a new user runs it (issue 16:
 * at most 60 s).
 *
 *   npx tsx bench/plan-speed.ts [--seed 1] [--clients 100000] [--data DIR] [--suite DIR] [--train-only]
 *
 * The world is data/models-<clients>-s<seed> (or models-<thousands>k-s<seed>) when its truth/meta.json says it was simulated by this
 * simulator with this seed, this size and the default options, else it is simulated into
 * data/plan-speed/world-<clients>-s<seed>. The model suite is --suite, else the latest under
 * data/plan-speed/suites-<clients>-s<seed>/, else the default suite trained from the folder's
 * history before its evaluation date (bench/lib/feature-tables.ts + trainSuite + saveSuite; the
 * training time is reported, not part of the target). Then `nbg plan --data DIR --values model
 * --model SUITE --csv-only --timings FILE` runs as a child process; reported: its wall time
 * (planSeconds100k), its CPU time (all its threads: the plan reads the folder and scores in worker
 * threads, so on a quiet machine with two cores the wall time is below it), the plan's own
 * breakdown by step (--timings), its peak RSS, the load average
 * before and after, and the planned contacts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readTruthMeta } from '../src/evaluate/truth-meta.js';
import { latestSuiteDir } from '../src/models/suite/model-store.js';
import { saveSuite, trainSuite } from '../src/models/suite/model-suite.js';
import { DEFAULTS, GENERATOR } from '../src/simulate/index.js';
import { stopwatch } from '../src/stopwatch.js';
import { featureTables } from './lib/feature-tables.js';
import { peakRssMbOf, reportBench } from './lib/report.js';
import { simulatedWorld } from './lib/world.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    clients: { type: 'string', default: '100000' },
    data: { type: 'string' },
    suite: { type: 'string' },
    'train-only': { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const clients = Number(values.clients);
const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = join(root, 'data', 'plan-speed');
const say = (line: string): void => {
  process.stderr.write(`[plan-speed] ${line}\n`);
};

/** True when `dir` holds a world of this simulator with this seed and size, default options. */
function matchesSimulator(dir: string): boolean {
  if (!existsSync(join(dir, 'truth', 'meta.json'))) return false;
  const meta = JSON.parse(readFileSync(join(dir, 'truth', 'meta.json'), 'utf8')) as Record<string, unknown>;
  return (
    meta.generator === GENERATOR &&
    meta.seed === seed &&
    meta.clients === clients &&
    meta.months === DEFAULTS.months &&
    meta.startDate === DEFAULTS.startDate &&
    meta.loggingPolicy === DEFAULTS.loggingPolicy &&
    meta.exploration === DEFAULTS.exploration
  );
}

async function worldDir(): Promise<string> {
  if (values.data) return values.data;
  // bench/models.ts's worlds, named by the full count or in thousands
  for (const name of [`models-${clients}-s${seed}`, `models-${clients / 1000}k-s${seed}`]) {
    const shared = join(root, 'data', name);
    if (matchesSimulator(shared)) return shared;
  }
  return simulatedWorld({ out: join(scratch, `world-${clients}-s${seed}`), clients, seed }, { say });
}

/** The suite to plan with, trained from the folder when there is none yet. */
async function suiteDir(dir: string): Promise<{ dir: string; trainSeconds: number | null }> {
  if (values.suite) return { dir: values.suite, trainSeconds: null };
  const suites = join(scratch, `suites-${clients}-s${seed}`);
  const latest = existsSync(suites) ? latestSuiteDir(suites) : undefined;
  if (latest) return { dir: latest, trainSeconds: null };
  say(`training the default suite on ${dir} (several minutes at 100,000 clients)`);
  const sw = stopwatch();
  const { train } = await featureTables(dir, seed, (step, n) => say(`${step}: ${n.toLocaleString('en')}`));
  const suite = await trainSuite(train, { seed, onProgress: (step) => say(`fitting ${step}`) });
  const saved = await saveSuite(suites, suite, train);
  say(`suite saved to ${saved.dir}`);
  return { dir: saved.dir, trainSeconds: Math.round(sw.seconds()) };
}

/** CPU seconds (user + system) a running process has used so far, or null when it cannot be read. */
function cpuSecondsOf(pid: number): number | null {
  try {
    // fields after the command name: state is 3rd, utime 14th, stime 15th (clock ticks, 100 a second)
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Runs `nbg plan` in a child process; resolves with its wall and CPU time, exit code and peak RSS. */
function runPlan(args: readonly string[]): Promise<{
  seconds: number;
  cpuSeconds: number | null;
  code: number | null;
  peakRssMb: number | null;
  stdout: string;
}> {
  const sw = stopwatch();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'plan', ...args], {
    cwd: root,
    env: { ...process.env, NBG_PROGRESS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
  });
  let peak: number | null = null;
  let cpu: number | null = null;
  // VmHWM is the process's own peak, and its CPU time grows to the end: read both until it is gone
  const poll = setInterval(() => {
    const m = child.pid === undefined ? null : peakRssMbOf(child.pid);
    if (m !== null) peak = Math.max(peak ?? 0, m);
    const c = child.pid === undefined ? null : cpuSecondsOf(child.pid);
    if (c !== null) cpu = c;
  }, 200);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ seconds: sw.seconds(), cpuSeconds: cpu, code, peakRssMb: peak, stdout });
    });
  });
}

const dir = await worldDir();
const suite = await suiteDir(dir);
if (values['train-only']) process.exit(0);
mkdirSync(scratch, { recursive: true });
const out = join(scratch, `plan-${clients}-s${seed}.csv`);
const timingsFile = join(scratch, `plan-${clients}-s${seed}.timings.json`);
const meta = readTruthMeta(dir);
/** The world's own seed (a --data world need not be the --seed one). */
const worldSeed = typeof meta.seed === 'number' ? meta.seed : seed;
const load0 = loadavg()[0]!;
say(`nbg plan --data ${dir} --values model --model ${suite.dir} (load ${load0.toFixed(1)})`);
const run = await runPlan([
  '--data',
  dir,
  '--values',
  'model',
  '--model',
  suite.dir,
  '--csv-only',
  '--out',
  out,
  '--timings',
  timingsFile,
]);
const load1 = loadavg()[0]!;
if (run.code !== 0) throw new Error(`nbg plan exited with code ${run.code}`);
const timings = JSON.parse(readFileSync(timingsFile, 'utf8')) as Record<string, number>;
const contacts = Number(/Wrote ([\d,]+) planned contacts/.exec(run.stdout)?.[1]?.replace(/,/g, '') ?? NaN);
const round1 = (x: number): number => Math.round(x * 10) / 10;
const TARGET = 60;
reportBench(
  'plan-speed',
  [
    {
      title: `nbg plan --values model, ${clients.toLocaleString('en')} clients, seed ${worldSeed} (${meta.evaluationDate}), ${dir}`,
      columns: ['step', 'seconds'],
      rows: [
        ...Object.entries(timings).map(([step, s]) => [step, round1(s)] as const),
        ['end to end (child process)', round1(run.seconds)],
        ['CPU time of the child (user + system)', run.cpuSeconds === null ? null : round1(run.cpuSeconds)],
      ],
      notes: [
        `Target ≤ ${TARGET} s end to end: ${run.seconds <= TARGET ? 'met' : 'MISSED'}. Peak RSS ${run.peakRssMb ?? '?'} MB, ` +
          `${contacts.toLocaleString('en')} planned contacts, load ${load0.toFixed(1)} before and ${load1.toFixed(1)} after.` +
          (suite.trainSeconds === null
            ? ''
            : ` The suite was trained first (${suite.trainSeconds} s, not counted).`),
      ],
    },
  ],
  {
    planSeconds100k: round1(run.seconds),
    cpuSeconds: run.cpuSeconds === null ? null : round1(run.cpuSeconds),
    targetSeconds: TARGET,
    met: run.seconds <= TARGET,
    clients,
    seed: worldSeed,
    world: dir,
    ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [`seconds.${k}`, round1(v)])),
    peakRssMb: run.peakRssMb,
    plannedContacts: contacts,
    loadAverageStart: round1(load0),
    loadAverageEnd: round1(load1),
    trainSeconds: suite.trainSeconds,
  },
);
