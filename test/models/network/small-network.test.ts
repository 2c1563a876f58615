import { describe, expect, it } from 'vitest';
import type { FeatureScaling } from '../../../src/models/network/small-network.js';
import {
  networkArrays,
  networkFromArrays,
  networkShape,
  type SmallNetwork,
  scoreNetwork,
} from '../../../src/models/network/small-network.js';
import { createRng } from '../../../src/rng.js';

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

  it('gives the outputs of a feature-major loop, float for float', () => {
    const rng = createRng(7);
    const [F, K, P, C, n] = [9, 3, 4, 3, 300];
    const draw = (length: number, zeros = 0): Float32Array =>
      Float32Array.from({ length }, () => (rng.next() < zeros ? 0 : rng.next() * 4 - 2));
    const sc: FeatureScaling = {
      xMean: draw(F),
      xSd: draw(F).map((v) => 0.5 + Math.abs(v)),
      cMean: draw(K),
      cSd: draw(K).map((v) => 0.5 + Math.abs(v)),
    };
    const x = draw(n * F, 0.4);
    const xc = draw(n * C * K, 0.4);
    const product = Int32Array.from({ length: n }, (_, i) => i % P);
    for (const [channelInputs, hidden, output] of [
      [true, 16, 'logistic'],
      [true, 6, 'linear'],
      [true, 0, 'linear'],
      [false, 5, 'logistic'],
      [false, 0, 'logistic'],
    ] as const) {
      const H = Math.max(hidden, 1);
      const d = channelInputs ? F + K + P + C : F + P;
      const candidate: SmallNetwork = {
        output,
        channelInputs,
        F,
        K,
        P,
        C,
        hidden,
        w1: draw(d * H),
        b1: draw(H),
        w2: draw(hidden),
        b2: 0.3,
      };
      const out = new Float32Array(channelInputs ? n * C : n);
      scoreNetwork(candidate, sc, x, xc, product, n, out);
      const expected = featureMajor(candidate, sc, x, xc, product, n);
      expect(Array.from(out), `${channelInputs} ${hidden} ${output}`).toEqual(Array.from(expected));
    }
  });
});

/** The loop scoreNetwork was first written as: each input's weights added to every unit in turn. */
function featureMajor(
  net: SmallNetwork,
  sc: FeatureScaling,
  x: Float32Array,
  xc: Float32Array,
  product: Int32Array,
  n: number,
): Float32Array {
  const { F, K, P, C, w1, b1, w2, b2 } = net;
  const H = Math.max(net.hidden, 1);
  const out = new Float32Array(net.channelInputs ? n * C : n);
  const offP = F + (net.channelInputs ? K : 0);
  const finish = (pre: Float64Array): number => {
    let z = b2;
    if (net.hidden === 0) z = pre[0]! + b2;
    else for (let u = 0; u < H; u++) if (pre[u]! > 0) z += pre[u]! * w2[u]!;
    return net.output === 'logistic' ? 1 / (1 + Math.exp(-z)) : z;
  };
  for (let i = 0; i < n; i++) {
    const base = new Float64Array(H);
    for (let u = 0; u < H; u++) base[u] = b1[u]! + w1[(offP + product[i]!) * H + u]!;
    for (let j = 0; j < F; j++) {
      const v = (x[i * F + j]! - sc.xMean[j]!) / sc.xSd[j]!;
      if (v !== 0) for (let u = 0; u < H; u++) base[u]! += v * w1[j * H + u]!;
    }
    if (!net.channelInputs) {
      out[i] = finish(base);
      continue;
    }
    for (let c = 0; c < C; c++) {
      const act = new Float64Array(H);
      for (let u = 0; u < H; u++) act[u] = base[u]! + w1[(offP + P + c) * H + u]!;
      for (let j = 0; j < K; j++) {
        const v = (xc[(i * C + c) * K + j]! - sc.cMean[j]!) / sc.cSd[j]!;
        if (v !== 0) for (let u = 0; u < H; u++) act[u]! += v * w1[(F + j) * H + u]!;
      }
      out[i * C + c] = finish(act);
    }
  }
  return out;
}
