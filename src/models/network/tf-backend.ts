import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { logger } from '../../log.js';

/** The TensorFlow.js backend the models run on. */
export type TfBackendName = 'wasm' | 'cpu';

let ready: Promise<TfBackendName> | undefined;

/**
 * The one place src/ picks the TensorFlow.js backend: WASM (XNNPACK, SIMD; about 15 times the pure
 * JS 'cpu' backend on matMul here), its .wasm files read from the installed
 * @tensorflow/tfjs-backend-wasm package folder (never fetched), and 'cpu' with a log line when the
 * WASM module cannot start. `NBG_TF_BACKEND=cpu` forces the CPU backend. Idempotent: every caller
 * awaits the same start. (graph/ keeps its own choice: graph/ never imports src/.)
 */
export function tfBackend(): Promise<TfBackendName> {
  ready ??= start();
  return ready;
}

async function start(): Promise<TfBackendName> {
  const wanted = process.env.NBG_TF_BACKEND === 'cpu' ? 'cpu' : 'wasm';
  if (wanted === 'wasm') {
    try {
      const require = createRequire(import.meta.url);
      const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
      setWasmPaths(`${join(dist, '/')}`);
    } catch (e) {
      logger().info({ err: String(e) }, 'tf-backend: wasm files not located; tfjs will look itself');
    }
    try {
      if (tf.getBackend() === 'wasm' || (await tf.setBackend('wasm'))) {
        await tf.ready();
        return 'wasm';
      }
    } catch (e) {
      logger().warn({ err: String(e) }, 'tf-backend: the WASM backend could not start; using cpu');
    }
    logger().warn('tf-backend: the WASM backend is unavailable; using the slower cpu backend');
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}
