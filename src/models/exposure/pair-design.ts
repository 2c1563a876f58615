/**
 * The linear models' design row of a decision row (the logistic and least-squares baselines and the
 * exposure model; scaling is the solver's job):
 *
 *   [ x (F) | xc, every channel (C × K) | onehot(product) (P) ]      width F + C·K + P
 *
 * Built for a list of rows at a time (`rows` indices), so a table of millions of rows is scored in
 * chunks without one n × width matrix in memory.
 */
import type { UpliftExamples } from '../../features/examples.js';

export function pairDesignWidth(rows: UpliftExamples): number {
  return (
    rows.schema.pair.length + rows.channelIds.length * rows.schema.channel.length + rows.productIds.length
  );
}

/** Writes the design rows of `rows.x[index[k]]` for k = from … to − 1 into `out` (row-major). */
export function pairDesign(
  rows: UpliftExamples,
  index: Int32Array | null,
  from: number,
  to: number,
  out: Float32Array,
): void {
  const F = rows.schema.pair.length;
  const CK = rows.channelIds.length * rows.schema.channel.length;
  const width = F + CK + rows.productIds.length;
  out.fill(0, 0, (to - from) * width);
  for (let k = from; k < to; k++) {
    const i = index ? (index[k] as number) : k;
    const o = (k - from) * width;
    out.set(rows.x.subarray(i * F, i * F + F), o);
    out.set(rows.xc.subarray(i * CK, i * CK + CK), o + F);
    out[o + F + CK + (rows.product[i] as number)] = 1;
  }
}
