import type { UpliftExamples } from '../../src/features/examples.js';
import { createRng } from '../../src/rng.js';

/**
 * A seeded world of decision rows with a KNOWN biased logging policy and KNOWN heterogeneous uplift,
 * for testing the exposure model, the baselines and the uplift learners without a simulator run.
 *
 * Rows are (client, product) pairs, one per row (no repeated clients). Pair features x (F = 6):
 *   x0 favoured (0/1: the old targeting likes them; like affluent/private/58+ in the simulator),
 *   x1 need (N(0,1)), x2 journey signal (≥ 0), x3 recent contacts (fatigue, Poisson), x4, x5 noise.
 * Channel features xc (K = 2): x_c0 = consent (1, or 0 with probability 0.1), x_c1 = noise.
 * Response types (as docs/simulator.md): favoured 12% persuadable / 30% sure thing / 30% lost cause /
 * 28% sleeping dog; others 45 / 7 / 42 / 6.
 *   base = 0.04 · exp(0.6 x1) · (1 + 0.4 x2), p0 = min(0.9, base · m0[type]), m0 = 0.4, 6, 0.15, 2;
 *   persuadable / sure thing: p1_c = 1 − (1 − p0)(1 − u_c),
 *     u_c = min(0.8, 0.35 · m1 · power_c · (0.3 + 0.7 σ(x1)) · (1 + 1.5 min(x2, 2)) · exp(−x3 / 1.5)),
 *     m1 = 1 (persuadable), 0.08 (sure thing);
 *   lost cause: p1_c = p0; sleeping dog: p1_c = p0 · (1 − 0.25 − 0.45 power_c).
 * Logging: μ_c = σ(−2.2 + 2.2 x0 + 0.5 x1) · κ_c · consent_c (κ sums to 0.8), μ_none = 1 − Σ μ_c.
 * The true values are returned beside the table so tests can score what a model learnt.
 */
export interface SyntheticTruth {
  /** n: P(convert | no contact). */
  readonly p0: Float64Array;
  /** n × C: P(convert | contact through c). */
  readonly p1: Float64Array;
  /** n × (C + 1): the logging policy's action probabilities ('none' last). */
  readonly mu: Float64Array;
  /** n: 0 persuadable, 1 sure thing, 2 lost cause, 3 sleeping dog. */
  readonly type: Uint8Array;
  /**
   * n × C: the uplift a model can hope to learn, E[p1 − p0 | features] = Σ_type mix(type | favoured)
   * × (p1 − p0 of that type) (the response type itself is hidden).
   */
  readonly expectedUplift: Float64Array;
}

export interface SyntheticOptions {
  readonly n: number;
  readonly seed: number;
  readonly kind?: 'train' | 'decide';
  /** Leave loggedPropensity NaN everywhere (like `--hide-propensities`). */
  readonly hidePropensities?: boolean;
  /**
   * 'biased' (above), 'random' (μ_c = 0.1 · consent_c / C), or 'naive': the old targeting ranks by
   * the pair's own conversion rate, as the simulator's does (π(p) ∝ p0^1.3), so it also sees the
   * HIDDEN response type: μ_c = σ(−2.2 + 2.2 x0 + 0.9 log(p0 / 0.04)) · κ_c · consent_c. Features
   * cannot tell sure things from persuadables; only the propensities can undo that selection.
   */
  readonly logging?: 'biased' | 'random' | 'naive';
}

