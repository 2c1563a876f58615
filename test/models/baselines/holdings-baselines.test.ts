import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphNeighbours } from '../../../src/models/baselines/graph-neighbours.js';
import {
  fitImplicitAls,
  foldInUsers,
  type SparseRows,
  transposeSparse,
} from '../../../src/models/baselines/implicit-als.js';
import { MatrixFactorisation } from '../../../src/models/baselines/matrix-factorisation.js';
import { recallAtK, splitHeldOut } from '../../../src/models/baselines/recall-at-k.js';
import type { OutcomeModel } from '../../../src/models/model.js';
import { loadModel } from '../../../src/models/suite/load-model.js';
import { holdingsExamples } from './holdings-examples.js';

const { examples, typical } = holdingsExamples(600, 3);
const { examples: other, typical: otherTypical } = holdingsExamples(300, 4);
const C = examples.channelIds.length;

/** Mean pContact of rows whose product is typical of the client's persona, and of the others. */
function meanByTypical(pContact: Float32Array, t: Uint8Array): [number, number] {
  const s = [0, 0];
  const n = [0, 0];
  for (let i = 0; i < t.length; i++) {
    s[t[i] as number]! += pContact[i * C] as number;
    n[t[i] as number]!++;
  }
  return [(s[1] as number) / (n[1] as number), (s[0] as number) / (n[0] as number)];
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nbg-holdings-'));
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A 3-block holdings matrix: users of block b hold items 3b … 3b + 2 (each with probability 0.9). */
function blocks(nUsers: number): SparseRows {
  const lists: number[][] = [];
  let s = 7;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  for (let u = 0; u < nUsers; u++) {
    const b = u % 3;
    lists.push([0, 1, 2].map((q) => 3 * b + q).filter(() => next() < 0.9));
  }
  const indptr = new Int32Array(nUsers + 1);
  lists.forEach((l, u) => {
    indptr[u + 1] = (indptr[u] as number) + l.length;
  });
  return {
    nRows: nUsers,
    nCols: 9,
    indptr,
    indices: Int32Array.from(lists.flat()),
    values: new Float32Array(indptr[nUsers] as number).fill(1),
  };
}

describe('implicit ALS and recall@k', () => {
  it('recovers block structure: held-out items ranked first (recall@2 = 1 on 3 clean blocks)', () => {
    const { train, test } = splitHeldOut(blocks(300), 0.3, 1);
    const fit = fitImplicitAls(train, { factors: 8, seed: 1 });
    const f = fit.factors;
    const score = (u: number, out: Float32Array) => {
      for (let i = 0; i < 9; i++) {
        let s = 0;
        for (let a = 0; a < f; a++)
          s += (fit.userFactors[u * f + a] as number) * (fit.itemFactors[i * f + a] as number);
        out[i] = s;
      }
    };
    expect(recallAtK(train, test, score, 2)).toBe(1);
    // popularity (the same scores for everyone) cannot: it ranks other blocks' items too
    expect(recallAtK(train, test, (_u, out) => out.fill(0), 2)).toBeLessThan(0.5);
  });

  it('folds users in consistently with the fitted user factors (scores agree to 0.05)', () => {
    const m = blocks(90);
    const fit = fitImplicitAls(m, { factors: 4, iterations: 30, cgSteps: 4, seed: 2 });
    const folded = foldInUsers(m, fit.itemFactors, 4, { regularization: 100, alpha: 40 });
    let worst = 0;
    for (let u = 0; u < 90; u++)
      for (let i = 0; i < 9; i++) {
        let a = 0;
        let b = 0;
        for (let q = 0; q < 4; q++) {
          a += (fit.userFactors[u * 4 + q] as number) * (fit.itemFactors[i * 4 + q] as number);
          b += (folded[u * 4 + q] as number) * (fit.itemFactors[i * 4 + q] as number);
        }
        worst = Math.max(worst, Math.abs(a - b));
      }
    expect(worst).toBeLessThan(0.05);
  });

  it('transposes a sparse matrix', () => {
    const t = transposeSparse({
      nRows: 2,
      nCols: 3,
      indptr: Int32Array.from([0, 2, 3]),
      indices: Int32Array.from([0, 2, 2]),
      values: Float32Array.from([1, 2, 3]),
    });
    expect(Array.from(t.indptr)).toEqual([0, 1, 1, 3]);
    expect(Array.from(t.indices)).toEqual([0, 0, 1]);
    expect(Array.from(t.values)).toEqual([1, 2, 3]);
  });

  it.each([
    [
      'indptr',
      {
        nRows: 2,
        nCols: 2,
        indptr: Int32Array.from([0, 1]),
        indices: Int32Array.from([0]),
        values: Float32Array.from([1]),
      },
      /indptr has 2 entries, expected nRows \+ 1 = 3/,
    ],
    [
      'column',
      {
        nRows: 1,
        nCols: 2,
        indptr: Int32Array.from([0, 1]),
        indices: Int32Array.from([5]),
        values: Float32Array.from([1]),
      },
      /column 5 at entry 0 is outside 0..1/,
    ],
    [
      'value',
      {
        nRows: 1,
        nCols: 2,
        indptr: Int32Array.from([0, 1]),
        indices: Int32Array.from([0]),
        values: Float32Array.from([0]),
      },
      /values must be > 0/,
    ],
  ] as const)('refuses a bad matrix: %s', (_n, m, msg) => {
    expect(() => fitImplicitAls(m)).toThrow(msg);
  });
});

describe.each([
  ['matrix-factorisation', () => new MatrixFactorisation({ factors: 8, seed: 1 })],
  ['graph-neighbours', () => new GraphNeighbours({ k: 15, seed: 1 })],
] as const)('%s', (kind, make) => {
  const m: OutcomeModel = make();
  beforeAll(async () => {
    await m.fit(examples);
  }, 180_000);

  it('scores the products typical of a client’s persona well above the others (new clients too)', async () => {
    for (const [rows, t] of [
      [examples, typical],
      [other, otherTypical],
    ] as const) {
      const s = await m.predict(rows);
      const [typ, atyp] = meanByTypical(s.pContact, t);
      expect(typ).toBeGreaterThan(atyp + 0.3);
      expect(Number.isNaN(s.pNoContact[0] as number)).toBe(true);
    }
  });

  it('predicts identically after save and loadModel', async () => {
    await m.save(join(dir, kind));
    const back = (await loadModel(join(dir, kind))) as OutcomeModel;
    expect(back.kind).toBe(kind);
    const a = await m.predict(other);
    const b = await back.predict(other);
    expect(Array.from(b.pContact)).toEqual(Array.from(a.pContact));
  });

  it('refuses a table without holds_<product> features', async () => {
    const bad = {
      ...examples,
      schema: { ...examples.schema, pair: examples.schema.pair.map((p) => p.replace('holds_', 'had_')) },
    };
    await expect(make().fit(bad)).rejects.toThrow(/no pair feature holds_P0/);
  });
});
