/**
 * The examples a network is trained on, as the training loop (train-network.ts) reads them: their
 * checks, the split of validation examples by client, the channel an example uses in an epoch
 * (fixed, or drawn afresh each epoch among the row's contactable channels with a seeded hash when
 * targets are per channel), and the reusable batch buffers they are encoded into.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import { encodeInput } from './pair-inputs.js';
import type { FeatureScaling, NetworkOutput } from './small-network.js';

/** What one network learns from: m examples over the rows of `table`. */
export interface NetworkData {
  readonly output: NetworkOutput;
  /** Channel networks see the channel features and a channel one-hot; control networks do not. */
  readonly channelInputs: boolean;
  /** m table rows. */
  readonly rows: Int32Array;
  /** m channels (channel networks with one channel per example). */
  readonly channel?: Int8Array;
  /** m targets, or m × C (one per channel, the channel drawn each epoch among contactable ones). */
  readonly targets: Float32Array;
  /** m example weights (> 0). */
  readonly weights: Float32Array;
  /**
   * m logits added to every example's output (a 'logistic' network then learns the log-odds
   * ratio over a fixed reference, e.g. the control network's logit); undefined = none.
   */
  readonly offset?: Float32Array;
}

/** Uniform [0, 1) from a seed and two integers (the per-epoch channel draw). */
function mix(seed: number, a: number, b: number): number {
  let z = (seed ^ Math.imul(a + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
}

/** The channel example e uses in `epoch` when targets are per channel: a contactable one, or −1. */
function drawChannel(table: UpliftExamples, row: number, e: number, epoch: number, seed: number): number {
  const C = table.channelIds.length;
  let count = 0;
  for (let c = 0; c < C; c++) count += table.contactable[row * C + c]!;
  if (count === 0) return -1;
  let k = Math.floor(mix(seed, e, epoch) * count);
  for (let c = 0; c < C; c++) {
    if (!table.contactable[row * C + c]) continue;
    if (k-- === 0) return c;
  }
  return -1;
}

export function averageTarget(targets: Float32Array, e: number, C: number): number {
  let s = 0;
  for (let c = 0; c < C; c++) s += targets[e * C + c]!;
  return s / C;
}

/** How the loop reads example e: its channel in an epoch (−1: none) and its target for channel c. */
export interface ExampleReader {
  readonly perChannel: boolean;
  channelOf(e: number, epoch: number): number;
  targetOf(e: number, c: number): number;
}

/** Checks the shapes of `data`; returns whether targets are per channel (m × C, channel drawn). */
export function checkNetworkData(data: NetworkData, C: number, where: string): boolean {
  const m = data.rows.length;
  if (m === 0) throw new NbgError(ErrorCode.BAD_INPUT, `${where}: no examples to learn from`);
  const perChannel = data.targets.length === m * C && data.channel === undefined && data.channelInputs;
  if (!perChannel && data.targets.length !== m)
    throw new NbgError(ErrorCode.INTERNAL, `${where}: ${data.targets.length} targets for ${m} examples`);
  if (data.offset && data.offset.length !== m)
    throw new NbgError(ErrorCode.INTERNAL, `${where}: ${data.offset.length} offsets for ${m} examples`);
  if (data.channelInputs && !perChannel && data.channel?.length !== m)
    throw new NbgError(ErrorCode.INTERNAL, `${where}: a channel network needs one channel per example`);
  return perChannel;
}

/** Training and validation examples, split by client so a client's rows never sit on both sides. */
export function splitByClient(
  table: UpliftExamples,
  rows: Int32Array,
  validationShare: number,
  salt: number,
): { trainIdx: Int32Array; validIdx: Int32Array } {
  const train: number[] = [];
  const valid: number[] = [];
  for (let e = 0; e < rows.length; e++) {
    const client = table.client[rows[e]!]!;
    const held = validationShare > 0 && mix(salt, client, 7) < validationShare;
    (held ? valid : train).push(e);
  }
  if (train.length === 0) train.push(...valid.splice(0));
  return { trainIdx: Int32Array.from(train), validIdx: Int32Array.from(valid) };
}

export function exampleReader(
  table: UpliftExamples,
  data: NetworkData,
  perChannel: boolean,
  drawSalt: number,
): ExampleReader {
  const C = table.channelIds.length;
  return {
    perChannel,
    channelOf: (e, epoch) => {
      if (!data.channelInputs) return -1;
      if (!perChannel) return data.channel![e]!;
      return drawChannel(table, data.rows[e]!, e, epoch, drawSalt);
    },
    targetOf: (e, c) => (perChannel ? data.targets[e * C + c]! : data.targets[e]!),
  };
}

/** Reusable batch buffers of `size` examples: inputs (size × d), targets, weights, offsets. */
export interface BatchWriter {
  readonly size: number;
  readonly d: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly w: Float32Array;
  /** The offsets, when the network has them. */
  readonly offset: Float32Array | undefined;
  /** Fills the buffers with examples order[from, from + count) as seen in `epoch`; returns their weight. */
  fill(order: Int32Array, from: number, count: number, epoch: number): number;
}

export function batchWriter(
  table: UpliftExamples,
  scaling: FeatureScaling,
  data: NetworkData,
  examples: ExampleReader,
  d: number,
  size: number,
): BatchWriter {
  const x = new Float32Array(size * d);
  const y = new Float32Array(size);
  const w = new Float32Array(size);
  const o = new Float32Array(size);
  const fill = (order: Int32Array, from: number, count: number, epoch: number): number => {
    let total = 0;
    for (let b = 0; b < count; b++) {
      const e = order[from + b]!;
      const c = examples.channelOf(e, epoch);
      const row = data.rows[e]!;
      if (data.channelInputs && c < 0) {
        // no contactable channel this epoch: the example sits out (weight 0)
        x.fill(0, b * d, (b + 1) * d);
        y[b] = 0;
        w[b] = 0;
        continue;
      }
      encodeInput(table, scaling, row, c, x, b * d);
      y[b] = examples.targetOf(e, Math.max(c, 0));
      w[b] = data.weights[e]!;
      o[b] = data.offset ? data.offset[e]! : 0;
      total += w[b]!;
    }
    return total;
  };
  return { size, d, x, y, w, offset: data.offset ? o : undefined, fill };
}
