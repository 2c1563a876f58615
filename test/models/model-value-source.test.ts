import { describe, expect, it } from 'vitest';
import type { ChannelInfo, ProductInfo } from '../../src/constraints/client-state.js';
import type { ClientId } from '../../src/domain/ids.js';
import { actionValues } from '../../src/models/action-value.js';
import { ModelValueSource } from '../../src/models/model-value-source.js';
import { channel, client, product } from '../constraints/fixtures.js';
import { FormulaModel } from './formula-model.js';
import { syntheticExamples } from './synthetic-examples.js';

const { examples } = syntheticExamples({ n: 6, seed: 21, kind: 'decide' });
const products: ProductInfo[] = examples.productIds.map((id, p) =>
  product({ id: id as ProductInfo['id'], unitValue: examples.margin[p]! }),
);
const channels: ChannelInfo[] = examples.channelIds.map((id, c) => channel(id, examples.channelCost[c]!));
const C = examples.channelIds.length;
const P = examples.productIds.length;

describe('ModelValueSource', () => {
  it('answers each (client, product, channel) with the action value of its decision row, NaN elsewhere', async () => {
    const model = new FormulaModel();
    const source = await ModelValueSource.fromRows(model, examples, { modelVersion: 'v-test' });
    const av = await actionValues(model, examples);
    expect(source.modelVersion).toBe('v-test');
    expect(source.name).toBe('model:test-formula');
    const clients = [
      client({ id: examples.clientIds[2] as ClientId }),
      client({ id: 'C-unknown' as ClientId }),
    ];
    const out = new Float64Array(2 * P * C);
    await source.score(clients, products, channels, out);
    const p = examples.product[2]!;
    for (let q = 0; q < P; q++)
      for (let c = 0; c < C; c++) {
        const v = out[q * C + c]!;
        if (q !== p) expect(v).toBeNaN();
        else if (examples.contactable[2 * C + c]) expect(v).toBeCloseTo(av.value[2 * C + c]!, 9);
        else expect(v).toBeNaN();
      }
    for (let k = P * C; k < 2 * P * C; k++) expect(out[k]).toBeNaN();
    const parts = source.parts(clients[0]!, products[p]!, channels[0]!)!;
    expect(parts.uplift * parts.margin - parts.cost - parts.fatigue).toBeCloseTo(out[p * C]!, 6);
    expect(source.parts(clients[1]!, products[p]!, channels[0]!)).toBeUndefined();
  });

  it('builds the rows of clients it does not hold through rowsFor, once', async () => {
    const asked: string[][] = [];
    const source = ModelValueSource.live(new FormulaModel(), {
      modelVersion: 'v-live',
      rowsFor: async (ids) => {
        asked.push([...ids]);
        return examples;
      },
    });
    const clients = [client({ id: examples.clientIds[0] as ClientId })];
    const out = new Float64Array(P * C);
    await source.score(clients, products, channels, out);
    await source.score(clients, products, channels, out);
    expect(asked).toEqual([[examples.clientIds[0]]]);
    expect(out.some((v) => Number.isFinite(v))).toBe(true);
  });

  it('refuses a live source without a provider', () => {
    expect(() => ModelValueSource.live(new FormulaModel(), { modelVersion: 'x' })).toThrow(
      /live\(\) needs a rowsFor\(clientIds\) provider/,
    );
  });
});
