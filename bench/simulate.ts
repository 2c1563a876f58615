/**
 * Benchmark of `nbg simulate`: wall time, peak memory and rows for worlds of several sizes, each
 * simulated in its own child process so that peak memory is that size's alone.
 *
 *   npx tsx bench/simulate.ts [--sizes 100000,1000000] [--seed 42] [--keep]
 *
 * Targets (issue 4): 100,000 clients over 24 months in at most 60 s and 2 GB peak memory;
 * 1,000,000 clients complete. Figures: bench/results/simulate.json (seconds100k, peakRssMb100k,
 * seconds1m, ...).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simulate } from '../src/simulate/index.js';
import { cpuClock } from './lib/cpu-clock.js';
import { type Figures, peakRssMbSelf, reportBench } from './lib/report.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    seed: { type: 'string', default: '42' },
    keep: { type: 'boolean', default: false },
    child: { type: 'string' },
    out: { type: 'string' },
  },
});

interface ChildResult {
  clients: number;
  seconds: number;
  /** CPU seconds of the child (user + system): less sensitive than wall time to a busy machine. */
  cpuSeconds: number;
  peakRssMb: number;
  totalRows: number;
  truthRows: number;
}

if (values.child !== undefined) {
  const clients = Number(values.child);
  const s = await simulate({ out: values.out!, clients, seed: Number(values.seed) });
  const result: ChildResult = {
    clients,
    seconds: s.seconds,
    cpuSeconds: cpuClock() / 1000,
    peakRssMb: peakRssMbSelf(),
    totalRows: s.totalRows,
    truthRows: (s.rows['truth/response.csv'] ?? 0) + (s.rows['truth/clients.csv'] ?? 0),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const sizes = values.sizes.split(',').map((x) => Number(x.trim()));
  const root = join(fileURLToPath(new URL('..', import.meta.url)), 'tmp', 'bench-simulate');
  const results: ChildResult[] = [];
  for (const n of sizes) {
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`bench/simulate: --sizes must list positive integers, got ${n}`);
    const out = join(root, String(n));
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--child',
        String(n),
        '--out',
        out,
        '--seed',
        values.seed,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, NBG_PROGRESS: '0' } },
    );
    if (child.status !== 0) throw new Error(`bench/simulate: ${n} clients failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as ChildResult;
    results.push(r);
    process.stderr.write(
      `${n} clients: ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s), ${r.peakRssMb} MB, ${r.totalRows} rows\n`,
    );
    if (!values.keep) rmSync(out, { recursive: true, force: true });
  }
  const label = (n: number): string =>
    n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n);
  // Keep the figures of sizes not re-run this time (e.g. a quick 100k re-run keeps seconds1m).
  const previousPath = join(fileURLToPath(new URL('.', import.meta.url)), 'results', 'simulate.json');
  const figures: Figures = {};
  if (existsSync(previousPath)) {
    const previous = JSON.parse(readFileSync(previousPath, 'utf8')) as Figures;
    for (const [k, v] of Object.entries(previous)) if (k !== 'date' && k !== 'machine') figures[k] = v;
  }
  for (const r of results) {
    figures[`seconds${label(r.clients)}`] = Math.round(r.seconds * 10) / 10;
    figures[`peakRssMb${label(r.clients)}`] = r.peakRssMb;
    figures[`cpuSeconds${label(r.clients)}`] = Math.round(r.cpuSeconds * 10) / 10;
    figures[`rows${label(r.clients)}`] = r.totalRows;
    figures[`clientsPerSecond${label(r.clients)}`] = Math.round(r.clients / r.seconds);
  }
  reportBench(
    'simulate',
    [
      {
        title: 'nbg simulate: 24 months, biased logging policy, seed 42 (one child process per size)',
        columns: [
          'clients',
          'seconds',
          'CPU seconds',
          'clients/s',
          'peak RSS (MB)',
          'rows (contract files)',
          'rows (truth/)',
        ],
        rows: results.map((r) => [
          r.clients,
          Math.round(r.seconds * 10) / 10,
          Math.round(r.cpuSeconds * 10) / 10,
          Math.round(r.clients / r.seconds),
          r.peakRssMb,
          r.totalRows,
          r.truthRows,
        ]),
        notes: [
          'Targets: 100,000 clients in at most 60 s and 2,048 MB peak; 1,000,000 clients complete.',
          `Load average at the end: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (wall time grows when the machine is shared; CPU seconds less so).`,
        ],
      },
    ],
    figures,
  );
}
