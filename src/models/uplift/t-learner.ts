/**
 * T-learner (Künzel, Sekhon, Bickel & Yu 2019, PNAS 116(10)): two separate outcome models,
 *
 *   f0(x, p)    ≈ P(convert | no contact)        on the rows the old policy left alone,
 *   f1(x, p, c) ≈ P(convert | contact through c) on the contacted rows,
 *   uplift_c(x, p) = f1(x, p, c) − f0(x, p),
 *
 * both fitted with inverse-propensity weights (ips-weights.ts) so each describes the whole
 * population rather than the old targeting's favourites; `weighting: 'none'` gives the naive fit.
 * f1 is fitted `members` times on Poisson(1) bootstrap weights (seeded): pContact is the members'
 * mean and upliftSd their standard deviation of f1 − f0 (f0 is shared). f0 is the mean of
 * `controlMembers` control networks on their own seeds: its fit-to-fit noise would go whole into
 * every uplift.
 * Beside the free f1 members, `offsetMembers` offset members learn the log-odds ratio of a contact
 * over f0:  f1'(x, p, c) = σ(logit f0(x, p) + g(x, p, c)),  g fitted on the contacted rows with
 * f0's logit as a fixed offset (bootstrap weights too). A free f1 must relearn the baseline from the
 * few contacted rows; g borrows it from f0's many rows, but assumes a contact scales the odds. The
 * two err differently: pContact averages all members, which ranks the uplift better than either
 * kind alone (docs/models.md).
 */
import type { UpliftExamples } from '../../features/examples.js';
import { stopwatch } from '../../stopwatch.js';
import { tableSignature } from '../check-examples.js';
import type { ActionScores } from '../model.js';
import type { ModelFiles } from '../model-files.js';
import { fitControlNetwork, fitTreatedNetwork } from '../network/outcome-networks.js';
import { scoreJob, scoreNetworks } from '../network/score-networks.js';
import { type FeatureScaling, logit, type SmallNetwork } from '../network/small-network.js';
import type { TrainedNetwork } from '../network/train-network.js';
import { loadUpliftFiles, networkOf, type UpliftFiles, upliftFilesFrom } from './uplift-files.js';
import { type FittedBase, fitBootstrapMembers, UpliftLearner } from './uplift-learner.js';
import type { UpliftOptionsInput } from './uplift-options.js';
import { ensembleScores, weightMetrics } from './uplift-scores.js';

export const T_LEARNER_KIND = 'uplift-t-learner';
const WHERE = 'models/t-learner';

interface Fitted extends FittedBase {
  /** The control networks f0, averaged (controlMembers). */
  readonly control: readonly SmallNetwork[];
  readonly treated: readonly SmallNetwork[];
  /** Offset networks g: pContact = σ(logit f0 + g). */
  readonly offset: readonly SmallNetwork[];
}

export class TLearner extends UpliftLearner<Fitted> {
  readonly kind = T_LEARNER_KIND;

  constructor(options: UpliftOptionsInput = {}) {
    super(options, WHERE);
  }

  async fit(train: UpliftExamples): Promise<void> {
    const sw = stopwatch();
    const o = this.options;
    const { weights, scaling } = await this.startFit(train);
    const input = { rows: train, scaling, weights };
    // Member 0 keeps the seed a single control network had; the others take their own.
    const control: TrainedNetwork[] = [];
    for (let k = 0; k < o.controlMembers; k++)
      control.push(await fitControlNetwork(input, o.control, k === 0 ? o.seed : o.seed + 7919 * k));
    const { networks: treated, validationLoss: treatedLoss } = await fitBootstrapMembers(
      o.members,
      o.seed,
      (seed, bootstrapSeed) => fitTreatedNetwork({ ...input, bootstrapSeed }, o.treated, seed),
    );
    const offset: SmallNetwork[] = [];
    let offsetLoss = 0;
    if (o.offsetMembers > 0) {
      const nets = control.map((c) => c.network);
      const treatedOffset = meanControl(nets, scaling, train).map((p) => logit(p));
      for (let m = 0; m < o.offsetMembers; m++) {
        const seed = o.seed + 1000 * (m + 1) + 500;
        const t = await fitTreatedNetwork({ ...input, bootstrapSeed: seed, treatedOffset }, o.treated, seed);
        offset.push(t.network);
        offsetLoss += t.validationLoss / o.offsetMembers;
      }
    }
    this.fitted = {
      signature: tableSignature(train),
      scaling,
      control: control.map((c) => c.network),
      treated,
      offset,
    };
    this.metrics = {
      ...weightMetrics(train, weights),
      controlEpochs: control.reduce((s, c) => s + c.epochs, 0) / control.length,
      controlValidationLoss: control.reduce((s, c) => s + c.validationLoss, 0) / control.length,
      treatedValidationLoss: treatedLoss,
      ...(offset.length > 0 ? { offsetValidationLoss: offsetLoss } : {}),
      seconds: sw.seconds(),
    };
  }

