/**
 * The worker thread of score-networks.ts: scores the networks of its job (workerData) on its rows
 * and sends the outputs back, moved rather than copied.
 */
import { answerJob } from '../../worker-thread.js';
import { type ScoreJob, scoreJob } from './score-networks.js';

await answerJob(async (job: ScoreJob) => {
  const outs = scoreJob(job);
  return { result: outs, transfer: outs.map((o) => o.buffer as ArrayBuffer) };
});
