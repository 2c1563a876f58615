import { GraphError } from '../graph-error.js';

const MODULE = 'graph/metrics/nmi';

/**
 * Normalized mutual information of two partitions of the same n items (labels compared by
 * equality, any number or string):
 *   NMI = 2 I(A; B) / (H(A) + H(B)),  I = sum_ab p_ab log(p_ab / (p_a p_b)),
 * the arithmetic-mean normalisation (scikit-learn's default). 1 for identical partitions up to
 * renaming, about 0 for independent ones; 1 when both partitions have one block.
 */
export function nmi(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  const n = a.length;
  if (b.length !== n)
    throw new GraphError(MODULE, `partitions must have the same length, got ${n} and ${b.length}`);
  if (n === 0) throw new GraphError(MODULE, 'partitions are empty');
  const ia = new Map<number | string, number>();
  const ib = new Map<number | string, number>();
  const ca = new Int32Array(n);
  const cb = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let x = ia.get(a[i]!);
    if (x === undefined) {
      x = ia.size;
      ia.set(a[i]!, x);
    }
    let y = ib.get(b[i]!);
    if (y === undefined) {
      y = ib.size;
      ib.set(b[i]!, y);
    }
    ca[i] = x;
    cb[i] = y;
  }
  const ka = ia.size;
  const kb = ib.size;
  const na = new Float64Array(ka);
  const nb = new Float64Array(kb);
  const joint = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    na[ca[i]!]!++;
    nb[cb[i]!]!++;
    const key = ca[i]! * kb + cb[i]!;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  const entropy = (counts: Float64Array): number => {
    let h = 0;
    for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
    return h;
  };
  const ha = entropy(na);
  const hb = entropy(nb);
  if (ha === 0 && hb === 0) return 1;
  let mi = 0;
  for (const [key, c] of joint) {
    const x = Math.floor(key / kb);
    const y = key - x * kb;
    mi += (c / n) * Math.log((c * n) / (na[x]! * nb[y]!));
  }
  return Math.max(0, Math.min(1, (2 * mi) / (ha + hb)));
}
