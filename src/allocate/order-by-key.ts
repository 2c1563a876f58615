/**
 * Indices 0..n−1 ordered by decreasing key, fast for tens of millions: each (key, index) pair is
 * packed into one float64 (key quantised to the bits the index leaves free out of 53, index in the
 * low bits) and sorted with the native numeric sort, with no comparator call per pair. Keys that
 * differ by less than (max − min) / 2^(53 − log2 n) may come out in index order instead of key
 * order; the allocator only needs a priority order, so that resolution (about 1e-9 of the range
 * for a million keys) is more than enough. Non-finite keys and indices where `include` is 0 are left out.
 */
export function orderByKeyDesc(keys: Float64Array, include?: Uint8Array): Uint32Array {
  const n = keys.length;
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (!Number.isFinite(k) || (include !== undefined && include[i] === 0)) continue;
    count++;
    if (k < min) min = k;
    if (k > max) max = k;
  }
  const out = new Uint32Array(count);
  if (count === 0) return out;
  const idxBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const idxSpace = 2 ** idxBits;
  const levels = 2 ** (53 - idxBits) - 1;
  const scale = max > min ? levels / (max - min) : 0;
  const packed = new Float64Array(count);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (!Number.isFinite(k) || (include !== undefined && include[i] === 0)) continue;
    // Decreasing key first: store (levels − q); ties broken by increasing index.
    const q = Math.floor((k - min) * scale);
    packed[j++] = (levels - q) * idxSpace + i;
  }
  packed.sort();
  for (let t = 0; t < count; t++) out[t] = packed[t]! % idxSpace;
  return out;
}
