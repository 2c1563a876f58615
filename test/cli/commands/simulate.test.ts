import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nbg-cli-sim-'));
  process.env.NBG_PROGRESS = '0';
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function capture(): { out: () => string; err: () => string; restore: () => void } {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  return {
    out: () => out,
    err: () => err,
    restore: () => {
      o.mockRestore();
      e.mockRestore();
    },
  };
}

describe('nbg simulate', () => {
  it('writes a world and prints the rows per file', async () => {
    const io = capture();
    const code = await main([
      'simulate',
      '--out',
      join(dir, 'w'),
      '--clients',
      '60',
      '--seed',
      'demo',
      '--logging-policy',
      'random',
      '--hide-propensities',
    ]);
    io.restore();
    expect(code).toBe(0);
    expect(io.out()).toMatch(/Simulated 60 clients \(seed demo\) of the default world/);
    expect(io.out()).toMatch(/evaluation date 2025-12-01/);
    const sol = readFileSync(join(dir, 'w', 'solicitations.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    expect(sol.length).toBeGreaterThan(0);
    // logging_propensity (7th column) is empty when hidden; truth keeps mu.
    for (const line of sol) expect(line.split(',')[6]).toBe('');
    const meta = JSON.parse(readFileSync(join(dir, 'w', 'truth', 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({
      loggingPolicy: 'random',
      clients: 60,
      seed: 'demo',
      horizonDays: 30,
      world: 'default',
      campaignRhythm: 'fixed-days',
      roundDays: 14,
    });
  });

  it('--world mild-bias writes a monthly world and says so in truth/meta.json', async () => {
    const io = capture();
    const code = await main(['simulate', '--out', join(dir, 'm'), '--clients', '40', '--world', 'mild-bias']);
    io.restore();
    expect(code).toBe(0);
    expect(io.out()).toMatch(/Simulated 40 clients \(seed 42\) of the mild-bias world/);
    const meta = JSON.parse(readFileSync(join(dir, 'm', 'truth', 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({
      world: 'mild-bias',
      campaignRhythm: 'monthly',
      roundDays: null,
      evaluationDate: '2025-12-01',
    });
    const campaigns = readFileSync(join(dir, 'm', 'campaigns.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    // One campaign per (month, product, channel): 24 monthly rounds from 2024-01 to 2025-12.
    expect(new Set(campaigns.map((l) => l.split(',')[3])).size).toBe(24);
  });

  it.each([
    [['simulate'], /--out is required/],
    [['simulate', '--out', 'x', '--world', 'harsh'], /--world: expected one of default, mild-bias/],
    [
      ['simulate', '--out', 'x', '--clients', '0'],
      /--clients: expected an integer from 1 to 20000000, got "0"/,
    ],
    [['simulate', '--out', 'x', '--clients', 'many'], /--clients: expected an integer/],
    [['simulate', '--out', 'x', '--logging-policy', 'greedy'], /one of biased, random, mixed/],
    [['simulate', '--out', 'x', '--exploration', '2'], /--exploration: expected a number from 0 to 1/],
    [['simulate', '--out', 'x', '--months', '1'], /--months: expected an integer from 3 to 120/],
    [['simulate', '--out', 'x', '--start', '2024-02-03'], /startDate must be the first day of a month/],
  ])('refuses %j with exit code 2', async (argv, message) => {
    const io = capture();
    const code = await main(argv);
    io.restore();
    expect(code).toBe(2);
    expect(io.err()).toMatch(message);
  });
});
