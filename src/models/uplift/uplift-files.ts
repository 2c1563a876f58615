/**
 * How an uplift learner is written to a folder (through model-files.ts): model.json's `state` keeps
 * the training table's signature, the network shapes by name and any small JSON extras; the
 * binary arrays are the feature scaling (`scale_*`) and each network's weights (`<name>_w1`, …).
 */
import { ErrorCode, NbgError } from '../../errors.js';
import type { TableSignature } from '../check-examples.js';
import type { ModelDescription } from '../model.js';
import { type ModelFiles, readModelFiles, saveModelFiles } from '../model-files.js';
import {
  type FeatureScaling,
  type NetworkShape,
  networkArrays,
  networkFromArrays,
  networkShape,
  type SmallNetwork,
} from '../network/small-network.js';

export interface UpliftFiles {
  readonly description: ModelDescription;
  readonly signature: TableSignature;
  readonly scaling: FeatureScaling;
  readonly networks: Readonly<Record<string, SmallNetwork>>;
  /** Learner-specific JSON-able state. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Learner-specific Float32Array arrays. */
  readonly arrays: Readonly<Record<string, Float32Array>>;
}

export async function saveUpliftFiles(dir: string, files: UpliftFiles): Promise<void> {
  const arrays: Record<string, Float32Array> = {
    scale_xMean: files.scaling.xMean,
    scale_xSd: files.scaling.xSd,
    scale_cMean: files.scaling.cMean,
    scale_cSd: files.scaling.cSd,
    ...files.arrays,
  };
  const shapes: Record<string, NetworkShape> = {};
  for (const [name, net] of Object.entries(files.networks)) {
    shapes[name] = networkShape(net);
    Object.assign(arrays, networkArrays(name, net));
  }
  await saveModelFiles(dir, {
    description: files.description,
    state: {
      signature: files.signature,
      networks: shapes,
      extra: files.extra,
      arrayNames: Object.keys(files.arrays),
    },
    arrays,
  });
}

/** Reads a folder written by saveUpliftFiles; refuses another kind with a message naming both. */
export async function loadUpliftFiles(dir: string, kind: string): Promise<UpliftFiles> {
  return upliftFilesFrom(await readModelFiles(dir), kind, dir);
}

/** The uplift parts of model files already read (loadModel's registry hands them over). */
export function upliftFilesFrom(files: ModelFiles, kind: string, dir = '(model files)'): UpliftFiles {
  const where = `models/${kind}: ${dir}`;
  if (files.description.kind !== kind)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${where} holds a '${files.description.kind}' model, not '${kind}'`,
    );
  const f32: Record<string, Float32Array> = {};
  for (const [k, a] of Object.entries(files.arrays)) if (a instanceof Float32Array) f32[k] = a;
  const get = (name: string): Float32Array => {
    const a = f32[name];
    if (!a) throw new NbgError(ErrorCode.BAD_INPUT, `${where}: array ${name} is missing`);
    return a;
  };
  const state = files.state as {
    signature?: TableSignature;
    networks?: Record<string, NetworkShape>;
    extra?: Record<string, unknown>;
    arrayNames?: string[];
  };
  if (!state.signature || !state.networks)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${where}: model.json state lacks the table signature or the networks`,
    );
  const networks: Record<string, SmallNetwork> = {};
  for (const [name, shape] of Object.entries(state.networks))
    networks[name] = networkFromArrays(shape, f32, name, where);
  const arrays: Record<string, Float32Array> = {};
  for (const name of state.arrayNames ?? []) arrays[name] = get(name);
  const scaling: FeatureScaling = {
    xMean: get('scale_xMean'),
    xSd: get('scale_xSd'),
    cMean: get('scale_cMean'),
    cSd: get('scale_cSd'),
  };
  if (
    scaling.xMean.length !== state.signature.pair.length ||
    scaling.cMean.length !== state.signature.channel.length
  )
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${where}: the feature scaling does not match the feature schema`,
    );
  return {
    description: files.description,
    signature: state.signature,
    scaling,
    networks,
    extra: state.extra ?? {},
    arrays,
  };
}

/** The error of a learner used before fit or load. */
export function notFitted(where: string): NbgError {
  return new NbgError(
    ErrorCode.BAD_CONFIG,
    `${where}: the model is not fitted; call fit(train) or load(dir) first`,
  );
}

/** A named network of a loaded model, or a clear error. */
export function networkOf(
  networks: Readonly<Record<string, SmallNetwork>>,
  name: string,
  dir: string,
): SmallNetwork {
  const net = networks[name];
  if (!net) throw new NbgError(ErrorCode.BAD_INPUT, `models: ${dir} has no network '${name}'`);
  return net;
}
