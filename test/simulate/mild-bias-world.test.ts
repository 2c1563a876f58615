import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_FILES } from '../../src/domain/contract.js';
import { readTruthMeta, truthMetaSchema } from '../../src/evaluate/truth-meta.js';
import { simulate } from '../../src/simulate/index.js';

/**
 * The mild-bias family against the default one, on two 3,000-client worlds of seed 1
 * (docs/simulator.md, "World families", gives the figures of seeds 1-3).
 */
const N = 3000;
const D = '2025-12-01';
type Row = Record<string, string>;
interface World {
  dir: string;
  files: Map<string, Row[]>;
}
const worlds: Record<'mild' | 'dflt', World> = {
  mild: { dir: '', files: new Map() },
  dflt: { dir: '', files: new Map() },
};

function parse(path: string): Row[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const cols = head!.split(',');
  // The files read here have no quoted field (verbatims.csv is not read).
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}
function t(w: World, file: string): Row[] {
  const rows = w.files.get(file);
  if (!rows) throw new Error(`${file} not loaded`);
  return rows;
}
const FILES = [
  'clients.csv',
  'solicitations.csv',
  'holdings.csv',
  'campaigns.csv',
  'truth/response.csv',
  'truth/clients.csv',
];

beforeAll(async () => {
  for (const [key, world] of [
    ['mild', 'mild-bias'],
    ['dflt', 'default'],
  ] as const) {
    const w = worlds[key];
    w.dir = await mkdtemp(join(tmpdir(), `nbg-sim-${world}-`));
    await simulate({ out: w.dir, clients: N, seed: 1, world });
    for (const f of FILES) w.files.set(f, parse(join(w.dir, f)));
  }
}, 120_000);
afterAll(async () => {
  for (const w of Object.values(worlds)) if (w.dir) await rm(w.dir, { recursive: true, force: true });
});

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
/** Average ranks (ties share their mean rank). */
function ranks(x: readonly number[]): number[] {
  const idx = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const r = new Array<number>(x.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]!] === x[idx[i]!]) j++;
    for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}
function upliftCorrelation(w: World): { pearson: number; spearman: number } {
  const rows = t(w, 'truth/response.csv');
  const p0 = rows.map((r) => Number(r.p_no_contact));
  const up = rows.map((r) => Number(r.p_contact) - Number(r.p_no_contact));
  return { pearson: pearson(p0, up), spearman: pearson(ranks(p0), ranks(up)) };
}
/** Contacts per client of affluent and private clients over those of the other segments. */
function favouredContactRatio(w: World): number {
  const seg = new Map(t(w, 'clients.csv').map((r) => [r.client_id!, r.segment!]));
  const fav = (id: string): boolean => seg.get(id) === 'affluent' || seg.get(id) === 'private';
  const clients = t(w, 'clients.csv');
  const sol = t(w, 'solicitations.csv');
  const nf = clients.filter((r) => fav(r.client_id!)).length;
  const cf = sol.filter((r) => fav(r.client_id!)).length;
  return cf / nf / ((sol.length - cf) / (clients.length - nf));
}
/** Share of (client, product) pairs whose p_contact < p_no_contact on every channel. */
function dogLikeShare(w: World): number {
  const allBelow = new Map<string, boolean>();
  for (const r of t(w, 'truth/response.csv')) {
    const k = `${r.client_id}|${r.product_id}`;
    allBelow.set(k, (allBelow.get(k) ?? true) && Number(r.p_contact) < Number(r.p_no_contact));
  }
  return [...allBelow.values()].filter(Boolean).length / allBelow.size;
}
/** Among one channel's truth rows of the given personas with p0 > 0: shares with p1 < p0 and p1 > p0. */
function channelEffectShares(w: World, channel: string, personas: readonly string[]) {
  const persona = new Map(t(w, 'truth/clients.csv').map((r) => [r.client_id!, r.persona!]));
  const rows = t(w, 'truth/response.csv').filter(
    (r) =>
      r.channel_id === channel && personas.includes(persona.get(r.client_id!)!) && Number(r.p_no_contact) > 0,
  );
  const neg = rows.filter((r) => Number(r.p_contact) < Number(r.p_no_contact)).length;
  const pos = rows.filter((r) => Number(r.p_contact) > Number(r.p_no_contact)).length;
  return { rows: rows.length, negative: neg / rows.length, positive: pos / rows.length };
}

