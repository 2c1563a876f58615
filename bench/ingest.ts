/**
 * bench/ingest: simulates a bank (100,000 clients by default, 4 months: about 2 million rows over
 * all files), starts a fresh embedded Neo4j, and ingests the folder end to end (parse, validate,
 * write), reporting rows/s, Node's and Neo4j's peak memory and Neo4j's start time. With --kill, also
 * kills an ingest subprocess halfway with SIGKILL, re-runs it, and checks the counts against the
 * uninterrupted run.
 *
 *   npx tsx bench/ingest.ts [--clients 100000] [--months 4] [--seed 1] [--kill]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { graphCounts } from '../src/db/counts.js';
import { openDriver } from '../src/db/driver.js';
import { startEmbedded } from '../src/db/embedded.js';
import { Db } from '../src/db/executor.js';
import { migrate } from '../src/db/migrate.js';
import { QueryRegistry } from '../src/db/queries.js';
import { deleteEverything } from '../src/db/reset.js';
import { ingest } from '../src/ingest/index.js';
import { projectRoot } from '../src/paths.js';
import { simulate } from '../src/simulate/index.js';
import { peakRssMbOf, peakRssMbSelf, reportBench } from './lib/report.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    months: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    kill: { type: 'boolean', default: false },
    heap: { type: 'string', default: '2g' },
    pagecache: { type: 'string', default: '1g' },
  },
});
const clients = Number(values.clients);
const months = Number(values.months);
const root = projectRoot();
const world = join(root, 'data', 'bench', `ingest-${clients}-${months}m-s${values.seed}`);

if (!existsSync(join(world, 'clients.csv'))) {
  process.stderr.write(`simulating ${clients} clients over ${months} months into ${world}\n`);
  await simulate({ clients, months, seed: Number(values.seed), out: world });
}

const home = mkdtempSync(join(tmpdir(), 'nbg-bench-neo4j-'));
const password = 'bench-password';
const neo4j = await startEmbedded({
  home,
  password,
  heap: values.heap,
  pagecache: values.pagecache,
  timeoutSeconds: 180,
  mode: 'attached',
});
process.stderr.write(`Neo4j ready in ${neo4j.readySeconds.toFixed(1)}s at ${neo4j.uri}\n`);
const db = new Db(await openDriver(neo4j.uri, 'neo4j', password), QueryRegistry.load(), 'neo4j');
try {
  await migrate(db);
  const summary = await ingest(db, world, { reportDir: join(home, 'report') });
  const counts = await graphCounts(db);
  const nodes = Object.values(counts.nodes).reduce((a, b) => a + b, 0);
  const rels = Object.values(counts.relationships).reduce((a, b) => a + b, 0);

  let killRerunCountsMatch: boolean | null = null;
  if (values.kill) {
    await deleteEverything(db);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'ingest', world], {
      cwd: root,
      env: {
        ...process.env,
        NEO4J_URI: neo4j.uri,
        NEO4J_USER: 'neo4j',
        NEO4J_PASSWORD: password,
        NBG_PROGRESS: '0',
      },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    // Halfway: once the events (written after clients, holdings, consents, solicitations) start.
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      if (((await graphCounts(db)).nodes.Event ?? 0) > 0 || child.exitCode !== null) break;
    }
    child.kill('SIGKILL');
    await exited;
    await ingest(db, world, { reportDir: join(home, 'report-rerun') });
    killRerunCountsMatch = JSON.stringify(await graphCounts(db)) === JSON.stringify(counts);
  }

  const peakRssMbNeo4j = peakRssMbOf(neo4j.pid);
  reportBench(
    'ingest',
    [
      {
        title: `Ingest of a simulated bank: ${clients.toLocaleString('en')} clients, ${months} months (${summary.rowsRead.toLocaleString('en')} rows)`,
        columns: ['file', 'rows', 'write seconds', 'rows/s (write)'],
        rows: [
          ...summary.files.map((f) => [
            f.file,
            f.rowsRead,
            f.writeSeconds,
            f.writeSeconds > 0 ? Math.round(f.rowsRead / f.writeSeconds) : null,
          ]),
          [
            'all files (end to end, incl. validation)',
            summary.rowsRead,
            summary.seconds,
            Math.round(summary.rowsPerSecond),
          ],
        ],
        notes: [
          `Validation pass ${summary.validateSeconds.toFixed(1)} s; graph: ${nodes.toLocaleString('en')} nodes, ${rels.toLocaleString('en')} relationships. ` +
            `Neo4j heap ${values.heap}, page cache ${values.pagecache}; ready in ${neo4j.readySeconds.toFixed(1)} s. ` +
            `Peak RSS: Node ${peakRssMbSelf()} MB, Neo4j ${peakRssMbNeo4j} MB.` +
            (killRerunCountsMatch === null
              ? ''
              : ` SIGKILL halfway then re-run: counts ${killRerunCountsMatch ? 'identical to' : 'DIFFERENT from'} the uninterrupted run.`),
        ],
      },
    ],
    {
      rowsPerSecond: Math.round(summary.rowsPerSecond),
      rows: summary.rowsRead,
      seconds: summary.seconds,
      validateSeconds: summary.validateSeconds,
      peakRssMbNode: peakRssMbSelf(),
      peakRssMbNeo4j,
      neo4jReadySeconds: neo4j.readySeconds,
      nodes,
      relationships: rels,
      killRerunCountsMatch,
    },
  );
} finally {
  await db.close();
  await neo4j.stop();
  rmSync(home, { recursive: true, force: true });
}
