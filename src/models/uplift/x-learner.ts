/**
 * X-learner (Künzel, Sekhon, Bickel & Yu 2019, PNAS 116(10)), one effect per channel:
 *
 * 1. outcome networks f0(x, p) and f1(x, p, c) as the T-learner's (inverse-propensity weighted);
 * 2. imputed effects: a contacted row (a = c) gets D1 = y − f0(x); a 'none' row gets, for every
 *    channel, D0_c = f1(x, c) − y;
 * 3. effect networks: τ1(x, p, c) regressed on D1 over the contacted rows (weighted as f1), τ0(x, p, c)
 *    on D0 over the 'none' rows (a contactable channel drawn per row and epoch);
 * 4. τ_c = g_c τ0 + (1 − g_c) τ1, with the propensity as the mixing weight (Künzel's choice
 *    g = e(x)): g_c = μ_c / (μ_c + μ_0), averaged per (product, channel) over the training rows so
 *    the fitted model scores without an exposure model. The old policy contacts few pairs, so g is
 *    small and τ1 (imputed with the well-estimated f0) dominates, as the paper recommends.
 *
 * τ1 is fitted `members` times on Poisson(1) bootstrap weights: the mean and upliftSd.
 */
import type { UpliftExamples } from '../../features/examples.js';
import { stopwatch } from '../../stopwatch.js';
import { tableSignature } from '../check-examples.js';
import type { ActionScores } from '../model.js';
import type { ModelFiles } from '../model-files.js';
import { fitControlNetwork, fitEffectNetwork, fitTreatedNetwork } from '../network/outcome-networks.js';
import { type SmallNetwork, scoreNetwork } from '../network/small-network.js';
import { actionPropensity } from './ips-weights.js';
import { loadUpliftFiles, networkOf, type UpliftFiles, upliftFilesFrom } from './uplift-files.js';
import { type FittedBase, fitBootstrapMembers, UpliftLearner } from './uplift-learner.js';
import type { UpliftOptionsInput } from './uplift-options.js';
import { ensembleScores, weightMetrics } from './uplift-scores.js';

export const X_LEARNER_KIND = 'uplift-x-learner';
const WHERE = 'models/x-learner';

interface Fitted extends FittedBase {
  readonly control: SmallNetwork;
  readonly effect0: SmallNetwork;
  readonly effect1: readonly SmallNetwork[];
  /** P × C mixing weights g. */
  readonly mixing: Float32Array;
}

export class XLearner extends UpliftLearner<Fitted> {
  readonly kind = X_LEARNER_KIND;

  constructor(options: UpliftOptionsInput = {}) {
    super(options, WHERE);
  }

