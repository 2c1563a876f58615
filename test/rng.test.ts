import { describe, expect, it } from 'vitest';
import { createRng, hashString } from '../src/rng.js';

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(createRng('bank').next()).toBe(createRng(hashString('bank')).next());
  });

  it('forks independent, stable streams by label (a fork of a fork is not its parent)', () => {
    const root = createRng(7);
    const f1 = root.fork('clients').next();
    root.next(); // drawing from the parent does not move its forks
    expect(root.fork('clients').next()).toBe(f1);
    expect(root.fork('events').next()).not.toBe(f1);
    expect(root.fork('x').fork('x').seed).not.toBe(root.seed);
  });

  it('draws with the right moments (n = 200,000)', () => {
    const r = createRng(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let p = 0;
    let po = 0;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      const z = r.normal();
      s += z;
      s2 += z * z;
      if (r.bernoulli(0.3)) p++;
      po += r.poisson(4);
      counts[r.weighted([1, 2, 7])]!++;
    }
    expect(s / n).toBeCloseTo(0, 2);
    expect(s2 / n).toBeCloseTo(1, 1);
    expect(p / n).toBeCloseTo(0.3, 2);
    expect(po / n).toBeCloseTo(4, 1);
    expect(counts.map((c) => c / n)).toEqual([
      expect.closeTo(0.1, 2),
      expect.closeTo(0.2, 2),
      expect.closeTo(0.7, 2),
    ]);
  });

  it.each([
    ['int(0)', () => createRng(1).int(0), /int\(n\) needs n >= 1, got 0/],
    ['poisson(-1)', () => createRng(1).poisson(-1), /lambda >= 0, got -1/],
    ['weighted([0, 0])', () => createRng(1).weighted([0, 0]), /positive sum/],
    ['seed NaN', () => createRng(Number.NaN), /seed must be a finite number/],
  ])('%s throws a RangeError naming the value', (_name, fn, msg) => {
    expect(fn).toThrow(msg);
  });
});
