/**
 * One job in a worker thread, for the few steps that split their work across cores (scoring a large
 * table, reading a dataset folder). The worker module answers once with `answerJob`; the caller's
 * `runInWorker` resolves with that answer, or rejects with the worker's error rebuilt as it was
 * thrown (an InputError keeps its issues, an NbgError its code and hint).
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, type ResourceLimits, Worker, workerData } from 'node:worker_threads';
import { ErrorCode, InputError, type InputIssue, NbgError } from './errors.js';

/** The cores this process may use, at least 1 and at most `max`: a default thread count. */
export function coresUpTo(max: number): number {
  return Math.max(1, Math.min(max, availableParallelism()));
}

/** A worker module beside the caller's file: `name.js` when compiled, `name.ts` from the sources. */
export function workerModule(name: string, callerUrl: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(callerUrl))}`, callerUrl);
}

export interface WorkerJobOptions {
  /** Buffers moved to the worker rather than copied (the caller loses them). */
  readonly transferList?: readonly ArrayBuffer[];
  readonly resourceLimits?: ResourceLimits;
  /** Module name for error messages. */
  readonly where: string;
}

type Answer =
  | { readonly ok: true; readonly result: unknown }
  | {
      readonly ok: false;
      readonly message: string;
      readonly code?: ErrorCode;
      readonly hint?: string;
      readonly issues?: readonly InputIssue[];
    };

/**
 * Runs `module` in a new worker thread with `data` as its workerData; resolves with its answer.
 * From the sources (tsx, vitest) a worker does not inherit the TypeScript loader: it registers
 * tsx's (resolved from the working directory, the repository) before importing its module.
 */
export function runInWorker<T>(module: URL, data: unknown, options: WorkerJobOptions): Promise<T> {
  const init = {
    workerData: data,
    transferList: [...(options.transferList ?? [])],
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
  };
  const worker = module.pathname.endsWith('.ts')
    ? new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`,
        { ...init, eval: true },
      )
    : new Worker(module, init);
  return new Promise((resolve, reject) => {
    let answer: Answer | undefined;
    worker.once('message', (a: Answer) => {
      answer = a;
    });
    worker.once('error', (e) =>
      reject(new NbgError(ErrorCode.INTERNAL, `${options.where}: a worker thread failed: ${e.message}`)),
    );
    worker.once('exit', (code) => {
      if (answer === undefined)
        reject(
          new NbgError(
            ErrorCode.INTERNAL,
            `${options.where}: a worker thread exited (code ${code}) without answering`,
          ),
        );
      else if (answer.ok) resolve(answer.result as T);
      else reject(rebuilt(answer));
    });
  });
}

/** The worker's error as the caller would have seen it thrown. */
function rebuilt(a: Extract<Answer, { ok: false }>): Error {
  let e: Error;
  if (a.issues) e = new InputError(a.issues);
  else if (a.code) e = new NbgError(a.code, a.message, a.hint === undefined ? {} : { hint: a.hint });
  else e = new NbgError(ErrorCode.INTERNAL, a.message);
  e.message = a.message;
  return e;
}

/**
 * In a worker module: computes the answer from workerData and sends it back once, with the buffers
 * `transfer` lists moved rather than copied; an error is sent back to be rethrown by the caller.
 */
export async function answerJob<D, R>(
  compute: (data: D) => Promise<{ result: R; transfer?: readonly ArrayBuffer[] }>,
): Promise<void> {
  const port = parentPort;
  if (!port) throw new NbgError(ErrorCode.INTERNAL, 'worker-thread: answerJob runs in a worker thread only');
  try {
    const { result, transfer } = await compute(workerData as D);
    port.postMessage({ ok: true, result } satisfies Answer, [...(transfer ?? [])]);
  } catch (e) {
    const error: Answer =
      e instanceof InputError
        ? { ok: false, message: e.message, issues: e.issues }
        : e instanceof NbgError
          ? { ok: false, message: e.message, code: e.code, ...(e.hint === undefined ? {} : { hint: e.hint }) }
          : { ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage(error);
  }
}
