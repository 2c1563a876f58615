/**
 * Recommender peer (issue 6, item 4): nbg's implicit ALS (src/models/baselines/implicit-als.ts) against the
 * `implicit` library's (0.7.3, CPU) on the same held-out holdings, with the same factors,
 * regularisation, confidence, iterations and solver (3 conjugate-gradient steps per half-step).
 *
 * Task: the client × product holdings at the evaluation date D, as the matrix-factorisation
 * baseline reads them (the `holds_<product>` features of the decision rows at D,
 * src/models/baselines/client-holdings.ts); each holding is hidden with probability `--share` (seeded, never
 * a client's last one: src/models/baselines/recall-at-k.ts splitHeldOut); both fit on the rest and rank the
 * products each client does not keep; recall@k (recallAtK) over the clients with a hidden holding,
 * for k = 1, 3 and 10 (with 12 products, recall@10 is nearly always 1: the short lists tell the
 * models apart). Popularity (training count per product) is the reference floor.
 *
 * usage: npx tsx bench/peers-implicit.ts [--dir data/models-100k-s1] [--clients 100000] [--seed 1]
 *          [--factors 32] [--regularization 0.01] [--alpha 1] [--iterations 15] [--share 0.2] [--dev]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CsvWriter } from '../src/csv/writer.js';
import { buildDecisionRows, folderSource } from '../src/features/index.js';
import { clientHoldings } from '../src/models/baselines/client-holdings.js';
import {
  fitImplicitAls,
  IMPLICIT_ALS_DEFAULTS,
  type SparseRows,
} from '../src/models/baselines/implicit-als.js';
import { recallAtK, splitHeldOut } from '../src/models/baselines/recall-at-k.js';
import { stopwatch } from '../src/stopwatch.js';
import { requirePeersPython, runPeer } from './lib/python-peer.js';
import { type BenchTable, markdownTable, peakRssMbSelf, reportBench } from './lib/report.js';
import { describeWorld, ensureWorld } from './peers/uplift/world-task.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    clients: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    factors: { type: 'string', default: String(IMPLICIT_ALS_DEFAULTS.factors) },
    regularization: { type: 'string', default: String(IMPLICIT_ALS_DEFAULTS.regularization) },
    alpha: { type: 'string', default: String(IMPLICIT_ALS_DEFAULTS.alpha) },
    iterations: { type: 'string', default: String(IMPLICIT_ALS_DEFAULTS.iterations) },
    share: { type: 'string', default: '0.2' },
    dev: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const clients = Number(values.clients);
const dir = values.dir ?? `data/models-${clients / 1000}k-s${seed}`;
const als = {
  factors: Number(values.factors),
  regularization: Number(values.regularization),
  alpha: Number(values.alpha),
  iterations: Number(values.iterations),
  cgSteps: IMPLICIT_ALS_DEFAULTS.cgSteps,
  seed,
};
const KS = [1, 3, 10] as const;
const total = stopwatch();

const meta = await ensureWorld({ dir, clients, seed, loggingPolicy: 'biased' });
const rows = await buildDecisionRows(folderSource(dir), meta.evaluationDate);
const { holdings } = clientHoldings(rows, 'bench/peers-implicit');
const { train, test } = splitHeldOut(holdings, Number(values.share), seed);
const P = holdings.nCols;
let testUsers = 0;
for (let u = 0; u < test.nRows; u++)
  if ((test.indptr[u + 1] as number) > (test.indptr[u] as number)) testUsers++;
process.stderr.write(
  `${describeWorld(dir, meta)}\n  ${holdings.nRows} clients × ${P} products, ${train.indices.length} training holdings, ${test.indices.length} hidden (${testUsers} clients)\n`,
);

const recalls = (score: (u: number, out: Float32Array) => void): number[] =>
  KS.map((k) => recallAtK(train, test, score, k));

interface Row {
  readonly name: string;
  readonly recall: number[];
  readonly fitSeconds: number | null;
}
const results: Row[] = [];

// Popularity: the training count of each product.
const count = new Float32Array(P);
for (const j of train.indices) count[j]!++;
results.push({
  name: 'popularity (training count)',
  recall: recalls((_u, out) => out.set(count)),
  fitSeconds: null,
});

// Ours.
const oursWatch = stopwatch();
const fit = fitImplicitAls(train, als);
const oursSeconds = oursWatch.seconds();
const f = fit.factors;
results.push({
  name: 'nbg implicit ALS',
  recall: recalls((u, out) => {
    for (let j = 0; j < P; j++) {
      let s = 0;
      for (let a = 0; a < f; a++)
        s += (fit.userFactors[u * f + a] as number) * (fit.itemFactors[j * f + a] as number);
      out[j] = s;
    }
  }),
  fitSeconds: oursSeconds,
});

// implicit: the same training matrix with nbg's confidence c = 1 + α r as implicit's value (alpha 1).
const python = requirePeersPython([
  'python3 -m venv .venv-peers',
  '.venv-peers/bin/pip install -r bench/peers/implicit/requirements.txt',
]);
const out = join(import.meta.dirname, 'peers', 'implicit', 'out', basename(dir));
mkdirSync(out, { recursive: true });
const users: number[] = [];
for (let u = 0; u < test.nRows; u++)
  if ((test.indptr[u + 1] as number) > (test.indptr[u] as number)) users.push(u);
await writeMatrix(join(out, 'train.csv'), train, als.alpha);
const uw = new CsvWriter(join(out, 'users.csv'), ['user']);
await uw.lines(users.map((u) => `${u}\n`).join(''), users.length);
await uw.close();
const K = Math.max(...KS);
writeFileSync(
  join(out, 'params.json'),
  `${JSON.stringify({ users: train.nRows, items: P, factors: als.factors, regularization: als.regularization, iterations: als.iterations, seed, k: K })}\n`,
);
await runPeer(python, 'bench/peers/implicit/implicit_als.py', [out]);
const peer = JSON.parse(readFileSync(join(out, 'implicit.json'), 'utf8')) as {
  versions: Record<string, string>;
  solver: string;
  fitSeconds: number;
  users: number;
};
const buf = readFileSync(join(out, 'recs.i32'));
const recs = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
if (recs.length !== users.length * K)
  throw new Error(`peers-implicit: ${recs.length} recommendations, expected ${users.length} × ${K}`);
const position = new Int32Array(test.nRows).fill(-1);
users.forEach((u, q) => {
  position[u] = q;
});
results.push({
  name: `implicit ${peer.versions.implicit} ALS`,
  // implicit's ranking as scores: K − rank for its top K, below every listed item otherwise.
  recall: recalls((u, s) => {
    s.fill(-1);
    const q = position[u] as number;
    for (let r = 0; r < K; r++) {
      const j = recs[q * K + r] as number;
      if (j >= 0) s[j] = K - r;
    }
  }),
  fitSeconds: peer.fitSeconds,
});

/** user,item,confidence rows of a CSR matrix, confidence = 1 + α r (Hu et al.), nbg's definition. */
async function writeMatrix(path: string, m: SparseRows, alpha: number): Promise<void> {
  const w = new CsvWriter(path, ['user', 'item', 'confidence']);
  for (let u = 0; u < m.nRows; u++) {
    let text = '';
    for (let k = m.indptr[u] as number; k < (m.indptr[u + 1] as number); k++)
      text += `${u},${m.indices[k]},${1 + alpha * (m.values[k] as number)}\n`;
    await w.lines(text, (m.indptr[u + 1] as number) - (m.indptr[u] as number));
  }
  await w.close();
}

