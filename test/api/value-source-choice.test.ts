import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionValueSource } from '../../src/allocate/value-sources/action-value-source.js';
import { chooseValueSource } from '../../src/api/value-source-choice.js';
import { isNbgError } from '../../src/errors.js';

const dirs: string[] = [];
const dataDir = (suites: string[] = []): string => {
  const d = mkdtempSync(join(tmpdir(), 'nbg-api-choice-'));
  dirs.push(d);
  for (const v of suites) {
    mkdirSync(join(d, 'models', v), { recursive: true });
    writeFileSync(join(d, 'models', v, 'suite.json'), '{}');
  }
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const fake = (dir: string): ActionValueSource => ({
  name: 'fake',
  modelVersion: dir.split('/').at(-1) as string,
  score: () => {},
});

describe('chooseValueSource: the trained model when there is one, else the stand-in with a warning', () => {
  it('serves the stand-in and says why when nbg train wrote nothing', async () => {
    const c = await chooseValueSource({ dataDir: dataDir(), load: async (d) => fake(d) });
    expect([c.modelKind, c.values.name, c.values.modelVersion]).toEqual([
      'stand-in',
      'synthetic',
      'synthetic-1',
    ]);
    expect(c.warning).toMatch(/no trained model under .*models \(run nbg train\)/);
  });

  it('loads the latest complete suite (versions sort by time; a folder without suite.json is skipped)', async () => {
    const d = dataDir(['m20260101T000000Z-aaaaaaaa', 'm20260301T000000Z-bbbbbbbb']);
    mkdirSync(join(d, 'models', 'm20260401T000000Z-cccccccc'));
    const c = await chooseValueSource({ dataDir: d, load: async (dir) => fake(dir) });
    expect([c.modelKind, c.values.modelVersion, c.warning]).toEqual([
      'trained',
      'm20260301T000000Z-bbbbbbbb',
      undefined,
    ]);
  });

  it('falls back to the stand-in, naming the folder and the reason, when the latest does not load', async () => {
    const d = dataDir(['m20260101T000000Z-aaaaaaaa']);
    const c = await chooseValueSource({
      dataDir: d,
      load: async () => {
        throw new Error('weights truncated');
      },
    });
    expect(c.modelKind).toBe('stand-in');
    expect(c.warning).toContain('m20260101T000000Z-aaaaaaaa does not load (weights truncated)');
  });

  it('uses --model DIR as given', async () => {
    const d = dataDir(['m20260101T000000Z-aaaaaaaa', 'm20260301T000000Z-bbbbbbbb']);
    const dir = join(d, 'models', 'm20260101T000000Z-aaaaaaaa');
    const c = await chooseValueSource({ dataDir: d, modelDir: dir, load: async (x) => fake(x) });
    expect([c.modelKind, c.values.modelVersion, c.modelDir]).toEqual([
      'trained',
      'm20260101T000000Z-aaaaaaaa',
      dir,
    ]);
  });

  it.each([
    [
      'a --model folder that does not exist',
      (d: string) => join(d, 'nope'),
      true,
      /--model: .*nope does not exist/,
    ],
    ['a --model without a loader', (d: string) => d, false, /cannot load trained models/],
  ])('refuses %s', async (_name, dir, withLoader, message) => {
    const d = dataDir();
    let error: unknown;
    try {
      await chooseValueSource({
        dataDir: d,
        modelDir: dir(d),
        ...(withLoader ? { load: async (x: string) => fake(x) } : {}),
      });
    } catch (e) {
      error = e;
    }
    expect(isNbgError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
