/**
 * How every model of src/models/ is written to and read from a folder:
 *
 *   DIR/model.json      { format, kind, featureSchemaVersion, options, metrics, state, arrays }
 *   DIR/<name>.f32|.f64|.i32   one binary file per weight array, little-endian, no header
 *
 * `state` holds the model's small JSON-able data (ids, schema, choices); `arrays` lists the binary
 * files with their type and length so a truncated file is caught on load. A save is atomic: the
 * files go into a temporary sibling folder which then replaces DIR by rename, so a reader never
 * sees half a model (an interrupted save leaves the old model or nothing).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { ErrorCode, NbgError } from '../errors.js';
import type { ModelDescription } from './model.js';

/** Bumped when the layout of a model folder changes. */
export const MODEL_FILES_FORMAT = 1;

export type WeightArray = Float32Array | Float64Array | Int32Array;

const DTYPES = { f32: Float32Array, f64: Float64Array, i32: Int32Array } as const;
type Dtype = keyof typeof DTYPES;

function dtypeOf(a: WeightArray): Dtype {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  return 'i32';
}

/** What a model hands to `saveModelFiles` and gets back from `readModelFiles`. */
export interface ModelFiles {
  readonly description: ModelDescription;
  /** Small JSON-able state (ids, feature schema, fitted choices). */
  readonly state: Readonly<Record<string, unknown>>;
  readonly arrays: Readonly<Record<string, WeightArray>>;
}

const manifestSchema = z.object({
  format: z.literal(MODEL_FILES_FORMAT),
  kind: z.string().min(1),
  featureSchemaVersion: z.string(),
  options: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.number().nullable()),
  state: z.record(z.string(), z.unknown()),
  arrays: z.record(
    z.string().regex(/^[A-Za-z0-9_-]+$/),
    z.object({ dtype: z.enum(['f32', 'f64', 'i32']), length: z.number().int().nonnegative() }),
  ),
});

const NAME = /^[A-Za-z0-9_-]+$/;

/** Writes a model folder atomically (temporary sibling folder, then rename over DIR). */
export async function saveModelFiles(dir: string, files: ModelFiles): Promise<void> {
  const arrays: Record<string, { dtype: Dtype; length: number }> = {};
  for (const [name, a] of Object.entries(files.arrays)) {
    if (!NAME.test(name))
      throw new NbgError(ErrorCode.INTERNAL, `models/model-files: array name "${name}" must match ${NAME}`);
    arrays[name] = { dtype: dtypeOf(a), length: a.length };
  }
  // NaN metrics (a figure not measured) become null: JSON has no NaN
  const metrics: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(files.description.metrics)) metrics[k] = Number.isFinite(v) ? v : null;
  const manifest = {
    format: MODEL_FILES_FORMAT,
    kind: files.description.kind,
    featureSchemaVersion: files.description.featureSchemaVersion,
    options: files.description.options,
    metrics,
    state: files.state,
    arrays,
  };
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  try {
    for (const [name, a] of Object.entries(files.arrays)) {
      const buf = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      await writeFile(join(tmp, `${name}.${dtypeOf(a)}`), buf);
    }
    await writeFile(join(tmp, 'model.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const old = `${tmp}-old`;
    const exists = await stat(dir).then(
      () => true,
      () => false,
    );
    if (exists) await rename(dir, old);
    await rename(tmp, dir);
    if (exists) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Reads a model folder written by `saveModelFiles`; checks the manifest and every array's length. */
export async function readModelFiles(dir: string): Promise<ModelFiles> {
  const path = join(dir, 'model.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new NbgError(ErrorCode.NOT_FOUND, `models: no model at ${path} (${(e as Error).message})`, {
      hint: 'train one with `nbg train`, or check the folder',
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NbgError(ErrorCode.BAD_INPUT, `models: ${path} is not JSON (${(e as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `models: ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'} (format ${MODEL_FILES_FORMAT} expected)`,
    );
  }
  const m = parsed.data;
  const arrays: Record<string, WeightArray> = {};
  for (const [name, { dtype, length }] of Object.entries(m.arrays)) {
    const file = join(dir, `${name}.${dtype}`);
    const buf = await readFile(file).catch((e: Error) => {
      throw new NbgError(ErrorCode.BAD_INPUT, `models: ${file} is missing (${e.message})`);
    });
    const Ctor = DTYPES[dtype];
    if (buf.byteLength !== length * Ctor.BYTES_PER_ELEMENT)
      throw new NbgError(
        ErrorCode.BAD_INPUT,
        `models: ${file} has ${buf.byteLength} bytes, expected ${length * Ctor.BYTES_PER_ELEMENT} (${length} × ${dtype})`,
      );
    // copy into an aligned buffer of its own
    const a = new Ctor(length);
    new Uint8Array(a.buffer).set(buf);
    arrays[name] = a;
  }
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(m.metrics)) metrics[k] = v ?? Number.NaN;
  return {
    description: { kind: m.kind, featureSchemaVersion: m.featureSchemaVersion, options: m.options, metrics },
    state: m.state,
    arrays,
  };
}

/** The array `name` of a loaded model, checked for its type (a corrupt or foreign folder fails here). */
export function weightArray<T extends WeightArray>(
  files: ModelFiles,
  name: string,
  ctor: { new (n: number): T; readonly name: string },
): T {
  const a = files.arrays[name];
  if (!(a instanceof ctor))
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `models: ${files.description.kind} model has no ${ctor.name} array "${name}"${a ? ` (found ${a.constructor.name})` : ''}`,
    );
  return a;
}