  async fit(train: UpliftExamples): Promise<void> {
    const sw = stopwatch();
    const o = this.options;
    const { n } = train;
    const C = train.channelIds.length;
    const { mu, weights, scaling } = await this.startFit(train);
    const input = { rows: train, scaling, weights };
    const c0 = await fitControlNetwork(input, o.control, o.seed);
    const c1 = await fitTreatedNetwork(input, o.treated, o.seed + 1);
    const f0 = new Float32Array(n);
    const f1 = new Float32Array(n * C);
    scoreNetwork(c0.network, scaling, train.x, train.xc, train.product, n, f0);
    scoreNetwork(c1.network, scaling, train.x, train.xc, train.product, n, f1);
    // imputed effects
    const d1 = new Float32Array(n);
    const d0 = new Float32Array(n * C);
    const channel = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      const a = train.treatment[i]!;
      const y = train.outcome[i]!;
      channel[i] = a;
      if (a >= 0) d1[i] = y - f0[i]!;
      else for (let c = 0; c < C; c++) d0[i * C + c] = f1[i * C + c]! - y;
    }
    const effect0 = await fitEffectNetwork(
      input,
      (i) => train.treatment[i]! < 0,
      d0,
      undefined,
      o.effect,
      o.seed + 2,
    );
    const { networks: effect1, validationLoss: loss1 } = await fitBootstrapMembers(
      o.members,
      o.seed,
      (seed, bootstrapSeed) =>
        fitEffectNetwork(
          { ...input, bootstrapSeed },
          (i) => train.treatment[i]! >= 0,
          d1,
          channel,
          o.treated,
          seed,
        ),
    );
    const mixing = mixingWeights(train, mu);
    this.fitted = {
      signature: tableSignature(train),
      scaling,
      control: c0.network,
      effect0: effect0.network,
      effect1,
      mixing,
    };
    let g = 0;
    for (const v of mixing) g += v / mixing.length;
    this.metrics = {
      ...weightMetrics(train, weights),
      meanMixingWeight: g,
      effect0ValidationLoss: effect0.validationLoss,
      effect1ValidationLoss: loss1,
      seconds: sw.seconds(),
    };
  }

  protected async predictRaw(rows: UpliftExamples): Promise<ActionScores> {
    const f = this.startPredict(rows);
    const { n } = rows;
    const C = rows.channelIds.length;
    const pNoContact = new Float32Array(n);
    scoreNetwork(f.control, f.scaling, rows.x, rows.xc, rows.product, n, pNoContact);
    const tau0 = new Float32Array(n * C);
    scoreNetwork(f.effect0, f.scaling, rows.x, rows.xc, rows.product, n, tau0);
    const members = f.effect1.map((net) => {
      const out = new Float32Array(n * C);
      scoreNetwork(net, f.scaling, rows.x, rows.xc, rows.product, n, out);
      for (let i = 0; i < n; i++) {
        const p = rows.product[i]!;
        for (let c = 0; c < C; c++) {
          const g = f.mixing[p * C + c]!;
          out[i * C + c] = g * tau0[i * C + c]! + (1 - g) * out[i * C + c]!;
        }
      }
      return out;
    });
    return ensembleScores(pNoContact, members, n, C, 'effect');
  }

  async save(dir: string): Promise<void> {
    const f = this.ready();
    const networks: Record<string, SmallNetwork> = { control: f.control, effect0: f.effect0 };
    f.effect1.forEach((net, m) => {
      networks[`effect1_${m}`] = net;
    });
    await this.saveFitted(dir, networks, { members: f.effect1.length }, { mixing: f.mixing });
  }

  static async load(dir: string): Promise<XLearner> {
    return XLearner.fromUpliftFiles(await loadUpliftFiles(dir, X_LEARNER_KIND), dir);
  }

  /** For loadModel's registry: a model from files already read. */
  static fromFiles(files: ModelFiles): XLearner {
    return XLearner.fromUpliftFiles(upliftFilesFrom(files, X_LEARNER_KIND), '(model files)');
  }

  private static fromUpliftFiles(files: UpliftFiles, dir: string): XLearner {
    const model = new XLearner(files.description.options as UpliftOptionsInput);
    const effect1: SmallNetwork[] = [];
    for (let m = 0; m < Number(files.extra.members); m++)
      effect1.push(networkOf(files.networks, `effect1_${m}`, dir));
    return model.restore(files, {
      signature: files.signature,
      scaling: files.scaling,
      control: networkOf(files.networks, 'control', dir),
      effect0: networkOf(files.networks, 'effect0', dir),
      effect1,
      mixing: files.arrays.mixing!,
    });
  }
}

/**
 * g_pc = mean over the training rows of product p (weighted by sampling weight) of
 * μ_c / (μ_c + μ_0). Without an exposure matrix, the weighted share of c among the rows of p that
 * were contacted through c or left alone.
 */
export function mixingWeights(rows: UpliftExamples, mu: Float32Array | undefined): Float32Array {
  const P = rows.productIds.length;
  const C = rows.channelIds.length;
  const num = new Float64Array(P * C);
  const den = new Float64Array(P * C);
  for (let i = 0; i < rows.n; i++) {
    const p = rows.product[i]!;
    const s = rows.weight[i]!;
    const a = rows.treatment[i]!;
    for (let c = 0; c < C; c++) {
      const k = p * C + c;
      if (mu) {
        const mc = actionPropensity(rows, mu, i, c);
        const m0 = actionPropensity(rows, mu, i, -1);
        if (mc + m0 > 0) {
          num[k]! += s * (mc / (mc + m0));
          den[k]! += s;
        }
      } else if (a === c || a < 0) {
        if (a === c) num[k]! += s;
        den[k]! += s;
      }
    }
  }
  const g = new Float32Array(P * C);
  for (let k = 0; k < P * C; k++) g[k] = den[k]! > 0 ? num[k]! / den[k]! : 0;
  return g;
}
