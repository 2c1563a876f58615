import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { BranchNetwork } from '../../src/simulate/branch-network.js';
import { N_CHANNELS, N_PRODUCTS } from '../../src/simulate/catalog.js';
import { type ClientProfile, drawClientProfile } from '../../src/simulate/client-profile.js';
import { WORLD } from '../../src/simulate/config.js';
import { LoggingPolicy } from '../../src/simulate/logging-policy.js';

const branches = new BranchNetwork(1000);
function client(want: (c: ClientProfile) => boolean): ClientProfile {
  for (let i = 0; i < 10_000; i++) {
    const c = drawClientProfile(createRng(i), i, 731, 2024, branches);
    if (want(c)) return c;
  }
  throw new Error('no such client in 10,000 draws');
}
const affluent = client((c) => c.segment === 'affluent');
const young = client((c) => c.segment === 'young');
const all = new Uint8Array(N_PRODUCTS).fill(1);
const allChannels = new Uint8Array(N_CHANNELS).fill(1);
const p0 = new Float64Array(N_PRODUCTS).fill(0.02);

function mu(
  policy: LoggingPolicy,
  c: ClientProfile,
  eligible = all,
  consent = allChannels,
): [Float64Array, number] {
  const out = new Float64Array(N_PRODUCTS * N_CHANNELS);
  const total = policy.probabilities(out, c, c.age, eligible, consent, p0);
  return [out, total];
}

describe('simulate/logging-policy', () => {
  it('random: the same probability for every eligible, consented pair; zero elsewhere', () => {
    const eligible = new Uint8Array(N_PRODUCTS);
    eligible[1] = 1;
    eligible[4] = 1;
    const consent = Uint8Array.from([0, 0, 1, 0, 1]);
    const [m, total] = mu(new LoggingPolicy('random', 0), young, eligible, consent);
    const u = WORLD.logging.uniformContactRate / 4;
    expect(m[1 * N_CHANNELS + 2]).toBeCloseTo(u, 15);
    expect(m[4 * N_CHANNELS + 4]).toBeCloseTo(u, 15);
    expect(m[1 * N_CHANNELS + 0]).toBe(0);
    expect(m[0]).toBe(0);
    expect(total).toBeCloseTo(WORLD.logging.uniformContactRate, 12);
  });

  it('biased: contacts affluent clients several times more often than young ones', () => {
    const policy = new LoggingPolicy('biased', 0.05);
    const [, tA] = mu(policy, affluent);
    const [, tY] = mu(policy, young);
    expect(tA).toBeGreaterThan(4 * tY);
    expect(tA).toBeLessThan(1);
  });

  it('biased: prefers the products with the highest p0 (a naive propensity score)', () => {
    const policy = new LoggingPolicy('biased', 0);
    const out = new Float64Array(N_PRODUCTS * N_CHANNELS);
    const skewed = new Float64Array(N_PRODUCTS).fill(0.01);
    skewed[3] = 0.08;
    policy.probabilities(out, young, young.age, all, allChannels, skewed);
    const byProduct = (p: number): number =>
      out.slice(p * N_CHANNELS, (p + 1) * N_CHANNELS).reduce((a, b) => a + b);
    expect(byProduct(3) / byProduct(0)).toBeCloseTo(
      ((0.08 + 1e-4) / (0.01 + 1e-4)) ** WORLD.logging.propensityPower,
      6,
    );
  });

  it('mixed = half biased + half random; nothing eligible or no consent means no contact', () => {
    const [b] = mu(new LoggingPolicy('biased', 0), affluent);
    const [r] = mu(new LoggingPolicy('random', 0), affluent);
    const [m] = mu(new LoggingPolicy('mixed', 0), affluent);
    for (let i = 0; i < m.length; i++) expect(m[i]).toBeCloseTo((b[i]! + r[i]!) / 2, 14);
    expect(mu(new LoggingPolicy('biased', 0.05), affluent, new Uint8Array(N_PRODUCTS))[1]).toBe(0);
    expect(mu(new LoggingPolicy('biased', 0.05), affluent, all, new Uint8Array(N_CHANNELS))[1]).toBe(0);
  });
});
