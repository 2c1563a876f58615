/**
 * DR-learner (Kennedy 2020, "Towards optimal doubly robust estimation of heterogeneous causal
 * effects", arXiv:2004.14497), with the doubly robust score of Dudík, Langford & Li 2011 per
 * channel. Clients are split into K folds; on each fold's complement the outcome networks f0 and f1
 * (outcome-networks.ts, inverse-propensity weighted) are fitted, and on the fold itself each row i
 * gets one pseudo-outcome per channel c:
 *
 *   ψ_ic = f1(x_i, c) − f0(x_i) + 1[a_i = c] (y_i − f1(x_i, c)) / μ_c − 1[a_i = none] (y_i − f0(x_i)) / μ_0
 *
 * (μ floored at `minPropensity`; the row's logged propensity where present, else the exposure
 * matrix; μ_0 = 1 without one). E[ψ_c | x] is the uplift of c whenever either the outcome networks
 * or the propensities are right. The second stage regresses ψ on the features with squared loss, a
 * contactable channel drawn per row and epoch, in the form
 *
 *   τ(x, p, c) = τ̄(x, p, c) + δ(x, p, c),   τ̄ = mean_k (f1^(−k) − f0^(−k)),   δ fitted on ψ − τ̄
 *
 * i.e. the outcome networks' uplift plus a learnt doubly robust correction (a regression class that
 * contains the plug-in estimate; δ starts near 0 and early stopping keeps it there when the
 * corrections are noise). `members` such δ on Poisson(1) bootstrap weights give the mean and
 * upliftSd. pNoContact is the mean of the K f0's.
 */
import type { UpliftExamples } from '../../features/examples.js';
import { createRng } from '../../rng.js';
import { stopwatch } from '../../stopwatch.js';
import { tableSignature } from '../check-examples.js';
import type { ActionScores } from '../model.js';
import type { ModelFiles } from '../model-files.js';
import { fitControlNetwork, fitEffectNetwork, fitTreatedNetwork } from '../network/outcome-networks.js';
import { type FeatureScaling, type SmallNetwork, scoreNetwork } from '../network/small-network.js';
import { actionPropensity } from './ips-weights.js';
import { loadUpliftFiles, networkOf, type UpliftFiles, upliftFilesFrom } from './uplift-files.js';
import { type FittedBase, fitBootstrapMembers, UpliftLearner } from './uplift-learner.js';
import type { UpliftOptionsInput } from './uplift-options.js';
import { ensembleScores, weightMetrics } from './uplift-scores.js';

export const DR_LEARNER_KIND = 'uplift-dr-learner';
const WHERE = 'models/dr-learner';

interface Fitted extends FittedBase {
  /** The K folds' control and treated networks. */
  readonly control: readonly SmallNetwork[];
  readonly treated: readonly SmallNetwork[];
  /** The correction networks δ (one per member). */
  readonly effect: readonly SmallNetwork[];
}

/** Fold of each row: clients are assigned to folds by a seeded draw. */
export function clientFolds(rows: UpliftExamples, folds: number, seed: number): Uint8Array {
  const rng = createRng(seed).fork('folds');
  const ofClient = new Uint8Array(rows.clientIds.length);
  for (let k = 0; k < ofClient.length; k++) ofClient[k] = rng.int(folds);
  const fold = new Uint8Array(rows.n);
  for (let i = 0; i < rows.n; i++) fold[i] = ofClient[rows.client[i]!]!;
  return fold;
}

export class DrLearner extends UpliftLearner<Fitted> {
  readonly kind = DR_LEARNER_KIND;

  constructor(options: UpliftOptionsInput = {}) {
    super(options, WHERE);
  }

