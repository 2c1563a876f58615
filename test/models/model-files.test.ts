import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFiles, saveModelFiles } from '../../src/models/model-files.js';
import { loadModel } from '../../src/models/suite/load-model.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nbg-model-files-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const files = {
  description: {
    kind: 'test-kind',
    featureSchemaVersion: 'v1',
    options: { a: 1 },
    metrics: { ece: 0.01, missing: Number.NaN },
  },
  state: { ids: ['x', 'y'] },
  arrays: {
    w32: Float32Array.from([1.5, -2, 3e-8]),
    w64: Float64Array.from([Math.PI, -1e300]),
    idx: Int32Array.from([7, -1]),
  },
};

describe('model files', () => {
  it('round-trips the description, state and typed arrays exactly', async () => {
    const dir = join(root, 'm1');
    await saveModelFiles(dir, files);
    const back = await readModelFiles(dir);
    expect(back.description.kind).toBe('test-kind');
    expect(back.description.metrics.ece).toBe(0.01);
    expect(Number.isNaN(back.description.metrics.missing)).toBe(true);
    expect(back.state).toEqual({ ids: ['x', 'y'] });
    expect(back.arrays.w32).toEqual(files.arrays.w32);
    expect(back.arrays.w64).toEqual(files.arrays.w64);
    expect(back.arrays.idx).toEqual(files.arrays.idx);
  });

  it('replaces an existing model whole and leaves no temporary folder', async () => {
    const dir = join(root, 'm2');
    await saveModelFiles(dir, files);
    await saveModelFiles(dir, { ...files, arrays: { only: Float64Array.from([1]) } });
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'only.f64']);
    expect((await readdir(root)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it.each([
    ['no model', async (dir: string) => dir, /no model at/],
    [
      'a truncated weight file',
      async (dir: string) => {
        await saveModelFiles(dir, files);
        await writeFile(join(dir, 'w64.f64'), Buffer.alloc(8));
        return dir;
      },
      /w64.f64 has 8 bytes, expected 16/,
    ],
    [
      'an unknown kind',
      async (dir: string) => {
        await saveModelFiles(dir, files);
        return dir;
      },
      /kind "test-kind", which this version cannot load/,
    ],
    [
      'a manifest of another format',
      async (dir: string) => {
        await saveModelFiles(dir, files);
        await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 99 }));
        return dir;
      },
      /format: .*\(format 1 expected\)/,
    ],
  ] as const)('loadModel refuses %s', async (name, prepare, msg) => {
    const dir = await prepare(join(root, `bad-${name.replace(/\W/g, '')}`));
    await expect(loadModel(dir)).rejects.toThrow(msg);
  });
});