const ours = results.find((r) => r.name.startsWith('nbg'));
const theirs = results.find((r) => r.name.startsWith('implicit'));
const load = loadavg()
  .map((v) => v.toFixed(1))
  .join(' ');
const table: BenchTable = {
  title: `implicit ALS vs nbg's on held-out holdings: ${describeWorld(dir, meta)}`,
  columns: ['model', ...KS.map((k) => `recall@${k}`), 'fit s'],
  rows: results.map((r) => [
    r.name,
    ...r.recall,
    r.fitSeconds === null ? null : Number(r.fitSeconds.toFixed(2)),
  ]),
  notes: [
    `${holdings.nRows.toLocaleString('en')} clients × ${P} products; ${test.indices.length.toLocaleString('en')} holdings hidden (share ${values.share}, seed ${seed}) from ${testUsers.toLocaleString('en')} clients. Both: ${als.factors} factors, λ ${als.regularization}, c = 1 + ${als.alpha}·r, ${als.iterations} iterations, ${peer.solver}; implicit on ${python.includes('.venv-peers') ? 'the peers venv' : python}.`,
    `Load average ${load} (2 cores shared); ${total.seconds().toFixed(0)} s, peak RSS ${peakRssMbSelf()} MB (driver).`,
  ],
};
const figures = {
  recallAt10Ours: ours?.recall[2] ?? null,
  recallAt10Implicit: theirs?.recall[2] ?? null,
  recallAt3Ours: ours?.recall[1] ?? null,
  recallAt3Implicit: theirs?.recall[1] ?? null,
  recallAt1Ours: ours?.recall[0] ?? null,
  recallAt1Implicit: theirs?.recall[0] ?? null,
  fitSecondsOurs: ours?.fitSeconds ?? null,
  fitSecondsImplicit: theirs?.fitSeconds ?? null,
  clients: holdings.nRows,
  hiddenHoldings: test.indices.length,
  loadAverage: load,
};
if (values.dev) process.stdout.write(`\n${markdownTable(table)}\n`);
else reportBench('peers-implicit', [table], figures);
