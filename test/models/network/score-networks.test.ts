import { describe, expect, it } from 'vitest';
import { scoreJob, scoreNetworks } from '../../../src/models/network/score-networks.js';
import type { SmallNetwork } from '../../../src/models/network/small-network.js';
import { createRng } from '../../../src/rng.js';

const F = 6;
const K = 3;
const P = 4;
const C = 3;
const rng = createRng(16);
const draw = (length: number, zeros = 0): Float32Array =>
  Float32Array.from({ length }, () => (rng.next() < zeros ? 0 : rng.next() * 4 - 2));
const network = (channelInputs: boolean, hidden: number, output: SmallNetwork['output']): SmallNetwork => ({
  output,
  channelInputs,
  F,
  K,
  P,
  C,
  hidden,
  w1: draw((channelInputs ? F + K + P + C : F + P) * Math.max(hidden, 1)),
  b1: draw(Math.max(hidden, 1)),
  w2: draw(hidden),
  b2: 0.25,
});
const nets = [
  network(false, 5, 'logistic'),
  network(true, 5, 'logistic'),
  network(true, 0, 'linear'),
  network(true, 3, 'linear'),
];
const scaling = {
  xMean: draw(F),
  xSd: draw(F).map((v) => 1 + Math.abs(v)),
  cMean: draw(K),
  cSd: draw(K).map((v) => 1 + Math.abs(v)),
};
const n = 2_503;
const rows = {
  x: draw(n * F, 0.3),
  xc: draw(n * C * K, 0.3),
  product: Int32Array.from({ length: n }, (_, i) => (i * 7) % P),
  n,
};

describe('scoreNetworks', () => {
  const oneThread = scoreJob({ nets, scaling, rows });

  it('gives every network the same floats on 2 and 3 threads as on one', async () => {
    const before = Float32Array.from(rows.x);
    for (const threads of [2, 3]) {
      const outs = await scoreNetworks(nets, scaling, rows, { threads, minRowsPerThread: 500 });
      expect(outs.map((o) => o.length)).toEqual([n, n * C, n * C, n * C]);
      for (let m = 0; m < nets.length; m++) expect(Array.from(outs[m]!)).toEqual(Array.from(oneThread[m]!));
    }
    // the caller's rows are copied to the workers, not moved away from it
    expect(Array.from(rows.x)).toEqual(Array.from(before));
  });
});
