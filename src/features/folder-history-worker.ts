/**
 * The worker thread of folder-history.ts: reads the clients and its files of the folder into a
 * history and sends it back, its arrays moved rather than copied.
 */
import { answerJob } from '../worker-thread.js';
import { type FolderReadJob, historyBuffers } from './folder-history.js';
import { folderSource } from './folder-source.js';
import { loadHistory } from './record-store.js';

await answerJob(async (job: FolderReadJob) => {
  const history = await loadHistory(folderSource(job.dir, job.files));
  return { result: history, transfer: historyBuffers(history) };
});
