import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassicPropensity } from '../../../src/models/baselines/classic-propensity.js';
import { Popularity } from '../../../src/models/baselines/popularity.js';
import type { OutcomeModel } from '../../../src/models/model.js';
import { loadModel } from '../../../src/models/suite/load-model.js';
import { syntheticExamples } from '../synthetic-examples.js';

const { examples: train, truth } = syntheticExamples({ n: 20_000, seed: 7 });
const { examples: decide } = syntheticExamples({ n: 2_000, seed: 8, kind: 'decide' });
const C = train.channelIds.length;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nbg-baselines-'));
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Popularity', () => {
  it('scores each product by its weighted conversion rate, with and without a contact', async () => {
    const m = new Popularity();
    await m.fit(train);
    let num = 0;
    let den = 0;
    for (let i = 0; i < train.n; i++)
      if (train.product[i] === 2) {
        num += train.outcome[i] as number;
        den++;
      }
    const s = await m.predict(decide);
    const row = decide.product.indexOf(2);
    expect(s.pNoContact[row]).toBeCloseTo(num / den, 6);
    expect(Array.from(s.pContact.subarray(row * C, row * C + C))).toEqual(
      new Array(C).fill(s.pNoContact[row]),
    );
    const value = await m.actionValue(decide);
    expect(value[row * C + 2]).toBeCloseTo(
      (num / den) * (decide.margin[2] as number) - (decide.channelCost[2] as number),
      4,
    );
  });
});

describe('ClassicPropensity', () => {
  const m = new ClassicPropensity();
  beforeAll(async () => {
    await m.fit(train);
  }, 180_000);

  it('fits P(convert | contacted) on the contacted rows: mean prediction = their conversion rate', async () => {
    const s = await m.predict(train);
    let pred = 0;
    let obs = 0;
    let n = 0;
    for (let i = 0; i < train.n; i++) {
      const t = train.treatment[i] as number;
      if (t < 0) continue;
      pred += s.pContact[i * C + t] as number;
      obs += train.outcome[i] as number;
      n++;
    }
    expect(pred / n).toBeCloseTo(obs / n, 2);
    expect(Array.from(s.pNoContact.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
  });

  it('inherits the bias: it credits the contact with conversions that happen anyway', async () => {
    // it takes the whole conversion probability as the effect of a branch contact: measured 1.69
    // times the true mean uplift on this world
    const s = await m.predict(train);
    let classic = 0;
    let uplift = 0;
    for (let i = 0; i < train.n; i++) {
      classic += s.pContact[i * C] as number;
      uplift += (truth.p1[i * C] as number) - (truth.p0[i] as number);
    }
    expect(classic / uplift).toBeGreaterThan(1.5);
  });

  it('ranks by pContact × margin − cost', async () => {
    const s = await m.predict(decide);
    const v = await m.actionValue(decide);
    const p = decide.product[10] as number;
    expect(v[10 * C + 1]).toBeCloseTo(
      (s.pContact[10 * C + 1] as number) * (decide.margin[p] as number) - (decide.channelCost[1] as number),
      4,
    );
  });
});

describe('save and loadModel round-trip the baselines', () => {
  it.each([
    ['popularity', () => new Popularity()],
    ['classic-propensity', () => new ClassicPropensity()],
  ] as const)('%s', async (kind, make) => {
    const m: OutcomeModel = make();
    await m.fit(train);
    const at = join(dir, kind);
    await m.save(at);
    const back = (await loadModel(at)) as OutcomeModel;
    expect(back.kind).toBe(kind);
    const a = await m.predict(decide);
    const b = await back.predict(decide);
    expect(Array.from(b.pContact)).toEqual(Array.from(a.pContact));
    expect(Array.from(b.pNoContact)).toEqual(Array.from(a.pNoContact));
    expect(back.describe()).toEqual(m.describe());
  });
});

describe('baselines refuse bad input', () => {
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['popularity: empty table', () => new Popularity().fit({ ...train, n: 0 }), /no rows/],
    [
      'classic: wrong xc shape',
      () => new ClassicPropensity().fit({ ...train, xc: train.xc.subarray(2) }),
      /xc has length/,
    ],
    ['popularity: not fitted', () => new Popularity().predict(decide), /not fitted/],
    [
      'classic: schema version on predict',
      async () => {
        const m = new ClassicPropensity();
        await m.fit(train);
        return m.predict({ ...decide, schema: { ...decide.schema, version: 'other' } });
      },
      /feature schema version other differs/,
    ],
  ];
  it.each(cases)('%s', async (_name, run, msg) => {
    await expect(run()).rejects.toThrow(msg);
  });
});
