import { describe, expect, it } from 'vitest';
import { TopKHeaps } from '../../../graph/similarity/top-k-heap.js';

describe('graph/similarity/top-k-heap', () => {
  it('keeps the k best, ties to the lower index whatever the order of the offers', () => {
    const offers: [number, number][] = [
      [0.5, 9],
      [0.9, 4],
      [0.5, 2],
      [0.7, 8],
      [0.5, 1],
      [0.1, 0],
    ];
    for (const order of [offers, [...offers].reverse()]) {
      const h = new TopKHeaps(1, 3);
      for (const [s, i] of order) h.offer(0, s, i);
      h.sortRows();
      expect(Array.from(h.indices)).toEqual([4, 8, 1]);
      expect(Array.from(h.scores)).toEqual([Math.fround(0.9), Math.fround(0.7), Math.fround(0.5)]);
    }
  });

  it('merges heaps computed elsewhere without keeping an index twice', () => {
    const a = new TopKHeaps(2, 2);
    const b = new TopKHeaps(2, 2);
    a.offer(0, 0.8, 3);
    a.offer(0, 0.2, 5);
    b.offer(0, 0.8, 3);
    b.offer(0, 0.6, 7);
    b.offer(1, 0.4, 2);
    a.merge(b.scores, b.indices);
    a.sortRows();
    expect(Array.from(a.indices)).toEqual([3, 7, 2, -1]);
    expect(a.has(1, 2)).toBe(true);
    expect(a.has(1, 3)).toBe(false);
  });
});