  async fit(train: UpliftExamples): Promise<void> {
    const sw = stopwatch();
    const o = this.options;
    const { n } = train;
    const C = train.channelIds.length;
    const { mu, weights, scaling } = await this.startFit(train);
    const fold = clientFolds(train, o.folds, o.seed);
    const f0 = new Float32Array(n);
    const f1 = new Float32Array(n * C);
    const control: SmallNetwork[] = [];
    const treated: SmallNetwork[] = [];
    for (let k = 0; k < o.folds; k++) {
      const include = new Uint8Array(n);
      for (let i = 0; i < n; i++) include[i] = fold[i] === k ? 0 : 1;
      const input = { rows: train, scaling, weights, include };
      const seed = o.seed + 7919 * (k + 1);
      const c0 = await fitControlNetwork(input, o.control, seed);
      const c1 = await fitTreatedNetwork(input, o.treated, seed + 1);
      control.push(c0.network);
      treated.push(c1.network);
      // score the held-out fold only
      const held = rowsWhere(fold, k);
      const sub = subsetRows(train, held);
      const s0 = new Float32Array(held.length);
      const s1 = new Float32Array(held.length * C);
      scoreNetwork(c0.network, scaling, sub.x, sub.xc, sub.product, held.length, s0);
      scoreNetwork(c1.network, scaling, sub.x, sub.xc, sub.product, held.length, s1);
      for (let e = 0; e < held.length; e++) {
        const i = held[e]!;
        f0[i] = s0[e]!;
        f1.set(s1.subarray(e * C, (e + 1) * C), i * C);
      }
    }
    const psi = pseudoOutcomes(train, mu, f0, f1, o.minPropensity);
    // regress the correction ψ − τ̄ (τ̄ the mean of the K folds' plug-in uplifts)
    const plugIn = meanPlugIn(control, treated, scaling, train);
    const correction = new Float32Array(n * C);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < C; c++) correction[i * C + c] = psi.values[i * C + c]! - plugIn.uplift[i * C + c]!;
    const plain = new Float32Array(n);
    for (let i = 0; i < n; i++) plain[i] = train.weight[i]!;
    const { networks: effect, validationLoss: effectLoss } = await fitBootstrapMembers(
      o.members,
      o.seed,
      (seed, bootstrapSeed) =>
        fitEffectNetwork(
          { rows: train, scaling, weights: plain, bootstrapSeed },
          () => true,
          correction,
          undefined,
          o.effect,
          seed,
        ),
    );
    this.fitted = { signature: tableSignature(train), scaling, control, treated, effect };
    this.metrics = {
      ...weightMetrics(train, weights),
      pseudoOutcomeMeanAbs: psi.meanAbs,
      pseudoOutcomeMaxAbs: psi.maxAbs,
      effectValidationLoss: effectLoss,
      seconds: sw.seconds(),
    };
  }

  protected async predictRaw(rows: UpliftExamples): Promise<ActionScores> {
    const f = this.startPredict(rows);
    const { n } = rows;
    const C = rows.channelIds.length;
    const plugIn = meanPlugIn(f.control, f.treated, f.scaling, rows);
    const members = f.effect.map((net) => {
      const out = new Float32Array(n * C);
      scoreNetwork(net, f.scaling, rows.x, rows.xc, rows.product, n, out);
      for (let k = 0; k < n * C; k++) out[k]! += plugIn.uplift[k]!;
      return out;
    });
    const pNoContact = plugIn.pNoContact;
    return ensembleScores(pNoContact, members, n, C, 'effect');
  }

  async save(dir: string): Promise<void> {
    const f = this.ready();
    const networks: Record<string, SmallNetwork> = {};
    f.control.forEach((net, k) => {
      networks[`control${k}`] = net;
      networks[`treated${k}`] = f.treated[k]!;
    });
    f.effect.forEach((net, m) => {
      networks[`effect${m}`] = net;
    });
    await this.saveFitted(dir, networks, { folds: f.control.length, members: f.effect.length });
  }

  static async load(dir: string): Promise<DrLearner> {
    return DrLearner.fromUpliftFiles(await loadUpliftFiles(dir, DR_LEARNER_KIND), dir);
  }

  /** For loadModel's registry: a model from files already read. */
  static fromFiles(files: ModelFiles): DrLearner {
    return DrLearner.fromUpliftFiles(upliftFilesFrom(files, DR_LEARNER_KIND), '(model files)');
  }

  private static fromUpliftFiles(files: UpliftFiles, dir: string): DrLearner {
    const model = new DrLearner(files.description.options as UpliftOptionsInput);
    const control: SmallNetwork[] = [];
    const treated: SmallNetwork[] = [];
    const effect: SmallNetwork[] = [];
    for (let k = 0; k < Number(files.extra.folds); k++) {
      control.push(networkOf(files.networks, `control${k}`, dir));
      treated.push(networkOf(files.networks, `treated${k}`, dir));
    }
    for (let m = 0; m < Number(files.extra.members); m++)
      effect.push(networkOf(files.networks, `effect${m}`, dir));
    return model.restore(files, {
      signature: files.signature,
      scaling: files.scaling,
      control,
      treated,
      effect,
    });
  }
}

