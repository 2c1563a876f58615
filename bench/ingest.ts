/**
 * bench/ingest: simulates a bank (100,000 clients by default, 4 months: about 2 million rows over
 * all files), starts a fresh embedded Neo4j, and ingests the folder end to end (parse, validate,
 * write), reporting rows/s, CPU seconds (Node, Neo4j, the importer), the load average, Node's and
 * Neo4j's peak memory and Neo4j's start time. The store is empty, so the ingest takes the bulk path
 * (offline import, then restart and schema); --no-bulk measures the transactional path. With
 * --kill, also kills `nbg ingest` with SIGKILL halfway and re-runs it, on both paths (a
 * transactional ingest into the bench's database once the events are being written; a bulk ingest
 * into a store of its own once the offline import has begun), and checks the counts against the
 * uninterrupted run.
 *
 * The import runs inside the bench's Neo4j process (as `nbg ingest` does with the Neo4j it starts
 * for itself); --separate-import runs it in a process of its own (as with `nbg db start`'s).
 *
 *   npx tsx bench/ingest.ts [--clients 100000] [--months 4] [--seed 1] [--no-bulk] [--kill]
 *                           [--separate-import]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type GraphCounts, graphCounts } from '../src/db/counts.js';
import { embeddedPassword } from '../src/db/embedded/password.js';
import type { LocalStore } from '../src/db/embedded/restartable.js';
import type { Db } from '../src/db/executor.js';
import { migrate } from '../src/db/migrate.js';
import { QueryRegistry } from '../src/db/queries.js';
import { deleteEverything } from '../src/db/reset.js';
import { NbgError } from '../src/errors.js';
import { bulkTarget } from '../src/ingest/bulk.js';
import { ingest } from '../src/ingest/index.js';
import { projectRoot } from '../src/paths.js';
import { stopwatch } from '../src/stopwatch.js';
import { cpuClock } from './lib/cpu-clock.js';
import { benchDb, startBenchNeo4j, startRestartableBenchNeo4j } from './lib/neo4j.js';
import { peakRssMbOf, peakRssMbSelf, reportBench } from './lib/report.js';
import { simulatedWorld } from './lib/world.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    months: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    kill: { type: 'boolean', default: false },
    'no-bulk': { type: 'boolean', default: false },
    'separate-import': { type: 'boolean', default: false },
    heap: { type: 'string', default: '2g' },
    pagecache: { type: 'string', default: '1g' },
  },
});
const clients = Number(values.clients);
const months = Number(values.months);
const root = projectRoot();
const world = await simulatedWorld(
  {
    clients,
    months,
    seed: Number(values.seed),
    out: join(root, 'data', 'bench', `ingest-${clients}-${months}m-s${values.seed}`),
  },
  { marker: 'clients.csv', say: (line) => process.stderr.write(`${line}\n`) },
);

const home = mkdtempSync(join(tmpdir(), 'nbg-bench-neo4j-'));
const password = 'bench-password';
const store = await startRestartableBenchNeo4j({
  home,
  password,
  heap: values.heap,
  pagecache: values.pagecache,
  timeoutSeconds: 900,
});
const neo4jReadySeconds = store.current.readySeconds;
process.stderr.write(`Neo4j ready in ${neo4jReadySeconds.toFixed(1)}s at ${store.current.uri}\n`);
const registry = QueryRegistry.load();
const connect = (): Promise<Db> => benchDb(store.current.uri, password, registry);

/** CPU seconds (user + system) of a live process, from /proc (clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
// Neo4j's CPU and peak memory, summed over the instances the bulk path stops and restarts.
let neo4jCpu = 0;
let neo4jPeak = 0;
const account = (): void => {
  neo4jCpu += cpuSecondsOf(store.current.pid);
  neo4jPeak = Math.max(neo4jPeak, peakRssMbOf(store.current.pid) ?? 0);
};
// In place (--import-in-place, the default), the import runs in the same Neo4j process: its CPU
// counts once, in Neo4j's.
const measured: LocalStore = {
  home: store.home,
  heap: store.heap,
  whileStopped: (work) => {
    account();
    return store.whileStopped(work);
  },
  ...(values['separate-import'] ? {} : { importInPlace: (input, opts) => store.importInPlace(input, opts) }),
};

let db = await connect();
try {
  await migrate(db);
  const bulk = bulkTarget(measured, db, connect);
  const load0 = loadavg();
  const neo4jCpu0 = cpuSecondsOf(store.current.pid);
  const nodeCpu = stopwatch(cpuClock);
  const summary = await ingest(db, world, {
    reportDir: join(home, 'report'),
    ...(values['no-bulk'] ? {} : { bulk: bulk.target }),
  });
  const nodeCpuSeconds = nodeCpu.seconds();
  db = summary.db;
  account();
  const neo4jCpuSeconds = neo4jCpu - neo4jCpu0;
  const importCpuSeconds = summary.bulkPhases?.importCpuSeconds ?? 0;
  // An import in Neo4j's own process is part of Neo4j's CPU already.
  const inLauncher = summary.bulkPhases?.importInLauncher === true;
  const load1 = loadavg();
  const counts = await graphCounts(db);
  const nodes = Object.values(counts.nodes).reduce((a, b) => a + b, 0);
  const rels = Object.values(counts.relationships).reduce((a, b) => a + b, 0);

  let killRerunCountsMatch: boolean | null = null;
  let killRerunBulkCountsMatch: boolean | null = null;
  if (values.kill) {
    killRerunCountsMatch = await killRerunTransactional(db, counts);
    killRerunBulkCountsMatch = await killRerunBulk(counts);
  }

  const peakRssMbNeo4j = Math.max(neo4jPeak, peakRssMbOf(store.current.pid) ?? 0);
  const b = summary.bulkPhases;
  const cpuSeconds = nodeCpuSeconds + neo4jCpuSeconds + (inLauncher ? 0 : importCpuSeconds);
  const load = `load average ${load0.map((l) => l.toFixed(1)).join(' ')} at the start, ${load1.map((l) => l.toFixed(1)).join(' ')} at the end`;
  const fileRows = summary.files.map((f) => [
    f.file,
    f.rowsRead,
    b ? null : f.writeSeconds,
    b || f.writeSeconds <= 0 ? null : Math.round(f.rowsRead / f.writeSeconds),
  ]);
  const phaseRows = b
    ? [
        ['validation + import input (one pass)', summary.rowsRead, summary.validateSeconds, null],
        ['closing the input (advisors, consents, accounts)', null, b.inputSeconds, null],
        [
          `${b.importInLauncher ? 'shutdown + import in the Neo4j process + reopen' : 'stop + offline import process + restart'} (importer ${b.importSeconds.toFixed(1)} s)`,
          null,
          b.offlineSeconds,
          null,
        ],
        ['schema (constraints, indexes)', null, b.schemaSeconds, null],
      ]
    : [];
  reportBench(
    'ingest',
    [
      {
        title: `Ingest of a simulated bank, ${summary.mode} path: ${clients.toLocaleString('en')} clients, ${months} months (${summary.rowsRead.toLocaleString('en')} rows)`,
        columns: ['file or phase', 'rows', 'seconds', 'rows/s (write)'],
        rows: [
          ...fileRows,
          ...phaseRows,
          [
            'all files (end to end, incl. validation)',
            summary.rowsRead,
            summary.seconds,
            Math.round(summary.rowsPerSecond),
          ],
        ],
        notes: [
          `${summary.mode} path. Validation pass ${summary.validateSeconds.toFixed(1)} s; graph: ${nodes.toLocaleString('en')} nodes, ${rels.toLocaleString('en')} relationships. ` +
            (inLauncher
              ? `CPU seconds: Node ${nodeCpuSeconds.toFixed(1)}, Neo4j ${neo4jCpuSeconds.toFixed(1)} (of which the import in its process ${importCpuSeconds.toFixed(1)}; total ${cpuSeconds.toFixed(1)} on 2 shared cores; ${load}). `
              : `CPU seconds: Node ${nodeCpuSeconds.toFixed(1)}, Neo4j ${neo4jCpuSeconds.toFixed(1)}, importer ${importCpuSeconds.toFixed(1)} (total ${cpuSeconds.toFixed(1)} on 2 shared cores; ${load}). `) +
            `Neo4j heap ${values.heap}, page cache ${values.pagecache}; ready in ${neo4jReadySeconds.toFixed(1)} s. ` +
            `Peak RSS: Node ${peakRssMbSelf()} MB, Neo4j ${peakRssMbNeo4j} MB${b && !inLauncher ? `, importer ${b.importPeakRssMb ?? '?'} MB` : ''}.` +
            (killRerunCountsMatch === null
              ? ''
              : ` SIGKILL halfway (transactional path) then re-run: counts ${killRerunCountsMatch ? 'identical to' : 'DIFFERENT from'} the uninterrupted run.`) +
            (killRerunBulkCountsMatch === null
              ? ''
              : ` \`nbg ingest\` into an empty local store (bulk path) killed with SIGKILL during the offline import, then re-run: counts ${killRerunBulkCountsMatch ? 'identical to' : 'DIFFERENT from'} the uninterrupted run.`),
        ],
      },
    ],
    {
      mode: summary.mode,
      rowsPerSecond: Math.round(summary.rowsPerSecond),
      rows: summary.rowsRead,
      seconds: summary.seconds,
      validateSeconds: summary.validateSeconds,
      importSeconds: b?.importSeconds ?? null,
      offlineSeconds: b?.offlineSeconds ?? null,
      schemaSeconds: b?.schemaSeconds ?? null,
      cpuSeconds: Math.round(cpuSeconds * 10) / 10,
      nodeCpuSeconds: Math.round(nodeCpuSeconds * 10) / 10,
      neo4jCpuSeconds: Math.round(neo4jCpuSeconds * 10) / 10,
      importCpuSeconds: Math.round(importCpuSeconds * 10) / 10,
      importInNeo4jProcess: b?.importInLauncher ?? null,
      loadAverageStart: load0[0] ?? null,
      loadAverageEnd: load1[0] ?? null,
      peakRssMbNode: peakRssMbSelf(),
      peakRssMbNeo4j,
      peakRssMbImport: b?.importPeakRssMb ?? null,
      neo4jReadySeconds,
      nodes,
      relationships: rels,
      killRerunCountsMatch,
      killRerunBulkCountsMatch,
    },
  );
} finally {
  await db.close();
  await store.stop();
  rmSync(home, { recursive: true, force: true });
}

/** Starts `nbg ingest` on the world in a child process with `env` (SIGKILL it with `kill`). */
function runCli(env: NodeJS.ProcessEnv): {
  exited: Promise<number | null>;
  kill: () => void;
  done: () => boolean;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'ingest', world], {
    cwd: root,
    env: { ...env, NBG_PROGRESS: '0' },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { exited, kill: () => child.kill('SIGKILL'), done: () => child.exitCode !== null };
}

