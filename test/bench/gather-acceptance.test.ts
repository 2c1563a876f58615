import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  gatherAcceptance,
  type ResultReader,
  resultsReader,
  withGathered,
} from '../../bench/lib/gather-acceptance.js';
import type { BenchFigures } from '../../bench/lib/summary-table.js';

const bench = (date: string, f: Record<string, number | string | null>): BenchFigures => ({
  date,
  machine: 'test',
  ...f,
});
const peers = (seed: number, ratio: number): BenchFigures =>
  bench('2026-12-08', {
    loadAverage: '1.0 2.0 3.0',
    auucRatioVsBestPeer: ratio,
    seed,
    world: `world w${seed} (10,000 clients)`,
  });
const api = (worldSeed: number, clients = 100_000): BenchFigures =>
  bench('2026-12-09', {
    loadAverage: '0.5 0.6 0.7',
    clients,
    worldSeed,
    p95Ms: 25.5,
    p99Ms: 48,
    requestsPerSecond: 299.5,
    offeredRate: 300,
    connections: 50,
    loadErrors: 0,
  });
const planSpeed = (seed: number): BenchFigures =>
  bench('2026-12-07', {
    planSeconds100k: 41.2,
    clients: 100_000,
    seed,
    loadAverageStart: 0.4,
    loadAverageEnd: 1.1,
  });

/** The report-seed files of a complete gather, with `changes` replacing (or, undefined, removing) some. */
function files(changes: Record<string, BenchFigures | undefined> = {}): ResultReader {
  const all: Record<string, BenchFigures | undefined> = {
    'peers-uplift-s101.json': peers(101, 1.1),
    'peers-uplift-s102.json': peers(102, 0.97),
    'peers-uplift-s103.json': peers(103, 1.3),
    // a development seed's file is never gathered, whatever its ratio
    'peers-uplift-s1.json': peers(1, 0.2),
    'api.json': api(101),
    'plan-speed.json': planSpeed(102),
    ...changes,
  };
  return (file) => all[file];
}

describe('gatherAcceptance', () => {
  it('gathers every figure with its file, date, seed, size and load', () => {
    expect(gatherAcceptance(files())).toEqual({
      auucRatioVsBestPeerMin: 0.97,
      auucRatioVsBestPeerMinSource:
        'lowest of seed 102: peers-uplift-s101.json 2026-12-08 seed 101, world w101 (10,000 clients), load 1.0 2.0 3.0: 1.10; ' +
        'peers-uplift-s102.json 2026-12-08 seed 102, world w102 (10,000 clients), load 1.0 2.0 3.0: 0.970; ' +
        'peers-uplift-s103.json 2026-12-08 seed 103, world w103 (10,000 clients), load 1.0 2.0 3.0: 1.30',
      apiP95Ms: 25.5,
      apiP95MsSource:
        'api.json 2026-12-09 seed 101, 100,000 clients, 300 req/s offered over 50 connections, 0 errors, load 0.5 0.6 0.7',
      apiP99Ms: 48,
      apiP99MsSource:
        'api.json 2026-12-09 seed 101, 100,000 clients, 300 req/s offered over 50 connections, 0 errors, load 0.5 0.6 0.7',
      apiRequestsPerSecond: 299.5,
      apiRequestsPerSecondSource:
        'api.json 2026-12-09 seed 101, 100,000 clients, 300 req/s offered over 50 connections, 0 errors, load 0.5 0.6 0.7',
      planSeconds100k: 41.2,
      planSeconds100kSource:
        'plan-speed.json 2026-12-07 seed 102, 100,000 clients, load 0.4 before and 1.1 after',
    });
  });

  it('takes the lowest ratio of the three report seeds, wherever it is', () => {
    for (const [seed, expected] of [
      [101, 0.5],
      [103, 0.61],
    ] as const) {
      const g = gatherAcceptance(files({ [`peers-uplift-s${seed}.json`]: peers(seed, expected) }));
      expect(g.auucRatioVsBestPeerMin).toBe(expected);
      expect(g.auucRatioVsBestPeerMinSource).toMatch(new RegExp(`^lowest of seed ${seed}: `));
    }
  });

  it('names the world as the train rows when an older peers file did not record it', () => {
    const old = bench('2026-12-08', {
      loadAverage: '3.4 5.0 6.4',
      auucRatioVsBestPeer: 0.7,
      trainRows: 169712,
    });
    const g = gatherAcceptance(files({ 'peers-uplift-s103.json': old }));
    expect(g.auucRatioVsBestPeerMinSource).toContain(
      'peers-uplift-s103.json 2026-12-08 seed 103, world not recorded, 169,712 train rows, load 3.4 5.0 6.4: 0.700',
    );
  });

  const devApi = 'api.json (2026-12-09) is of seed 1, not a report seed (101, 102, 103)';
  const refused: [string, Record<string, BenchFigures | undefined>, Record<string, string>][] = [
    [
      'a development seed api.json',
      { 'api.json': api(1) },
      { apiP95MsMissing: devApi, apiP99MsMissing: devApi, apiRequestsPerSecondMissing: devApi },
    ],
    [
      'an api.json of a 10,000-client world',
      { 'api.json': api(102, 10_000) },
      {
        apiP95MsMissing: 'api.json (2026-12-09) is of a world of 10,000 clients, below 100,000',
      },
    ],
    [
      'a development seed plan-speed.json',
      { 'plan-speed.json': planSpeed(3) },
      {
        planSeconds100kMissing:
          'plan-speed.json (2026-12-07) is of seed 3, not a report seed (101, 102, 103)',
      },
    ],
    ['no api.json', { 'api.json': undefined }, { apiP99MsMissing: 'bench/results/api.json not found' }],
    [
      'no plan-speed.json',
      { 'plan-speed.json': undefined },
      { planSeconds100kMissing: 'bench/results/plan-speed.json not found' },
    ],
    [
      'an api.json whose load phase did not run',
      { 'api.json': bench('2026-12-09', { clients: 100_000, worldSeed: 101, p50Ms: 3 }) },
      { apiP95MsMissing: 'api.json (2026-12-09) has no p95Ms' },
    ],
    [
      'no peers-uplift file of seed 103',
      { 'peers-uplift-s103.json': undefined },
      {
        auucRatioVsBestPeerMinMissing:
          'bench/results/peers-uplift-s103.json not found; the lowest of the others is 0.970',
      },
    ],
  ];
  for (const [what, changes, notes] of refused)
    it(`leaves the figures out and says why for ${what}`, () => {
      const g = gatherAcceptance(files(changes));
      for (const [note, text] of Object.entries(notes)) {
        const key = note.slice(0, -'Missing'.length);
        expect(g[note]).toBe(text);
        expect(g[key]).toBeUndefined();
        expect(g[`${key}Source`]).toBeUndefined();
      }
    });
});

