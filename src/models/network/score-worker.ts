/**
 * The worker thread of score-networks.ts: scores the networks of its job (workerData) on its rows
 * and sends the outputs back, moved rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ScoreJob, scoreJob } from './score-networks.js';

const outs = scoreJob(workerData as ScoreJob);
parentPort?.postMessage(
  outs,
  outs.map((o) => o.buffer as ArrayBuffer),
);