export const SYNTHETIC_CHANNELS = ['branch', 'phone', 'email'] as const;
export const SYNTHETIC_PRODUCTS = ['P_A', 'P_B', 'P_C', 'P_D'] as const;
const POWER = [1, 0.7, 0.22];
const KAPPA = [0.15, 0.25, 0.4];
const COST = [25, 8, 0.1];
const MARGIN = [600, 250, 120, 40];
const PRODUCT_BASE = [1, 1.3, 0.8, 1.6];
const TYPE_MIX = [
  [0.45, 0.07, 0.42, 0.06],
  [0.12, 0.3, 0.3, 0.28],
];
const M0 = [0.4, 6, 0.15, 2];
const M1 = [1, 0.08];

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function syntheticExamples(options: SyntheticOptions): {
  examples: UpliftExamples;
  truth: SyntheticTruth;
} {
  const { n, seed } = options;
  const kind = options.kind ?? 'train';
  const logging = options.logging ?? 'biased';
  const rng = createRng(seed);
  const C = SYNTHETIC_CHANNELS.length;
  const F = 6;
  const K = 2;
  const x = new Float32Array(n * F);
  const xc = new Float32Array(n * C * K);
  const product = new Int32Array(n);
  const client = new Int32Array(n);
  const segment = new Uint8Array(n);
  const contactable = new Uint8Array(n * C);
  const treatment = new Int8Array(n).fill(-1);
  const outcome = new Uint8Array(n);
  const logged = new Float32Array(n).fill(Number.NaN);
  const p0 = new Float64Array(n);
  const p1 = new Float64Array(n * C);
  const mu = new Float64Array(n * (C + 1));
  const type = new Uint8Array(n);
  const expectedUplift = new Float64Array(n * C);
  for (let k = 0; k < n; k++) {
    client[k] = k;
    const fav = rng.next() < 0.3 ? 1 : 0;
    const need = rng.normal();
    const signal = rng.next() < 0.25 ? -Math.log(1 - rng.next()) : 0;
    const contacts = rng.poisson(fav ? 1.2 : 0.3);
    const p = rng.int(SYNTHETIC_PRODUCTS.length);
    product[k] = p;
    segment[k] = fav ? 1 : 0;
    const row = [fav, need, signal, contacts, rng.normal(), rng.normal()];
    for (let j = 0; j < F; j++) x[k * F + j] = row[j]!;
    const t = rng.weighted(TYPE_MIX[fav]!);
    type[k] = t;
    const base = 0.04 * PRODUCT_BASE[p]! * Math.exp(0.6 * need) * (1 + 0.4 * signal);
    const q0 = Math.min(0.9, base * M0[t]!);
    p0[k] = q0;
    let muSum = 0;
    const scale =
      logging === 'biased'
        ? sigmoid(-2.2 + 2.2 * fav + 0.5 * need)
        : logging === 'naive'
          ? sigmoid(-2.2 + 2.2 * fav + 0.9 * Math.log(q0 / 0.04))
          : 0.1;
    for (let c = 0; c < C; c++) {
      const consent = c === 0 || rng.next() >= 0.1 ? 1 : 0;
      xc[(k * C + c) * K] = consent;
      xc[(k * C + c) * K + 1] = rng.normal();
      contactable[k * C + c] = consent;
      const contactP = (type: number, q: number): number => {
        if (type <= 1) {
          const u = Math.min(
            0.8,
            0.35 *
              M1[type]! *
              POWER[c]! *
              (0.3 + 0.7 * sigmoid(need)) *
              (1 + 1.5 * Math.min(signal, 2)) *
              Math.exp(-contacts / 1.5),
          );
          return 1 - (1 - q) * (1 - u);
        }
        return type === 3 ? q * (1 - 0.25 - 0.45 * POWER[c]!) : q;
      };
      p1[k * C + c] = contactP(t, q0);
      let expected = 0;
      for (let type = 0; type < 4; type++) {
        const q = Math.min(0.9, base * M0[type]!);
        expected += TYPE_MIX[fav]![type]! * (contactP(type, q) - q);
      }
      expectedUplift[k * C + c] = expected;
      const m = consent * (logging === 'random' ? scale / C : scale * KAPPA[c]!);
      mu[k * (C + 1) + c] = m;
      muSum += m;
    }
    mu[k * (C + 1) + C] = 1 - muSum;
    if (kind === 'train') {
      const weights: number[] = [];
      for (let a = 0; a <= C; a++) weights.push(mu[k * (C + 1) + a]!);
      const a = rng.weighted(weights);
      const converted = rng.next() < (a < C ? p1[k * C + a]! : q0);
      outcome[k] = converted ? 1 : 0;
      if (a < C) {
        treatment[k] = a;
        if (!options.hidePropensities) logged[k] = mu[k * (C + 1) + a]!;
      }
    }
  }
  const examples: UpliftExamples = {
    kind,
    schema: {
      version: 'synthetic-1',
      pair: ['favoured', 'need', 'signal', 'recent_contacts', 'noise_1', 'noise_2'],
      channel: ['consent', 'noise'],
    },
    productIds: [...SYNTHETIC_PRODUCTS],
    channelIds: [...SYNTHETIC_CHANNELS],
    clientIds: Array.from({ length: n }, (_, i) => `C${String(i).padStart(6, '0')}`),
    n,
    x,
    xc,
    client,
    product,
    day: new Int32Array(n).fill(20_000),
    segment,
    contactable,
    treatment,
    outcome,
    loggedPropensity: logged,
    weight: new Float32Array(n).fill(1),
    margin: Float64Array.from(MARGIN),
    channelCost: Float64Array.from(COST),
  };
  return { examples, truth: { p0, p1, mu, type, expectedUplift } };
}