describe('resultsReader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nbg-gather-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a bench JSON, and gives undefined for a file that is not there', () => {
    writeFileSync(join(dir, 'api.json'), JSON.stringify(api(101)));
    const read = resultsReader(dir);
    expect(read('api.json')?.p95Ms).toBe(25.5);
    expect(read('plan-speed.json')).toBeUndefined();
  });

  it('refuses a file that is not a bench JSON, naming it', () => {
    writeFileSync(join(dir, 'plan-speed.json'), '{"planSeconds100k": 3');
    expect(() => resultsReader(dir)('plan-speed.json')).toThrow(
      `${join(dir, 'plan-speed.json')}: invalid JSON`,
    );
  });
});

describe('withGathered', () => {
  const gathered = gatherAcceptance(files({ 'api.json': api(1) }));

  it('replaces the gathered keys before date and keeps every other key where it was', () => {
    const decisions = {
      loadAverage: '1 1 1',
      predictedOverTrueMin: 0.9,
      apiP95Ms: 700,
      apiP95MsSource: 'an older api.json',
      planSeconds100kInBench: 71.5,
      planSeconds100k: 30,
      planSeconds100kSource: 'an older plan-speed.json',
      default_s101_10000_vsClassic: 1.6,
      date: '2026-12-08',
      machine: 'm',
    };
    const out = withGathered(decisions, gathered);
    expect(Object.keys(out)).toEqual([
      'loadAverage',
      'predictedOverTrueMin',
      'planSeconds100kInBench',
      'default_s101_10000_vsClassic',
      ...Object.keys(gathered),
      'date',
      'machine',
    ]);
    expect(out.planSeconds100kInBench).toBe(71.5);
    expect(out.planSeconds100k).toBe(41.2);
    // the dev-seed api.json leaves the older API figure out rather than keeping it
    expect(out.apiP95Ms).toBeUndefined();
    expect(out.apiP95MsSource).toBeUndefined();
    expect(out.apiP95MsMissing).toBe(gathered.apiP95MsMissing);
    expect(out.date).toBe('2026-12-08');
  });

  it("keeps a decisions.json of before the gather's own plan timing as planSeconds100kInBench", () => {
    const out = withGathered({ planSeconds100k: 71.5, vsOracleLpMin: 0.45, date: '2026-12-08' }, gathered);
    expect(out.planSeconds100kInBench).toBe(71.5);
    expect(out.planSeconds100k).toBe(41.2);
    expect(out.vsOracleLpMin).toBe(0.45);
  });
});
