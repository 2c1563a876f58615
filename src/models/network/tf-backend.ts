import { type TfBackendName, useTfBackend } from '../../../graph/index.js';
import { runtimeSettings } from '../../config.js';
import { logger } from '../../log.js';

let ready: Promise<TfBackendName> | undefined;

/**
 * The TensorFlow.js backend the models train on: graph/tf-backend.ts's start of the backend
 * `runtimeSettings().tfBackend` names (WASM unless `NBG_TF_BACKEND=cpu`), falling back to 'cpu'
 * with a log line when the WASM module cannot start. Idempotent: every caller awaits the same
 * start.
 */
export function tfBackend(): Promise<TfBackendName> {
  ready ??= useTfBackend(runtimeSettings().tfBackend, {
    fallback: 'cpu',
    report: (level, message, error) => {
      if (error === undefined) logger()[level](`tf-backend: ${message}`);
      else logger()[level]({ err: String(error) }, `tf-backend: ${message}`);
    },
  });
  return ready;
}
