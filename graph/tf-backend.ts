/**
 * The one place nbg starts a TensorFlow.js backend, for graph/ and src/ alike: 'wasm' (XNNPACK,
 * SIMD; about 15 times the pure-JS 'cpu' backend on matMul here), its .wasm files read from the
 * installed @tensorflow/tfjs-backend-wasm package folder (never fetched), or 'cpu'. The caller names
 * the backend (src/ passes its runtime setting; graph/ imports nothing of src/) and what happens
 * when it cannot start: a GraphError (`fallback: 'throw'`, graph/'s similarity functions), or the
 * cpu backend, said through `report` (`fallback: 'cpu'`, the models' training).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { GraphError } from './graph-error.js';

const MODULE = 'graph/tf-backend';

export type TfBackendName = 'wasm' | 'cpu';

export interface TfBackendOptions {
  /** When the backend cannot start: throw a GraphError, or run on 'cpu' instead. */
  readonly fallback: 'throw' | 'cpu';
  /** Where a WASM file not located or a fallback is said (a log line); silent when absent. */
  readonly report?: (level: 'info' | 'warn', message: string, error?: unknown) => void;
  /** The module a GraphError names (the caller's), `graph/tf-backend` by default. */
  readonly caller?: string;
}

let wasmFilesLocated = false;

/** Points the WASM backend at the installed package's .wasm files, once per thread. */
function locateWasmFiles(report: TfBackendOptions['report']): void {
  if (wasmFilesLocated) return;
  wasmFilesLocated = true;
  try {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    setWasmPaths(`${join(dist, '/')}`);
  } catch (e) {
    report?.('info', 'wasm files not located; tfjs will look itself', e);
  }
}

/**
 * Makes `name` the TensorFlow.js backend (nothing to do when it already is) and waits until it is
 * ready; returns the backend in use ('cpu' after a fallback).
 */
export async function useTfBackend(
  name: TfBackendName,
  options: Partial<TfBackendOptions> = {},
): Promise<TfBackendName> {
  const fallback = options.fallback ?? 'throw';
  const report = options.report;
  if (name === 'wasm') locateWasmFiles(report);
  let ok = false;
  try {
    ok = tf.getBackend() === name || (await tf.setBackend(name));
  } catch (e) {
    if (fallback === 'throw') throw e;
    report?.('warn', `the ${name} backend could not start; using cpu`, e);
  }
  let used = name;
  if (!ok) {
    if (fallback === 'throw' || name === 'cpu')
      throw new GraphError(options.caller ?? MODULE, `TensorFlow.js backend '${name}' could not start`);
    report?.('warn', `the ${name} backend is unavailable; using the slower cpu backend`);
    await tf.setBackend('cpu');
    used = 'cpu';
  }
  await tf.ready();
  return used;
}
