import type { UpliftExamples } from '../../../src/features/examples.js';
import { createRng } from '../../../src/rng.js';

/**
 * A seeded table for the holdings baselines: clients of 3 personas, each holding each of 6 products
 * with its persona's probability (0.8 for the persona's 2 typical products, 0.05 otherwise). One
 * row per (client, product not held), pair features [holds_P0 … holds_P5, segment_a, age]; channels
 * branch and email. `typical[i]` is 1 where the row's product is typical of the client's persona.
 */
export function holdingsExamples(
  nClients: number,
  seed: number,
): { examples: UpliftExamples; typical: Uint8Array } {
  const P = 6;
  const C = 2;
  const rng = createRng(seed);
  const x: number[] = [];
  const client: number[] = [];
  const product: number[] = [];
  const typical: number[] = [];
  for (let k = 0; k < nClients; k++) {
    const persona = rng.int(3);
    const held = Array.from(
      { length: P },
      (_, p) => rng.next() < (Math.floor(p / 2) === persona ? 0.8 : 0.05),
    );
    const age = persona * 15 + 25 + rng.normal() * 5;
    for (let p = 0; p < P; p++) {
      if (held[p]) continue;
      x.push(...held.map((h) => (h ? 1 : 0)), persona === 0 ? 1 : 0, age);
      client.push(k);
      product.push(p);
      typical.push(Math.floor(p / 2) === persona ? 1 : 0);
    }
  }
  const n = client.length;
  const examples: UpliftExamples = {
    kind: 'train',
    schema: {
      version: 'holdings-1',
      pair: [...Array.from({ length: P }, (_, p) => `holds_P${p}`), 'segment_a', 'age'],
      channel: ['consent'],
    },
    productIds: Array.from({ length: P }, (_, p) => `P${p}`),
    channelIds: ['branch', 'email'],
    clientIds: Array.from({ length: nClients }, (_, k) => `C${k}`),
    n,
    x: Float32Array.from(x),
    xc: new Float32Array(n * C).fill(1),
    client: Int32Array.from(client),
    product: Int32Array.from(product),
    day: new Int32Array(n).fill(20_000),
    segment: new Uint8Array(n),
    contactable: new Uint8Array(n * C).fill(1),
    treatment: new Int8Array(n).fill(-1),
    outcome: new Uint8Array(n),
    loggedPropensity: new Float32Array(n).fill(Number.NaN),
    weight: new Float32Array(n).fill(1),
    margin: new Float64Array(P).fill(100),
    channelCost: Float64Array.from([25, 0.1]),
  };
  return { examples, typical: Uint8Array.from(typical) };
}
