/**
 * The two outcome regressions every uplift learner starts from (Künzel et al. 2019, "base
 * learners"): the control network f0(x, p) ≈ P(convert | no contact) fitted on the rows the old
 * policy left alone, and the treated network f1(x, p, c) ≈ P(convert | contact through c) fitted
 * on the contacted rows, each with the rows' training weights (inverse-propensity weights for the
 * debiased learners). `include` restricts the rows (cross-fitting folds); `bootstrapSeed` multiplies
 * each weight by a seeded Poisson(1) draw (the bootstrap of an ensemble member).
 */
import type { UpliftExamples } from '../../features/examples.js';
import { createRng } from '../../rng.js';
import type { FeatureScaling } from './small-network.js';
import { type TrainedNetwork, trainNetwork } from './train-network.js';
import type { TrainOptions } from './train-options.js';

export interface OutcomeFitInput {
  readonly rows: UpliftExamples;
  readonly scaling: FeatureScaling;
  /** n training weights (0 = the row is left out). */
  readonly weights: Float32Array;
  readonly include?: Uint8Array;
  readonly bootstrapSeed?: number;
  /** n logits per table row added to the treated network's output (its reference); undefined = none. */
  readonly treatedOffset?: Float32Array;
}

/** Indices and weights of the rows that qualify, with the optional Poisson(1) bootstrap. */
export function selectRows(
  input: OutcomeFitInput,
  qualifies: (i: number) => boolean,
): { rows: Int32Array; weights: Float32Array } {
  const { rows, weights, include, bootstrapSeed } = input;
  const boot = bootstrapSeed === undefined ? undefined : createRng(bootstrapSeed);
  const idx: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < rows.n; i++) {
    if (include && !include[i]) continue;
    if (!qualifies(i)) continue;
    let v = weights[i]!;
    if (boot) v *= boot.poisson(1);
    if (!(v > 0)) continue;
    idx.push(i);
    w.push(v);
  }
  return { rows: Int32Array.from(idx), weights: Float32Array.from(w) };
}

/** f0 on the 'none' rows: a logistic control network. */
export function fitControlNetwork(
  input: OutcomeFitInput,
  options: TrainOptions,
  seed: number,
): Promise<TrainedNetwork> {
  const { rows } = input;
  const sel = selectRows(input, (i) => rows.treatment[i]! < 0);
  const targets = new Float32Array(sel.rows.length);
  for (let e = 0; e < targets.length; e++) targets[e] = rows.outcome[sel.rows[e]!]!;
  return trainNetwork(
    rows,
    input.scaling,
    { output: 'logistic', channelInputs: false, rows: sel.rows, targets, weights: sel.weights },
    options,
    seed,
  );
}

/** f1 on the contacted rows, channel = the logged one: a logistic channel network. */
export function fitTreatedNetwork(
  input: OutcomeFitInput,
  options: TrainOptions,
  seed: number,
): Promise<TrainedNetwork> {
  const { rows } = input;
  const sel = selectRows(input, (i) => rows.treatment[i]! >= 0);
  const m = sel.rows.length;
  const targets = new Float32Array(m);
  const channel = new Int8Array(m);
  const ref = input.treatedOffset;
  const offset = ref ? new Float32Array(m) : undefined;
  for (let e = 0; e < m; e++) {
    const i = sel.rows[e]!;
    targets[e] = rows.outcome[i]!;
    channel[e] = rows.treatment[i]!;
    if (offset) offset[e] = ref![i]!;
  }
  return trainNetwork(
    rows,
    input.scaling,
    {
      output: 'logistic',
      channelInputs: true,
      rows: sel.rows,
      channel,
      targets,
      weights: sel.weights,
      ...(offset ? { offset } : {}),
    },
    options,
    seed,
  );
}

/**
 * An effect regression τ(x, p, c) with squared loss and a linear output (the second stage of the
 * X- and DR-learners). `targets` holds one value per selected row (its channel `channel[i]`) or,
 * when `channel` is omitted, n × C values (one per channel; a contactable channel is drawn per
 * row and epoch). Rows are those `qualifies` keeps, with their weights (and bootstrap).
 */
export function fitEffectNetwork(
  input: OutcomeFitInput,
  qualifies: (i: number) => boolean,
  targets: Float32Array,
  channel: Int8Array | undefined,
  options: TrainOptions,
  seed: number,
): Promise<TrainedNetwork> {
  const { rows } = input;
  const C = rows.channelIds.length;
  const sel = selectRows(input, qualifies);
  const m = sel.rows.length;
  let t: Float32Array;
  let ch: Int8Array | undefined;
  if (channel) {
    t = new Float32Array(m);
    ch = new Int8Array(m);
    for (let e = 0; e < m; e++) {
      t[e] = targets[sel.rows[e]!]!;
      ch[e] = channel[sel.rows[e]!]!;
    }
  } else {
    t = new Float32Array(m * C);
    for (let e = 0; e < m; e++) t.set(targets.subarray(sel.rows[e]! * C, (sel.rows[e]! + 1) * C), e * C);
  }
  return trainNetwork(
    rows,
    input.scaling,
    {
      output: 'linear',
      channelInputs: true,
      rows: sel.rows,
      ...(ch ? { channel: ch } : {}),
      targets: t,
      weights: sel.weights,
    },
    options,
    seed,
  );
}
