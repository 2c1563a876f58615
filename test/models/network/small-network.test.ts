import { describe, expect, it } from 'vitest';
import {
  networkArrays,
  networkFromArrays,
  networkShape,
  type SmallNetwork,
  scoreNetwork,
} from '../../../src/models/network/small-network.js';

// F = 2, K = 1, P = 2, C = 2, one hidden unit: input [x0, x1, xc, p0, p1, c0, c1]
const net: SmallNetwork = {
  output: 'logistic',
  channelInputs: true,
  F: 2,
  K: 1,
  P: 2,
  C: 2,
  hidden: 1,
  w1: Float32Array.from([1, -1, 2, 0, 0.5, 0, 1]),
  b1: Float32Array.from([0.1]),
  w2: Float32Array.from([2]),
  b2: -1,
};
const scaling = {
  xMean: Float32Array.from([1, 0]),
  xSd: Float32Array.from([2, 1]),
  cMean: Float32Array.from([0]),
  cSd: Float32Array.from([1]),
};

describe('scoreNetwork', () => {
  it('scores every channel of a row: σ(b2 + w2 relu(b1 + W1ᵀ v)) on scaled inputs', () => {
    const out = new Float32Array(2);
    scoreNetwork(
      net,
      scaling,
      Float32Array.from([3, 0.5]),
      Float32Array.from([1, -1]),
      Int32Array.from([1]),
      1,
      out,
    );
    // x̃ = (1, 0.5); product 1 → +0.5; channel 0: xc 1 → +2, c0 → 0; channel 1: xc −1 → −2, c1 → +1
    const h0 = Math.max(0, 0.1 + 1 - 0.5 + 0.5 + 2);
    const h1 = Math.max(0, 0.1 + 1 - 0.5 + 0.5 - 2 + 1);
    expect(out[0]).toBeCloseTo(1 / (1 + Math.exp(-(-1 + 2 * h0))), 6);
    expect(out[1]).toBeCloseTo(1 / (1 + Math.exp(-(-1 + 2 * h1))), 6);
  });

  it('round-trips through its arrays and refuses arrays of the wrong length', () => {
    const arrays = networkArrays('n', net);
    const back = networkFromArrays(networkShape(net), arrays, 'n', 'test');
    expect(Array.from(back.w1)).toEqual(Array.from(net.w1));
    expect(back.b2).toBe(-1);
    expect(() =>
      networkFromArrays(networkShape(net), { ...arrays, n_w1: new Float32Array(3) }, 'n', 'test'),
    ).toThrow('test: network n array w1 has 3 values, expected 7');
    expect(() => networkFromArrays(networkShape(net), { ...arrays, n_b2: undefined }, 'n', 'test')).toThrow(
      'test: network n array b2 has no values, expected 1',
    );
  });
});
