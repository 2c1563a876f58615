/**
 * Per-query bounded min-heaps in flat typed arrays: row q keeps its k best (score, index) pairs,
 * the weakest at the root, so a candidate is one comparison with the root in the common case.
 * Shapes: scores Float32Array(q * k) initialised to -Infinity, indices Int32Array(q * k) to -1.
 */
export class TopKHeaps {
  readonly scores: Float32Array;
  readonly indices: Int32Array;

  constructor(
    readonly queryCount: number,
    readonly k: number,
  ) {
    this.scores = new Float32Array(queryCount * k).fill(Number.NEGATIVE_INFINITY);
    this.indices = new Int32Array(queryCount * k).fill(-1);
  }

  /** The score a candidate of row q must beat to enter. */
  threshold(q: number): number {
    return this.scores[q * this.k]!;
  }

  /**
   * Pushes (score, index) into row q when it beats the weakest kept entry: a higher score, or the
   * same score and a lower index, so the kept set does not depend on the order of the offers.
   * Returns whether it entered.
   */
  offer(q: number, score: number, index: number): boolean {
    const root = q * this.k;
    const s = this.scores[root]!;
    if (score > s || (score === s && index < this.indices[root]!)) {
      this.push(q, score, index);
      return true;
    }
    return false;
  }

  /** Replaces the root of row q by (score, index) and restores the heap; call when score beats the root. */
  push(q: number, score: number, index: number): void {
    const { scores, indices, k } = this;
    const base = q * k;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= k) break;
      const r = l + 1;
      let c = l;
      if (
        r < k &&
        (scores[base + r]! < scores[base + l]! ||
          (scores[base + r] === scores[base + l] && indices[base + r]! > indices[base + l]!))
      )
        c = r;
      const cs = scores[base + c]!;
      if (cs > score || (cs === score && indices[base + c]! < index)) break;
      scores[base + i] = cs;
      indices[base + i] = indices[base + c]!;
      i = c;
    }
    scores[base + i] = score;
    indices[base + i] = index;
  }

  /** Whether row q already keeps `index`. */
  has(q: number, index: number): boolean {
    for (let j = q * this.k; j < (q + 1) * this.k; j++) if (this.indices[j] === index) return true;
    return false;
  }

  /**
   * Offers every kept entry of heaps computed elsewhere (same shape) to these heaps, skipping an
   * index a row already keeps (parts that scanned the same pairs).
   */
  merge(scores: Float32Array, indices: Int32Array): void {
    for (let q = 0; q < this.queryCount; q++)
      for (let j = q * this.k; j < (q + 1) * this.k; j++) {
        const ix = indices[j]!;
        if (ix >= 0 && !this.has(q, ix)) this.offer(q, scores[j]!, ix);
      }
  }

  /** Sorts every row best first (score descending, then index ascending). */
  sortRows(): void {
    const { k } = this;
    const order = new Int32Array(k);
    const s = new Float32Array(k);
    const ix = new Int32Array(k);
    for (let q = 0; q < this.queryCount; q++) {
      const base = q * k;
      for (let j = 0; j < k; j++) order[j] = j;
      const row = this.scores.subarray(base, base + k);
      const rowIx = this.indices.subarray(base, base + k);
      order.sort((a, b) => row[b]! - row[a]! || rowIx[a]! - rowIx[b]!);
      for (let j = 0; j < k; j++) {
        s[j] = row[order[j]!]!;
        ix[j] = rowIx[order[j]!]!;
      }
      row.set(s);
      rowIx.set(ix);
    }
  }
}
