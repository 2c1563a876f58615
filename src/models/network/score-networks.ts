/**
 * Scores several small networks on every row of a table, the rows split across threads: the first
 * share on the calling thread, the others each in a worker thread (score-worker.ts) that receives a
 * copy of its rows' inputs. Every row is scored by scoreNetwork exactly as on one thread, so the
 * floats are the same whatever the split; a plan's 700,000 decision rows take about half the time
 * on two cores. A small table (under `minRowsPerThread` rows a thread) is scored inline.
 */
import { coresUpTo, runInWorker, workerModule } from '../../worker-thread.js';
import { type FeatureScaling, type SmallNetwork, scoreNetwork } from './small-network.js';

/** A table's network inputs, as scoreNetwork reads them: x n × F, xc n × C × K, product n. */
export interface NetworkRows {
  readonly x: Float32Array;
  readonly xc: Float32Array;
  readonly product: Int32Array;
  readonly n: number;
}

export interface ScoreNetworksOptions {
  /** Threads to use, the calling one included. Default: the cores available, at most 4. */
  readonly threads?: number;
  /** Fewer rows than this a thread and the table is scored on fewer threads. Default 50,000. */
  readonly minRowsPerThread?: number;
}

export const SCORE_NETWORKS_DEFAULTS = {
  threads: coresUpTo(4),
  minRowsPerThread: 50_000,
} as const;

/** What a worker receives (workerData) and sends back. */
export interface ScoreJob {
  readonly nets: readonly SmallNetwork[];
  readonly scaling: FeatureScaling;
  readonly rows: NetworkRows;
}

/** Size of one row's output of a network: C for a channel network, 1 for a control one. */
const widthOf = (net: SmallNetwork): number => (net.channelInputs ? net.C : 1);

/** Scores every network of a job on all its rows: one array per network, n × width. */
export function scoreJob(job: ScoreJob): Float32Array[] {
  const { x, xc, product, n } = job.rows;
  return job.nets.map((net) => {
    const out = new Float32Array(n * widthOf(net));
    scoreNetwork(net, job.scaling, x, xc, product, n, out);
    return out;
  });
}

/**
 * scoreNetwork for each of `nets` over all rows (out n × C for a channel network, n for a control
 * one), in `nets` order. `rows` is not modified.
 */
export async function scoreNetworks(
  nets: readonly SmallNetwork[],
  scaling: FeatureScaling,
  rows: NetworkRows,
  options: ScoreNetworksOptions = {},
): Promise<Float32Array[]> {
  const threads = Math.max(
    1,
    Math.min(
      options.threads ?? SCORE_NETWORKS_DEFAULTS.threads,
      Math.floor(rows.n / (options.minRowsPerThread ?? SCORE_NETWORKS_DEFAULTS.minRowsPerThread)),
    ),
  );
  if (threads <= 1 || nets.length === 0) return scoreJob({ nets, scaling, rows });
  const F = rows.x.length / rows.n;
  const CK = rows.xc.length / rows.n;
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.round((rows.n * t) / threads));
  const share = (t: number, copy: boolean): NetworkRows => {
    const a = bounds[t]!;
    const b = bounds[t + 1]!;
    const cut = <T extends Float32Array | Int32Array>(arr: T, w: number): T =>
      (copy ? arr.slice(a * w, b * w) : arr.subarray(a * w, b * w)) as T;
    return { x: cut(rows.x, F), xc: cut(rows.xc, CK), product: cut(rows.product, 1), n: b - a };
  };
  const workers = Array.from({ length: threads - 1 }, (_, k) =>
    runWorker({ nets, scaling, rows: share(k + 1, true) }),
  );
  const parts = [scoreJob({ nets, scaling, rows: share(0, false) }), ...(await Promise.all(workers))];
  return nets.map((net, m) => {
    const w = widthOf(net);
    const out = new Float32Array(rows.n * w);
    for (let t = 0; t < threads; t++) out.set(parts[t]![m]!, bounds[t]! * w);
    return out;
  });
}

const WORKER = workerModule('score-worker', import.meta.url);

/** A new worker thread running `job`; its inputs are moved, not copied, to it. */
function runWorker(job: ScoreJob): Promise<Float32Array[]> {
  return runInWorker<Float32Array[]>(WORKER, job, {
    transferList: [job.rows.x.buffer, job.rows.xc.buffer, job.rows.product.buffer] as ArrayBuffer[],
    where: 'models/score-networks',
  });
}
