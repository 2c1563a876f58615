import { parentPort, workerData } from 'node:worker_threads';
import { useTfBackend } from '../tf-backend.js';
import { TopKHeaps } from './top-k-heap.js';
import { runSymmetricPart, type SymmetricJob } from './top-k-tf.js';

/** Worker side of topKCosineTf with threads > 1: one share of the symmetric block pairs. */
const job = workerData as SymmetricJob;
await useTfBackend(job.backend, { caller: 'graph/similarity/top-k-tf-worker' });
const heaps = new TopKHeaps(job.ids.length, job.k);
runSymmetricPart(heaps, job);
parentPort!.postMessage({ scores: heaps.scores, indices: heaps.indices }, [
  heaps.scores.buffer as ArrayBuffer,
  heaps.indices.buffer as ArrayBuffer,
]);
