import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tfBackend } from '../../../src/models/network/tf-backend.js';

describe('tfBackend', () => {
  it('starts the WASM backend from the installed package, once for every caller', async () => {
    const [a, b] = await Promise.all([tfBackend(), tfBackend()]);
    expect(a).toBe('wasm');
    expect(b).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const y = tf.tidy(() =>
      tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2])).dataSync(),
    );
    expect(Array.from(y)).toEqual([1, 2, 3, 4]);
  });
});
