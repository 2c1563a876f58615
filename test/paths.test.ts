import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { dataDir } from '../src/paths.js';

const saved = process.env.NBG_DATA_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.NBG_DATA_DIR;
  else process.env.NBG_DATA_DIR = saved;
});

describe('dataDir', () => {
  it('makes the value it is given absolute, default .nbg in the current directory', () => {
    expect(dataDir('/srv/nbg')).toBe('/srv/nbg');
    expect(dataDir('state')).toBe(resolve(process.cwd(), 'state'));
    expect(dataDir()).toBe(join(process.cwd(), '.nbg'));
  });

  it('does not read the environment itself: NBG_DATA_DIR comes through config.ts', () => {
    process.env.NBG_DATA_DIR = '/from/env';
    expect(dataDir()).toBe(join(process.cwd(), '.nbg'));
    expect(loadConfig(process.env).dataDir).toBe('/from/env');
    expect(loadConfig(process.env, { dataDir: '/from/flag' }).dataDir).toBe('/from/flag');
  });
});
