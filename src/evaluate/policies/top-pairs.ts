import type { EvaluationDataset } from '../evaluation-dataset.js';

/**
 * The deterministic policy that contacts the `contacts` pairs of highest score, each through its
 * chosen channel, and no one else (pairs with channel −1 or a score ≤ `minScore` are never taken).
 * Ties are broken by `tieBreak` (a seeded random key per pair), then by index.
 */
export function topPairs(
  data: EvaluationDataset,
  score: Float64Array,
  channel: Int32Array,
  contacts: number,
  options: { readonly minScore?: number; readonly tieBreak?: Float64Array } = {},
): Float64Array {
  const { nPairs: n, nActions: A } = data;
  const minScore = options.minScore ?? Number.NEGATIVE_INFINITY;
  const candidates: number[] = [];
  for (let k = 0; k < n; k++) if (channel[k]! >= 0 && score[k]! > minScore) candidates.push(k);
  const tie = options.tieBreak;
  candidates.sort((a, b) => score[b]! - score[a]! || (tie ? tie[a]! - tie[b]! : 0) || a - b);
  const pi = new Float64Array(n * A);
  for (let k = 0; k < n; k++) pi[k * A + A - 1] = 1;
  const take = Math.min(contacts, candidates.length);
  for (let j = 0; j < take; j++) {
    const k = candidates[j]!;
    pi[k * A + A - 1] = 0;
    pi[k * A + channel[k]!] = 1;
  }
  return pi;
}
