/**
 * The input vector of the uplift networks for one (row, action), the same for training (written
 * into a TensorFlow.js batch) and scoring (`scoreNetwork` reads the same layout):
 *   [ x̃ (F) | x̃c[c] (K) | onehot(product) (P) | onehot(c) (C) ]   channel networks
 *   [ x̃ (F) | onehot(product) (P) ]                                control networks
 * with x̃ = (x − mean) / sd, means and sds fitted on the training rows (`fitScaling`).
 */
import type { UpliftExamples } from '../../features/examples.js';
import type { FeatureScaling } from './small-network.js';

/**
 * Means and standard deviations of the pair features (F) and of the channel features pooled over
 * the channels (K), weighted by the rows' sampling weights. A constant column gets sd 1, so it
 * becomes 0 after scaling.
 */
export function fitScaling(rows: UpliftExamples): FeatureScaling {
  const { n } = rows;
  const F = rows.schema.pair.length;
  const K = rows.schema.channel.length;
  const C = rows.channelIds.length;
  const xs = new Float64Array(F);
  const xq = new Float64Array(F);
  const cs = new Float64Array(K);
  const cq = new Float64Array(K);
  let wSum = 0;
  for (let i = 0; i < n; i++) {
    const w = rows.weight[i]!;
    if (!(w > 0)) continue;
    wSum += w;
    for (let j = 0; j < F; j++) {
      const v = rows.x[i * F + j]!;
      xs[j]! += w * v;
      xq[j]! += w * v * v;
    }
    for (let c = 0; c < C; c++)
      for (let j = 0; j < K; j++) {
        const v = rows.xc[(i * C + c) * K + j]!;
        cs[j]! += w * v;
        cq[j]! += w * v * v;
      }
  }
  const moments = (s: Float64Array, q: Float64Array, total: number) => {
    const mean = new Float32Array(s.length);
    const sd = new Float32Array(s.length);
    for (let j = 0; j < s.length; j++) {
      const m = total > 0 ? s[j]! / total : 0;
      const v = total > 0 ? q[j]! / total - m * m : 0;
      mean[j] = m;
      sd[j] = v > 1e-12 ? Math.sqrt(v) : 1;
    }
    return { mean, sd };
  };
  const px = moments(xs, xq, wSum);
  const pc = moments(cs, cq, wSum * C);
  return { xMean: px.mean, xSd: px.sd, cMean: pc.mean, cSd: pc.sd };
}

/** Writes row i's input for channel c (−1: a control network's input) at `out[offset…]`. */
export function encodeInput(
  rows: UpliftExamples,
  scaling: FeatureScaling,
  i: number,
  c: number,
  out: Float32Array,
  offset: number,
): void {
  const F = scaling.xMean.length;
  const K = scaling.cMean.length;
  const P = rows.productIds.length;
  const C = rows.channelIds.length;
  const width = c < 0 ? F + P : F + K + P + C;
  out.fill(0, offset, offset + width);
  for (let j = 0; j < F; j++) out[offset + j] = (rows.x[i * F + j]! - scaling.xMean[j]!) / scaling.xSd[j]!;
  if (c < 0) {
    out[offset + F + rows.product[i]!] = 1;
    return;
  }
  const o = (i * C + c) * K;
  for (let j = 0; j < K; j++) out[offset + F + j] = (rows.xc[o + j]! - scaling.cMean[j]!) / scaling.cSd[j]!;
  out[offset + F + K + rows.product[i]!] = 1;
  out[offset + F + K + P + c] = 1;
}