/**
 * Transactional path: empties the bench's database, kills an `nbg ingest` into it halfway (once
 * the events, written after clients, holdings, consents and solicitations, start), re-runs the
 * ingest and compares the counts with the uninterrupted run's.
 */
async function killRerunTransactional(db: Db, counts: GraphCounts): Promise<boolean> {
  await deleteEverything(db);
  const child = runCli({
    ...process.env,
    NEO4J_URI: store.current.uri,
    NEO4J_USER: 'neo4j',
    NEO4J_PASSWORD: password,
  });
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    if (((await graphCounts(db)).nodes.Event ?? 0) > 0 || child.done()) break;
  }
  child.kill();
  await child.exited;
  await ingest(db, world, { reportDir: join(home, 'report-rerun') });
  return JSON.stringify(await graphCounts(db)) === JSON.stringify(counts);
}

/**
 * Bulk path: `nbg ingest` with its own local store (NBG_DATA_DIR, no NEO4J_URI), killed with
 * SIGKILL once the offline importer is building the new store (all rows validated and written to
 * the importer's input), then run again to the end; the counts must be the uninterrupted run's.
 */
async function killRerunBulk(counts: GraphCounts): Promise<boolean> {
  const dataDir = join(home, 'cli');
  const cliHome = join(dataDir, 'neo4j', 'home');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NBG_DATA_DIR: dataDir,
    NBG_NEO4J_HEAP: values.heap,
    NBG_NEO4J_PAGECACHE: values.pagecache,
    NBG_NEO4J_START_TIMEOUT: '900',
  };
  delete env.NEO4J_URI;
  const first = runCli(env);
  while (!existsSync(join(cliHome, 'import-staging')) && !first.done())
    await new Promise((r) => setTimeout(r, 100));
  const killedDuringImport = !first.done();
  first.kill();
  await first.exited;
  process.stderr.write(
    `bulk kill: ${killedDuringImport ? 'killed during the offline import' : 'the ingest ended before the import began'}; re-running\n`,
  );
  const second = runCli(env);
  if ((await second.exited) !== 0) return false;
  // The re-run's Neo4j stopped with it: open the store once more to count.
  for (let attempt = 0; ; attempt++) {
    try {
      const inst = await startBenchNeo4j({
        home: cliHome,
        password: embeddedPassword(join(dataDir, 'neo4j')),
        heap: values.heap,
        pagecache: values.pagecache,
        timeoutSeconds: 900,
      });
      const cliDb = await benchDb(inst.uri, embeddedPassword(join(dataDir, 'neo4j')), registry);
      try {
        return killedDuringImport && JSON.stringify(await graphCounts(cliDb)) === JSON.stringify(counts);
      } finally {
        await cliDb.close();
        await inst.stop();
      }
    } catch (e) {
      // The killed importer may hold the store's lock a moment longer.
      if (!(e instanceof NbgError) || !/locked/.test(e.message) || attempt >= 30) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
