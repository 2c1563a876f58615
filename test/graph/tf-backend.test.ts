import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useTfBackend } from '../../graph/tf-backend.js';

describe('graph/tf-backend', () => {
  it('starts the backend it is asked for, and switches when asked for another', async () => {
    expect(await useTfBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(await useTfBackend('cpu', { fallback: 'cpu' })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const [a, b] = await Promise.all([useTfBackend('wasm'), useTfBackend('wasm')]);
    expect([a, b]).toEqual(['wasm', 'wasm']);
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2)).dataSync());
    expect(Array.from(y)).toEqual([1, 2, 3, 4]);
  });
});
