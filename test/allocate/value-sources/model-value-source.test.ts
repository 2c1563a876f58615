import { describe, expect, it } from 'vitest';
import { ModelValueSource } from '../../../src/allocate/value-sources/model-value-source.js';
import type { ChannelInfo, ProductInfo } from '../../../src/domain/catalog.js';
import type { ClientId } from '../../../src/domain/ids.js';
import type { UpliftExamples } from '../../../src/features/examples.js';
import { ClassicPropensity } from '../../../src/models/baselines/classic-propensity.js';
import type { ActionScores } from '../../../src/models/model.js';
import { actionValues } from '../../../src/models/value/action-value.js';
import { channel, client, product } from '../../constraints/fixtures.js';
import { FormulaModel } from '../../models/formula-model.js';
import { syntheticExamples } from '../../models/synthetic-examples.js';

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

  it('decomposes a score against the classic model: its propensity, and the debiased probability over it', async () => {
    const model = new FormulaModel();
    // a classic model that ranks every contact at 0.05, whatever the channel
    const classic = new (class extends FormulaModel {
      override async predict(rows: UpliftExamples): Promise<ActionScores> {
        return {
          pContact: new Float32Array(rows.n * rows.channelIds.length).fill(0.05),
          pNoContact: new Float32Array(rows.n).fill(0.05),
        };
      }
    })();
    const plain = await ModelValueSource.fromRows(model, examples, { modelVersion: 'v' });
    const decomposed = await ModelValueSource.fromRows(model, examples, { modelVersion: 'v', classic });
    const who = client({ id: examples.clientIds[2] as ClientId });
    const p = products[examples.product[2]!]!;
    const debiased = (await model.predict(examples)).pContact[2 * C + 1]!;
    expect(plain.parts(who, p, channels[1]!)).toMatchObject({ propensity: debiased, exposureCorrection: 1 });
    const parts = decomposed.parts(who, p, channels[1]!)!;
    expect(parts.propensity).toBeCloseTo(0.05, 7);
    expect(parts.exposureCorrection).toBeCloseTo(debiased / Math.fround(0.05), 6);
    // the value does not depend on the classic model
    const a = new Float64Array(P * C);
    const b = new Float64Array(P * C);
    await plain.score([who], products, channels, a);
    await decomposed.score([who], products, channels, b);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('refuses a live source without a provider', () => {
    expect(() => ModelValueSource.live(new FormulaModel(), { modelVersion: 'x' })).toThrow(
      /live\(\) needs a rowsFor\(clientIds\) provider/,
    );
  });

  it("values a baseline's actions by what it ranks by (valuation 'baseline'): pContact × margin − cost", async () => {
    const classic = new ClassicPropensity();
    await classic.fit(syntheticExamples({ n: 600, seed: 4 }).examples);
    const source = await ModelValueSource.fromRows(classic, examples, {
      modelVersion: 'v-classic',
      valuation: 'baseline',
    });
    const announced = await classic.actionValue(examples);
    const scores = await classic.predict(examples);
    const out = new Float64Array(examples.n * P * C);
    const clients = examples.clientIds.map((id) => client({ id: id as ClientId }));
    await source.score(clients, products, channels, out);
    for (let i = 0; i < examples.n; i++)
      for (let c = 0; c < C; c++) {
        const k = (examples.client[i]! * P + examples.product[i]!) * C + c;
        expect(out[k]).toBe(announced[i * C + c]);
        const parts = source.parts(
          clients[examples.client[i]!]!,
          products[examples.product[i]!]!,
          channels[c]!,
        )!;
        expect(parts.fatigue).toBe(0);
        expect(parts.uplift).toBeCloseTo(scores.pContact[i * C + c]! - scores.pNoContact[i]!, 7);
      }
    expect(new Set(announced).size).toBeGreaterThan(examples.n); // not a constant
    await expect(
      ModelValueSource.fromRows(new FormulaModel(), examples, { modelVersion: 'v', valuation: 'baseline' }),
    ).rejects.toThrow(/valuation 'baseline' needs a baseline model \(with actionValue\), got test-formula/);
  });

  it('computes the moment only when asked for (actionValue.waitDays), and then tells it', async () => {
    let scored = 0;
    const counting = new (class extends FormulaModel {
      override async predict(rows: UpliftExamples): Promise<ActionScores> {
        scored += rows.n;
        return super.predict(rows);
      }
    })();
    const plain = await ModelValueSource.fromRows(counting, examples, { modelVersion: 'v' });
    const withoutMoment = scored;
    scored = 0;
    const timed = await ModelValueSource.fromRows(counting, examples, {
      modelVersion: 'v',
      actionValue: { waitDays: [7, 14] },
    });
    // two more passes over the table, one per day considered
    expect(scored - withoutMoment).toBe(2 * examples.n);
    const av = await actionValues(new FormulaModel(), examples, { waitDays: [7, 14] });
    const who = client({ id: examples.clientIds[3] as ClientId });
    const p = products[examples.product[3]!]!;
    expect(timed.suggestedWait(who, p)).toBe(av.waitDays[3]);
    expect(plain.suggestedWait(who, p)).toBeUndefined();
    const a = new Float64Array(P * C);
    const b = new Float64Array(P * C);
    await plain.score([who], products, channels, a);
    await timed.score([who], products, channels, b);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
