import type { EvaluationDataset } from './evaluation-dataset.js';

/**
 * Why an importance-weighted estimate may miss, per policy:
 * - unsupportedContacts: contact mass Σ pi(c | pair) on actions the logging policy never takes
 *   (mu = 0): no logged round can ever stand for them, so IPS/SNIPS/DR cannot see their value;
 * - matchedContacts: logged contacted rounds where pi also puts weight on the logged channel (the
 *   rounds that carry the information about pi's contacts);
 * - maxWeight: the largest pi(a_i) / mu(a_i) over logged rounds;
 * - clippedRounds: rounds whose weight exceeds lambda (clipped IPS, SWITCH-DR switch to the model);
 * - ess: Kish's effective sample size (Σ w)² / Σ w² of the logged rounds' weights.
 */
export interface WeightDiagnostics {
  readonly unsupportedContacts: number;
  readonly matchedContacts: number;
  readonly maxWeight: number;
  readonly clippedRounds: number;
  readonly ess: number;
}

export function weightDiagnostics(
  data: EvaluationDataset,
  pi: Float64Array,
  lambda: number,
): WeightDiagnostics {
  const { nPairs: n, nChannels: C, nActions: A, mu } = data;
  const { action, pscore } = data.logged;
  let unsupported = 0;
  let matched = 0;
  let maxW = 0;
  let clipped = 0;
  let sw = 0;
  let sw2 = 0;
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < C; c++)
      if (pi[k * A + c]! > 0 && !(mu[k * A + c]! > 0)) unsupported += pi[k * A + c]!;
    const a = action[k]!;
    const w = pi[k * A + a]! / pscore[k]!;
    if (a < C && w > 0) matched++;
    if (w > maxW) maxW = w;
    if (w > lambda) clipped++;
    sw += w;
    sw2 += w * w;
  }
  return {
    unsupportedContacts: unsupported,
    matchedContacts: matched,
    maxWeight: maxW,
    clippedRounds: clipped,
    ess: sw2 > 0 ? (sw * sw) / sw2 : 0,
  };
}
