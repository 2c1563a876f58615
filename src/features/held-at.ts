import type { FeatureHistory } from './record-store.js';

/**
 * Which products client i holds at day t: a holding opened before t and not closed before t (a
 * closing dated t or later is still open at t). `heldBefore[p]` = 1 when p was held and closed
 * before t (and is not held again). Returns the last opening day before t, -Infinity when none.
 */
export function heldAt(
  h: FeatureHistory,
  i: number,
  t: number,
  held: Uint8Array,
  heldBefore?: Uint8Array,
): number {
  const { off, product, opened, closed } = h.holdings;
  held.fill(0);
  heldBefore?.fill(0);
  let last = Number.NEGATIVE_INFINITY;
  for (let r = off[i]!; r < off[i + 1]!; r++) {
    const o = opened[r]!;
    if (o >= t) break; // sorted by opening day
    if (o > last) last = o;
    const cl = closed[r]!;
    if (Number.isNaN(cl) || cl >= t) held[product[r]!] = 1;
    else if (heldBefore) heldBefore[product[r]!] = 1;
  }
  if (heldBefore) for (let p = 0; p < held.length; p++) if (held[p]) heldBefore[p] = 0;
  return last;
}
