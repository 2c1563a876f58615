import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { nearestCentroids, sphericalKMeans } from '../../../graph/similarity/spherical-k-means.js';

/** 3 x 40 unit rows around the axes e0, e1, e2 of R^4, interleaved. */
function threeGroups(): Float32Array {
  let s = 17;
  const next = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const v = new Float32Array(120 * 4);
  for (let i = 0; i < 120; i++) {
    const row = v.subarray(i * 4, i * 4 + 4);
    for (let j = 0; j < 4; j++) row[j] = 0.1 * next();
    row[i % 3]! += 1;
    const norm = Math.hypot(...row);
    for (let j = 0; j < 4; j++) row[j]! /= norm;
  }
  return v;
}

describe('graph/similarity/spherical-k-means', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });

  it('finds three planted groups, the same for the same seed', () => {
    const v = threeGroups();
    const a = sphericalKMeans(v, 4, { clusters: 3, seed: 1 });
    const b = sphericalKMeans(v, 4, { clusters: 3, seed: 1 });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    // Every row of one planted group shares a cluster, and the three groups differ.
    const label = [a.assignment[0], a.assignment[1], a.assignment[2]];
    expect(new Set(label).size).toBe(3);
    for (let i = 0; i < 120; i++) expect(a.assignment[i]).toBe(label[i % 3]);
    // Centroids are unit vectors near their axis.
    for (let c = 0; c < 3; c++) {
      const row = a.centroids.subarray(c * 4, c * 4 + 4);
      expect(Math.hypot(...row)).toBeCloseTo(1, 5);
      expect(Math.max(...row)).toBeGreaterThan(0.95);
    }
  });

  it('lists the nearest centroids best first', () => {
    const centroids = Float32Array.from([1, 0, 0, 1, Math.SQRT1_2, Math.SQRT1_2]);
    const rows = Float32Array.from([0.9, 0.1, 0.1, 0.9]);
    expect(Array.from(nearestCentroids(rows, 2, centroids, 2))).toEqual([0, 2, 1, 2]);
  });

  const v = threeGroups();
  const bad: [string, () => unknown, RegExp][] = [
    [
      'zero clusters',
      () => sphericalKMeans(v, 4, { clusters: 0 }),
      /clusters must be an integer in \[1, 120\], got 0/,
    ],
    [
      'more clusters than rows',
      () => sphericalKMeans(v, 4, { clusters: 121 }),
      /clusters must be an integer in \[1, 120\]/,
    ],
    [
      'a ragged array',
      () => sphericalKMeans(v.subarray(0, 7), 4),
      /rows length 7 is not a multiple of dim 4/,
    ],
    [
      'too many probes',
      () => nearestCentroids(v, 4, v.subarray(0, 8), 3),
      /probes must be an integer in \[1, 2\], got 3/,
    ],
  ];
  it.each(bad)('refuses %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
