import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { writeIndependentBank } from '../../fixtures/independent-bank/generate.js';

const MINI = 'test/fixtures/evaluate-mini';

describe('nbg evaluate', () => {
  let out = '';
  let err = '';
  let dir = '';
  beforeEach(() => {
    out = '';
    err = '';
    dir = mkdtempSync(join(tmpdir(), 'nbg-evaluate-'));
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err += String(s);
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('prints the comparison table and writes it as CSV', async () => {
    const csv = join(dir, 'table.csv');
    expect(await main(['evaluate', MINI, '--no-models', '--contacts', '2', '--out', csv])).toBe(0);
    expect(out).toMatch(
      /5 client-product pairs \(4 contactable\), 2 logged contacts; every policy gets 2 contacts/,
    );
    expect(out).toMatch(/truth-uplift oracle\s+2\s+0\.6\s+40\s/);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(
      /^policy,contacts,true_incremental_conversions,true_net_value,se_floor,dm,dm_lower,dm_upper,dm_relative_error,ips,/,
    );
    const oracle = lines[2]!.split(',');
    expect(oracle[0]).toBe('truth-uplift oracle');
    expect(Number(oracle[1])).toBe(2);
    expect(Number(oracle[2])).toBeCloseTo(0.6, 12);
    expect(Number(oracle[3])).toBeCloseTo(40, 10);
  });

  it('writes the full report as JSON', async () => {
    const json = join(dir, 'report.json');
    expect(await main(['evaluate', MINI, '--no-models', '--out', json, '--interval', 'bootstrap'])).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      contacts: number;
      comparisons: { policy: string }[];
    };
    expect(report.contacts).toBe(2);
    expect(report.comparisons).toHaveLength(5);
  });

  const BAD: [string, string[], RegExp][] = [
    ['no folder', ['evaluate'], /expected one folder, got 0/],
    ['two folders', ['evaluate', MINI, MINI], /expected one folder, got 2/],
    ['bad budget', ['evaluate', MINI, '--contacts', 'many'], /--contacts: expected an integer/],
    [
      'bad interval',
      ['evaluate', MINI, '--interval', 'exact'],
      /--interval: expected one of normal, bootstrap/,
    ],
    [
      'bad propensity source',
      ['evaluate', MINI, '--propensities', 'guess'],
      /--propensities: expected one of auto, truth, exposure/,
    ],
    ['folder without truth', ['evaluate', 'test/fixtures/obp'], /truth\/meta\.json: missing/],
  ];
  for (const [name, argv, message] of BAD) {
    it(`refuses ${name} with exit code 2`, async () => {
      expect(await main(argv)).toBe(2);
      expect(err).toMatch(message);
    });
  }

  it('trains the models on a folder no simulator made, scores every policy and draws the value curve', async () => {
    const bank = join(dir, 'bank');
    writeIndependentBank(bank, { clients: 1500, seed: 9 });
    const json = join(dir, 'report.json');
    expect(await main(['evaluate', bank, '--out', json])).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      propensitySource: string;
      contacts: number;
      comparisons: { policy: string; truth: { netValue: number; contacts: number } }[];
      segmentShares: { policy: string }[];
    };
    // truth/response.csv of this generator has no logging_propensity: the exposure model stands in.
    expect(report.propensitySource).toMatch(/^exposure model/);
    const names = report.comparisons.map((c) => c.policy);
    expect(names).toEqual([
      'uniform random',
      'naive conversion rate (segment-product)',
      'popularity',
      'classic per-product propensity',
      'matrix factorisation (ALS)',
      'graph neighbours',
      'nbg debiased uplift',
      'truth-uplift oracle',
    ]);
    const value = Object.fromEntries(report.comparisons.map((c) => [c.policy, c.truth.netValue]));
    for (const c of report.comparisons) expect(c.truth.contacts).toBeLessThanOrEqual(report.contacts + 1e-9);
    for (const name of names)
      expect(value['truth-uplift oracle']!).toBeGreaterThanOrEqual(value[name]! - 1e-9);
    // The folder has truth/, so the true value ranks: ours above uniform random by a share of the
    // oracle's value. Measured on this folder (1,500 clients, seed 9): ours 1,318, random −1,699,
    // oracle 13,082 EUR, so (ours − random) / oracle = 0.23 and ours / oracle = 0.10 (generator
    // seeds 1-3: 0.24 to 0.26 and 0.065 to 0.089). Random pays for costly channels, so a policy
    // that contacts random pairs through their cheapest channel already gets 0.14 above it: the
    // second bound (ours / oracle ≥ 0.05; such a policy: 0.01) is what needs our ranking of pairs.
    const ours = value['nbg debiased uplift']!;
    const random = value['uniform random']!;
    const oracle = value['truth-uplift oracle']!;
    expect((ours - random) / oracle).toBeGreaterThanOrEqual(0.15);
    expect(ours / oracle).toBeGreaterThanOrEqual(0.05);
    expect(report.segmentShares.map((s) => s.policy)).toEqual(names);
    const svg = readFileSync(join(dir, 'report.svg'), 'utf8');
    expect(svg.match(/<polyline /g)).toHaveLength(names.length);
    expect(out).toMatch(/Share of contacts over share of clients/);
  }, 300_000);
});