describe('simulate --world mild-bias: monthly campaigns', () => {
  it('every solicitation is sent on the 1st of a month; D is 2025-12-01; campaigns cover calendar months', () => {
    const sol = t(worlds.mild, 'solicitations.csv');
    expect(sol.length).toBeGreaterThan(N);
    expect(sol.filter((r) => r.sent_at!.slice(8, 10) !== '01')).toHaveLength(0);
    expect(sol.filter((r) => r.sent_at!.startsWith(D)).length).toBeGreaterThan(100);
    const spans = new Set(t(worlds.mild, 'campaigns.csv').map((r) => `${r.started_at}..${r.ended_at}`));
    expect(spans.size).toBe(24);
    expect(spans.has('2024-02-01..2024-02-29')).toBe(true);
    expect(spans.has('2025-12-01..2025-12-30')).toBe(true);
  });

  it('truth/meta.json records the family and the rhythm, and the evaluation schema reads it', () => {
    const meta = readTruthMeta(worlds.mild.dir);
    expect(meta).toMatchObject({
      evaluationDate: D,
      horizonDays: 30,
      world: 'mild-bias',
      campaignRhythm: 'monthly',
      roundDays: null,
    });
    expect(readTruthMeta(worlds.dflt.dir)).toMatchObject({ world: 'default', campaignRhythm: 'fixed-days' });
    expect(truthMetaSchema.safeParse({ ...meta, campaignRhythm: 'weekly' }).success).toBe(false);
  });

  it('every row of the contract files parses with its schema', () => {
    for (const spec of CONTRACT_FILES) {
      if (!FILES.includes(spec.file)) continue;
      const bad = t(worlds.mild, spec.file).filter((r) => !spec.schema.safeParse(r).success).length;
      expect({ file: spec.file, bad }).toEqual({ file: spec.file, bad: 0 });
    }
  });

  it('outcomes at D follow the truth: spontaneous conversions of uncontacted pairs match sum p_no_contact', () => {
    const w = worlds.mild;
    const contacted = new Set(
      t(w, 'solicitations.csv')
        .filter((r) => r.sent_at!.startsWith(D))
        .map((r) => `${r.client_id}|${r.product_id}`),
    );
    const converted = new Set(
      t(w, 'holdings.csv')
        .filter((r) => r.opened_at! >= D && r.opened_at! < '2025-12-31')
        .map((r) => `${r.client_id}|${r.product_id}`),
    );
    let expected = 0;
    let variance = 0;
    let observed = 0;
    for (const r of t(w, 'truth/response.csv')) {
      const key = `${r.client_id}|${r.product_id}`;
      if (r.channel_id !== 'email' || contacted.has(key)) continue;
      const p = Number(r.p_no_contact);
      expected += p;
      variance += p * (1 - p);
      if (converted.has(key)) observed++;
    }
    expect(expected).toBeGreaterThan(40);
    expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt(variance));
  });
});

describe('simulate --world mild-bias: where the classic approach is strong', () => {
  it('p0 and the true uplift are positively correlated (about uncorrelated in the default world)', () => {
    const mild = upliftCorrelation(worlds.mild);
    const dflt = upliftCorrelation(worlds.dflt);
    // Seeds 1-3: mild-bias Spearman 0.51-0.53, Pearson 0.41-0.44; default 0.05 and -0.08 (seed 1).
    expect(mild.spearman).toBeGreaterThan(0.4);
    expect(mild.pearson).toBeGreaterThan(0.3);
    expect(dflt.spearman).toBeLessThan(0.15);
    expect(dflt.pearson).toBeLessThan(0.1);
  });

  it('the old targeting favours affluent and private clients mildly (1.2-2x, > 2.4x by default)', () => {
    const mild = favouredContactRatio(worlds.mild);
    expect(mild).toBeGreaterThan(1.2);
    expect(mild).toBeLessThan(2);
    expect(favouredContactRatio(worlds.dflt)).toBeGreaterThan(2.4);
  });

  it('response types are rare and not concentrated where the old targeting looks', () => {
    const w = worlds.mild;
    const seg = new Map(t(w, 'clients.csv').map((r) => [r.client_id!, r.segment!]));
    const rows = t(w, 'truth/response.csv').filter((r) => r.channel_id === 'email');
    const share = (type: string, pick: (r: Row) => boolean = () => true): number => {
      const sub = rows.filter(pick);
      return sub.filter((r) => r.response_type === type).length / sub.length;
    };
    expect(share('persuadable')).toBeGreaterThan(0.85);
    for (const type of ['sure_thing', 'lost_cause', 'sleeping_dog']) expect(share(type)).toBeLessThan(0.06);
    const fav = (r: Row): boolean =>
      seg.get(r.client_id!) === 'affluent' || seg.get(r.client_id!) === 'private';
    const odd = (pick: (r: Row) => boolean): number =>
      share('sure_thing', pick) + share('sleeping_dog', pick);
    const ratio = odd(fav) / odd((r) => !fav(r));
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('a phone call hurts students and young workers and helps retirees', () => {
    const young = channelEffectShares(worlds.mild, 'phone', ['etudiant', 'jeune_actif']);
    const old = channelEffectShares(worlds.mild, 'phone', ['retraite']);
    expect(young.rows).toBeGreaterThan(1000);
    expect(young.negative).toBeGreaterThan(0.9);
    expect(old.positive).toBeGreaterThan(0.9);
    // In the default world, phone helps every persuadable, young or not.
    expect(channelEffectShares(worlds.dflt, 'phone', ['etudiant', 'jeune_actif']).negative).toBeLessThan(0.1);
  });

  it('sleeping-dog-like pairs (p1 < p0 on every channel) are few (many more by default)', () => {
    expect(dogLikeShare(worlds.mild)).toBeLessThan(0.05);
    expect(dogLikeShare(worlds.dflt)).toBeGreaterThan(0.08);
  });
});