/** pNoContact = mean_k f0^(k) (n) and the plug-in uplift mean_k (f1^(k) − f0^(k)) (n × C). */
function meanPlugIn(
  control: readonly SmallNetwork[],
  treated: readonly SmallNetwork[],
  scaling: FeatureScaling,
  rows: UpliftExamples,
): { pNoContact: Float32Array; uplift: Float32Array } {
  const { n } = rows;
  const C = rows.channelIds.length;
  const K = control.length;
  const pNoContact = new Float32Array(n);
  const uplift = new Float32Array(n * C);
  const s0 = new Float32Array(n);
  const s1 = new Float32Array(n * C);
  for (let k = 0; k < K; k++) {
    scoreNetwork(control[k]!, scaling, rows.x, rows.xc, rows.product, n, s0);
    scoreNetwork(treated[k]!, scaling, rows.x, rows.xc, rows.product, n, s1);
    for (let i = 0; i < n; i++) {
      pNoContact[i]! += s0[i]! / K;
      for (let c = 0; c < C; c++) uplift[i * C + c]! += (s1[i * C + c]! - s0[i]!) / K;
    }
  }
  return { pNoContact, uplift };
}

/** The doubly robust pseudo-outcomes ψ (n × C, see the module comment) and their size. */
export function pseudoOutcomes(
  rows: UpliftExamples,
  mu: Float32Array | undefined,
  f0: Float32Array,
  f1: Float32Array,
  minPropensity: number,
): { values: Float32Array; meanAbs: number; maxAbs: number } {
  const { n } = rows;
  const C = rows.channelIds.length;
  const values = new Float32Array(n * C);
  let sumAbs = 0;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const a = rows.treatment[i]!;
    const y = rows.outcome[i]!;
    const noneTerm = a < 0 ? (y - f0[i]!) / Math.max(actionPropensity(rows, mu, i, -1), minPropensity) : 0;
    for (let c = 0; c < C; c++) {
      const k = i * C + c;
      let v = f1[k]! - f0[i]! - noneTerm;
      if (a === c) v += (y - f1[k]!) / Math.max(actionPropensity(rows, mu, i, c), minPropensity);
      values[k] = v;
      const abs = Math.abs(v);
      sumAbs += abs;
      if (abs > maxAbs) maxAbs = abs;
    }
  }
  return { values, meanAbs: sumAbs / (n * C), maxAbs };
}

function rowsWhere(fold: Uint8Array, k: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < fold.length; i++) if (fold[i] === k) out.push(i);
  return Int32Array.from(out);
}

/** The features of some rows, packed (for scoring a fold). */
export function subsetRows(
  rows: UpliftExamples,
  idx: Int32Array,
): { x: Float32Array; xc: Float32Array; product: Int32Array } {
  const F = rows.schema.pair.length;
  const CK = rows.channelIds.length * rows.schema.channel.length;
  const x = new Float32Array(idx.length * F);
  const xc = new Float32Array(idx.length * CK);
  const product = new Int32Array(idx.length);
  for (let e = 0; e < idx.length; e++) {
    const i = idx[e]!;
    x.set(rows.x.subarray(i * F, (i + 1) * F), e * F);
    xc.set(rows.xc.subarray(i * CK, (i + 1) * CK), e * CK);
    product[e] = rows.product[i]!;
  }
  return { x, xc, product };
}
