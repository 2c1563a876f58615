import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  latestSuiteDir,
  readSuiteManifest,
  type SuiteManifest,
  suiteVersion,
  writeSuite,
} from '../../../src/models/suite/model-store.js';

const manifest = (version: string): SuiteManifest => ({
  version,
  createdAt: '2026-11-25T10:00:00.000Z',
  featureSchemaVersion: 'f1',
  featureSchema: { pair: ['a'], channel: ['b'] },
  windowFrom: '2025-01-01',
  windowTo: '2025-12-01',
  trainingRows: 10,
  models: { uplift: 'dr-learner' },
  primary: 'uplift',
  metrics: { exposureEce: 0.01 },
});

describe('model store', () => {
  const root = mkdtempSync(join(tmpdir(), 'nbg-models-'));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('versions sort by time and differ by content', () => {
    const a = suiteVersion(new Date('2026-11-25T10:00:00.123Z'), 'x');
    const b = suiteVersion(new Date('2026-11-25T10:00:01Z'), 'x');
    expect(a).toMatch(/^m20261125T100000Z-[0-9a-f]{8}$/);
    expect(a < b).toBe(true);
    expect(suiteVersion(new Date('2026-11-25T10:00:00Z'), 'y')).not.toBe(
      suiteVersion(new Date('2026-11-25T10:00:00Z'), 'x'),
    );
  });

  it('writes a suite whole and finds the latest complete one', async () => {
    await writeSuite(root, manifest('m1'), async (dir) => writeFileSync(join(dir, 'w.bin'), 'x'));
    await writeSuite(root, manifest('m2'), async (dir) => writeFileSync(join(dir, 'w.bin'), 'y'));
    mkdirSync(join(root, 'm3')); // no suite.json: not a model
    expect(latestSuiteDir(root)).toBe(join(root, 'm2'));
    expect(readSuiteManifest(join(root, 'm2')).primary).toBe('uplift');
  });

  it('leaves nothing behind when saving a model fails', async () => {
    await expect(
      writeSuite(root, manifest('m9'), async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(existsSync(join(root, 'm9'))).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it('says how to get a model when there is none', () => {
    expect(latestSuiteDir(join(root, 'nothing'))).toBeUndefined();
    expect(() => readSuiteManifest(root)).toThrow(/no trained model in .*suite\.json is missing/);
  });
});