  protected async predictRaw(rows: UpliftExamples): Promise<ActionScores> {
    const f = this.startPredict(rows);
    const { n } = rows;
    const C = rows.channelIds.length;
    // every network in one call, the rows split across threads (the same floats as one by one)
    const linearOffset = f.offset.map((net): SmallNetwork => ({ ...net, output: 'linear' }));
    const outs = await scoreNetworks([...f.control, ...f.treated, ...linearOffset], f.scaling, rows);
    const pNoContact = meanOf(outs.slice(0, f.control.length), n);
    const members = outs.slice(f.control.length, f.control.length + f.treated.length);
    // the offset members' reference, as in fit: the log-odds of the mean control probability
    const l0 = f.offset.length > 0 ? Float64Array.from(pNoContact, (p) => logit(p)) : undefined;
    for (const out of outs.slice(f.control.length + f.treated.length)) {
      for (let i = 0; i < n; i++)
        for (let c = 0; c < C; c++) out[i * C + c] = 1 / (1 + Math.exp(-(l0![i]! + out[i * C + c]!)));
      members.push(out);
    }
    return ensembleScores(pNoContact, members, n, C, 'probability');
  }

  async save(dir: string): Promise<void> {
    const f = this.ready();
    // 'control' for the first (as a single control network was saved), control1… for the others.
    const networks: Record<string, SmallNetwork> = {};
    f.control.forEach((net, k) => {
      networks[k === 0 ? 'control' : `control${k}`] = net;
    });
    f.treated.forEach((net, m) => {
      networks[`treated${m}`] = net;
    });
    f.offset.forEach((net, m) => {
      networks[`offset${m}`] = net;
    });
    await this.saveFitted(dir, networks, {
      members: f.treated.length,
      controlMembers: f.control.length,
      offsetMembers: f.offset.length,
    });
  }

  /** Reads a T-learner saved by `save` (it scores without the propensity source). */
  static async load(dir: string): Promise<TLearner> {
    return TLearner.fromUpliftFiles(await loadUpliftFiles(dir, T_LEARNER_KIND), dir);
  }

  /** For loadModel's registry: a model from files already read. */
  static fromFiles(files: ModelFiles): TLearner {
    return TLearner.fromUpliftFiles(upliftFilesFrom(files, T_LEARNER_KIND), '(model files)');
  }

  private static fromUpliftFiles(files: UpliftFiles, dir: string): TLearner {
    const model = new TLearner(files.description.options as UpliftOptionsInput);
    const members = Number(files.extra.members);
    const treated: SmallNetwork[] = [];
    for (let m = 0; m < members; m++) treated.push(networkOf(files.networks, `treated${m}`, dir));
    return model.restore(files, {
      signature: files.signature,
      scaling: files.scaling,
      control: Array.from({ length: Number(files.extra.controlMembers ?? 1) }, (_, k) =>
        networkOf(files.networks, k === 0 ? 'control' : `control${k}`, dir),
      ),
      treated,
      // models saved before offset members had none
      offset: Array.from({ length: Number(files.extra.offsetMembers ?? 0) }, (_, m) =>
        networkOf(files.networks, `offset${m}`, dir),
      ),
    });
  }

  /** The fitted parts, for the action value and the fast scorer. */
  parts(): Fitted {
    return this.ready();
  }
}

/** The mean of the control networks' probabilities on every row of `rows`. */
function meanControl(
  control: readonly SmallNetwork[],
  scaling: FeatureScaling,
  rows: UpliftExamples,
): Float32Array {
  return meanOf(scoreJob({ nets: control, scaling, rows }), rows.n);
}

/** The mean of the control networks' outputs, added in network order (as float32 cells). */
function meanOf(outs: readonly Float32Array[], n: number): Float32Array {
  const mean = new Float32Array(n);
  for (const one of outs) for (let i = 0; i < n; i++) mean[i]! += one[i]! / outs.length;
  return mean;
}
