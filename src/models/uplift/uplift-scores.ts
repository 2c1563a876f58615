/**
 * Turns an uplift learner's ensemble members into ActionScores, and summarises its training
 * weights. Members are either P(convert | contact through c) (mode 'probability', T-learner) or
 * effects τ_c (mode 'effect', X- and DR-learners, pContact = pNoContact + τ clamped to [0, 1]):
 *
 *   pContact_c = mean_m member_m,c        upliftSd_c = sd_m (member_m,c − pNoContact)
 *
 * Shapes: pNoContact n, each member n × C.
 */
import type { UpliftExamples } from '../../features/examples.js';
import type { ActionScores } from '../model.js';

export function ensembleScores(
  pNoContact: Float32Array,
  members: readonly Float32Array[],
  n: number,
  C: number,
  mode: 'probability' | 'effect',
): ActionScores {
  const pContact = new Float32Array(n * C);
  const upliftSd = new Float32Array(n * C);
  const M = members.length;
  for (let i = 0; i < n; i++) {
    const p0 = pNoContact[i]!;
    for (let c = 0; c < C; c++) {
      const k = i * C + c;
      let s = 0;
      let q = 0;
      for (let m = 0; m < M; m++) {
        const u = mode === 'probability' ? members[m]![k]! - p0 : members[m]![k]!;
        s += u;
        q += u * u;
      }
      const mean = s / M;
      pContact[k] = Math.min(1, Math.max(0, p0 + mean));
      upliftSd[k] = M > 1 ? Math.sqrt(Math.max(0, (q - M * mean * mean) / (M - 1))) : 0;
    }
  }
  return { pContact, pNoContact, upliftSd };
}

/**
 * Figures of the training weights: contacted rows, and Kish's effective sample size
 * (Σw)² / Σw² of the contacted rows' weights with their largest weight.
 */
export function weightMetrics(rows: UpliftExamples, weights: Float32Array): Record<string, number> {
  let treated = 0;
  let s = 0;
  let q = 0;
  let max = 0;
  for (let i = 0; i < rows.n; i++) {
    if (rows.treatment[i]! < 0) continue;
    const w = weights[i]!;
    treated++;
    s += w;
    q += w * w;
    if (w > max) max = w;
  }
  return { rows: rows.n, treatedRows: treated, treatedEss: q > 0 ? (s * s) / q : 0, maxWeight: max };
}
