import { describe, expect, it } from 'vitest';
import { orderByKeyDesc } from '../../src/allocate/order-by-key.js';

describe('orderByKeyDesc', () => {
  const cases: [string, number[], number[], Uint8Array?][] = [
    ['decreasing keys', [1, 5, 3, -2], [1, 2, 0, 3]],
    ['ties in index order', [2, 2, 7, 2], [2, 0, 1, 3]],
    ['non-finite keys left out', [Number.NaN, 1, Infinity, 0], [1, 3]],
    ['excluded indices left out', [3, 2, 1], [0, 2], Uint8Array.from([1, 0, 1])],
    ['empty', [], []],
  ];
  it.each(cases)('%s', (_n, keys, expected, include) => {
    expect([...orderByKeyDesc(Float64Array.from(keys), include)]).toEqual(expected);
  });

  it('orders a large random array like a comparator sort', () => {
    const keys = Float64Array.from({ length: 50_000 }, (_, i) => Math.sin(i * 12.9898) * 1000);
    const want = [...keys.keys()].sort((a, b) => keys[b]! - keys[a]! || a - b);
    expect([...orderByKeyDesc(keys)]).toEqual(want);
  });
});
