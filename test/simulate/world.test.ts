import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/csv/reader.js';
import { CONTRACT_FILES } from '../../src/domain/contract.js';
import { policySchema } from '../../src/domain/policy.js';
import { WORLD } from '../../src/simulate/config.js';
import { type SimulationSummary, simulate } from '../../src/simulate/index.js';

/**
 * Realism, contract and causal checks on one small world (3,000 clients, seed 11). The ranges are
 * those documented in docs/simulator.md ("Plausible ranges").
 */
const N = 3000;
let dir = '';
let summary: SimulationSummary;
type Column =
  | 'client_id'
  | 'product_id'
  | 'channel_id'
  | 'segment'
  | 'status'
  | 'at'
  | 'outcome'
  | 'outcome_at'
  | 'sent_at'
  | 'logging_propensity'
  | 'opened_at'
  | 'closed_at'
  | 'account_type'
  | 'balance'
  | 'score'
  | 'text'
  | 'type'
  | 'satisfaction'
  | 'p_contact'
  | 'p_no_contact'
  | 'unit_value'
  | 'cost_per_contact';
/** A CSV row by column name; the named columns are always present in the files that have them. */
type Row = Record<Column, string> & Record<string, string | undefined>;
const tables = new Map<string, Row[]>();

async function load(path: string): Promise<Row[]> {
  const rows: Row[] = [];
  let header: string[] | undefined;
  for await (const batch of readCsv(path)) {
    for (const rec of batch) {
      if (!header) {
        header = rec.fields;
        continue;
      }
      const row: Record<string, string> = {};
      header.forEach((h, i) => {
        row[h] = rec.fields[i] ?? '';
      });
      rows.push(row as Row);
    }
  }
  return rows;
}

function t(name: string): Row[] {
  const rows = tables.get(name);
  if (!rows) throw new Error(`table ${name} not loaded`);
  return rows;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nbg-sim-'));
  summary = await simulate({ out: dir, clients: N, seed: 11 });
  for (const f of [...CONTRACT_FILES.map((s) => s.file), 'truth/response.csv', 'truth/clients.csv']) {
    tables.set(f, await load(join(dir, f)));
  }
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('simulate: the data contract', () => {
  it('writes every contract file with the contract header, and every row parses with its schema', async () => {
    for (const spec of CONTRACT_FILES) {
      const text = await readFile(join(dir, spec.file), 'utf8');
      expect(text.slice(0, text.indexOf('\n'))).toBe(spec.columns.join(','));
      let bad = 0;
      for (const row of t(spec.file)) if (!spec.schema.safeParse(row).success) bad++;
      expect({ file: spec.file, bad }).toEqual({ file: spec.file, bad: 0 });
    }
  });

  it('keys are unique and references resolve', () => {
    for (const spec of CONTRACT_FILES) {
      if (spec.key) {
        const keys = new Set(t(spec.file).map((r) => spec.key!.map((k) => r[k]).join('|')));
        expect(keys.size).toBe(t(spec.file).length);
      }
      for (const [col, target] of Object.entries(spec.references)) {
        const targetSpec = CONTRACT_FILES.find((s) => s.file === target)!;
        const ids = new Set(t(target).map((r) => r[targetSpec.key![0]!]));
        const missing = t(spec.file).filter((r) => r[col] !== '' && !ids.has(r[col]!));
        expect({ file: spec.file, col, missing: missing.length }).toEqual({
          file: spec.file,
          col,
          missing: 0,
        });
      }
    }
  });

  it('writes a valid policy.json and truth/meta.json with the evaluation date', () => {
    const policy = policySchema.parse(JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8')));
    expect(policy.horizonDays).toBe(30);
    expect(policy.maxSegmentShareRatio).toBe(1.5);
    const meta = JSON.parse(readFileSync(join(dir, 'truth/meta.json'), 'utf8'));
    expect(meta.evaluationDate).toBe('2025-12-01');
    expect(meta.horizonDays).toBe(30);
    expect(summary.evaluationDate).toBe('2025-12-01');
    expect(t('clients.csv')).toHaveLength(N);
    expect(t('truth/clients.csv')).toHaveLength(N);
  });

  it('has between 30 and 140 rows per client over all files (balances the bulk)', () => {
    const perClient = summary.totalRows / N;
    expect(perClient).toBeGreaterThan(30);
    expect(perClient).toBeLessThan(140);
    expect(summary.rows['balances.csv']!).toBeGreaterThan(summary.rows['events.csv']!);
  });
});

describe('simulate: plausible ranges', () => {
  const D = '2025-12-01';
  it('contacts per client per year in [1, 8]; conversion among contacts in [0.5%, 10%]', () => {
    const sol = t('solicitations.csv');
    const perYear = sol.length / N / (23 / 12);
    expect(perYear).toBeGreaterThan(1);
    expect(perYear).toBeLessThan(8);
    const conv = sol.filter((r) => r.outcome === 'converted').length / sol.length;
    expect(conv).toBeGreaterThan(0.005);
    expect(conv).toBeLessThan(0.1);
    const refused = sol.filter((r) => r.outcome === 'refused').length / sol.length;
    expect(refused).toBeGreaterThan(0.01);
    expect(refused).toBeLessThan(0.12);
  });

  it('opt-outs per contact in [0.2%, 5%]', () => {
    const optOuts = t('consents.csv').filter(
      (r) => r.status === 'refused' && r.at.slice(0, 10) >= '2024-01-01',
    );
    // joining-time refusals of new clients are also after the start; count refusals at a contact instant
    const contactTimes = new Set(t('solicitations.csv').map((r) => `${r.client_id}|${r.outcome_at}`));
    const n = optOuts.filter((r) => contactTimes.has(`${r.client_id}|${r.at}`)).length;
    const rate = n / t('solicitations.csv').length;
    expect(rate).toBeGreaterThan(0.002);
    expect(rate).toBeLessThan(0.05);
  });

  it('median current balance in [0.1, 1.5] monthly salaries of band 2-3; median savings in [1k, 60k] EUR', () => {
    const med = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const bal = t('balances.csv');
    const cur = med(bal.filter((r) => r.account_type === 'current').map((r) => Number(r.balance)));
    expect(cur).toBeGreaterThan(200);
    expect(cur).toBeLessThan(4000);
    const sav = med(bal.filter((r) => r.account_type === 'savings').map((r) => Number(r.balance)));
    expect(sav).toBeGreaterThan(1000);
    expect(sav).toBeLessThan(60_000);
    const credit = bal.filter((r) => r.account_type === 'credit');
    expect(credit.every((r) => Number(r.balance) < 0)).toBe(true);
  });

  it('holdings per client in [2.5, 7]; new products per client per year in [0.1, 1]', () => {
    const h = t('holdings.csv');
    expect(h.length / N).toBeGreaterThan(2.5);
    expect(h.length / N).toBeLessThan(7);
    const opened = h.filter((r) => r.opened_at >= '2024-01-01' && r.opened_at < D).length;
    const perYear = opened / N / (23 / 12);
    expect(perYear).toBeGreaterThan(0.1);
    expect(perYear).toBeLessThan(1);
  });

  it('verbatims: scores follow latent satisfaction, some have none, texts vary', () => {
    const sat = new Map(t('truth/clients.csv').map((r) => [r.client_id!, Number(r.satisfaction)]));
    const v = t('verbatims.csv');
    expect(v.length / N).toBeGreaterThan(0.2);
    const scored = v.filter((r) => r.score !== '');
    const missing = 1 - scored.length / v.length;
    expect(missing).toBeGreaterThan(0.15);
    expect(missing).toBeLessThan(0.35);
    const xs = scored.map((r) => sat.get(r.client_id!)!);
    const ys = scored.map((r) => Number(r.score));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < xs.length; i++) {
      sxy += (xs[i]! - mx) * (ys[i]! - my);
      sxx += (xs[i]! - mx) ** 2;
      syy += (ys[i]! - my) ** 2;
    }
    expect(sxy / Math.sqrt(sxx * syy)).toBeGreaterThan(0.3);
    expect(new Set(v.map((r) => r.text)).size / v.length).toBeGreaterThan(0.8);
    expect(v.some((r) => r.text.includes('mais'))).toBe(true);
    expect(v.some((r) => r.text.includes('\n') || r.text.includes('"'))).toBe(true);
  });

  it('journeys: product sessions with simulations and abandoned forms exist', () => {
    const ev = t('events.csv');
    const types = new Map<string, number>();
    for (const r of ev) types.set(r.type!, (types.get(r.type!) ?? 0) + 1);
    for (const type of ['login', 'page_view', 'simulation', 'form_start', 'form_abandon', 'form_submit']) {
      expect(types.get(type) ?? 0).toBeGreaterThan(50);
    }
  });
});

describe('simulate: the historical targeting and the causal truth', () => {
  const D = '2025-12-01';

  it('over-solicits affluent and private clients (share of contacts / share of clients >= 1.5) and neglects young', () => {
    const seg = new Map(t('clients.csv').map((r) => [r.client_id!, r.segment!]));
    const count = (rows: Row[], s: string): number => rows.filter((r) => seg.get(r.client_id!) === s).length;
    const sol = t('solicitations.csv');
    const cl = t('clients.csv');
    const ratio = (s: string): number => count(sol, s) / sol.length / (count(cl, s) / cl.length);
    expect(ratio('affluent')).toBeGreaterThanOrEqual(1.5);
    expect(ratio('private')).toBeGreaterThanOrEqual(1.5);
    expect(ratio('young')).toBeLessThan(0.5);
  });

  it('every logged propensity is in (0, 1] and equals truth logging_propensity at the evaluation date', () => {
    const truth = new Map(
      t('truth/response.csv').map((r) => [
        `${r.client_id}|${r.product_id}|${r.channel_id}`,
        r.logging_propensity,
      ]),
    );
    const atD = t('solicitations.csv').filter((r) => r.sent_at.startsWith(D));
    expect(atD.length).toBeGreaterThan(50);
    for (const r of atD)
      expect(r.logging_propensity).toBe(truth.get(`${r.client_id}|${r.product_id}|${r.channel_id}`));
  });

  it('truth has no row for products held at D, and mu(none) = 1 - sum mu is in [0, 1]', () => {
    const heldAtD = new Set(
      t('holdings.csv')
        .filter((r) => r.opened_at < D && (r.closed_at === '' || r.closed_at > D))
        .map((r) => `${r.client_id}|${r.product_id}`),
    );
    const muSum = new Map<string, number>();
    for (const r of t('truth/response.csv')) {
      expect(heldAtD.has(`${r.client_id}|${r.product_id}`)).toBe(false);
      muSum.set(r.client_id!, (muSum.get(r.client_id!) ?? 0) + Number(r.logging_propensity));
    }
    for (const s of muSum.values()) expect(s).toBeLessThanOrEqual(1);
  });

  it('outcomes at D agree with the truth: spontaneous conversions of uncontacted pairs match sum p_no_contact', () => {
    const contacted = new Set(
      t('solicitations.csv')
        .filter((r) => r.sent_at.startsWith(D))
        .map((r) => `${r.client_id}|${r.product_id}`),
    );
    const end = '2025-12-31';
    const converted = new Set(
      t('holdings.csv')
        .filter((r) => r.opened_at >= D && r.opened_at < end)
        .map((r) => `${r.client_id}|${r.product_id}`),
    );
    let expected = 0;
    let variance = 0;
    let observed = 0;
    for (const r of t('truth/response.csv')) {
      if (r.channel_id !== 'email') continue;
      const key = `${r.client_id}|${r.product_id}`;
      if (contacted.has(key)) continue;
      const p = Number(r.p_no_contact);
      expected += p;
      variance += p * (1 - p);
      if (converted.has(key)) observed++;
    }
    expect(expected).toBeGreaterThan(20);
    expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt(variance));
  });

  it('outcomes at D agree with the truth: conversions of the contacts sent at D match sum p_contact', () => {
    const truth = new Map(
      t('truth/response.csv').map((r) => [
        `${r.client_id}|${r.product_id}|${r.channel_id}`,
        Number(r.p_contact),
      ]),
    );
    let expected = 0;
    let variance = 0;
    let observed = 0;
    for (const r of t('solicitations.csv')) {
      if (!r.sent_at.startsWith(D)) continue;
      const p = truth.get(`${r.client_id}|${r.product_id}|${r.channel_id}`)!;
      expected += p;
      variance += p * (1 - p);
      if (r.outcome === 'converted') observed++;
    }
    expect(expected).toBeGreaterThan(2);
    expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt(variance) + 1);
  });

  it('ranking by observed conversion rate of the logs earns far less true net value than the uplift oracle', () => {
    const value = new Map(t('products.csv').map((r) => [r.product_id!, Number(r.unit_value)]));
    const cost = new Map(t('channels.csv').map((r) => [r.channel_id!, Number(r.cost_per_contact)]));
    const seg = new Map(t('clients.csv').map((r) => [r.client_id!, r.segment!]));
    const n = new Map<string, number>();
    const k = new Map<string, number>();
    for (const r of t('solicitations.csv')) {
      if (r.sent_at >= D) continue;
      const key = `${seg.get(r.client_id!)}|${r.product_id}`;
      n.set(key, (n.get(key) ?? 0) + 1);
      if (r.outcome === 'converted') k.set(key, (k.get(key) ?? 0) + 1);
    }
    const net = (r: Row): number =>
      (Number(r.p_contact) - Number(r.p_no_contact)) * value.get(r.product_id!)! - cost.get(r.channel_id!)!;
    const oracle = new Map<string, number>();
    const naive = new Map<string, { s: number; v: number }>();
    for (const r of t('truth/response.csv')) {
      if (r.channel_id !== 'email' && r.channel_id !== 'branch') continue;
      const v = net(r);
      if (v > (oracle.get(r.client_id!) ?? Number.NEGATIVE_INFINITY)) oracle.set(r.client_id!, v);
      const key = `${seg.get(r.client_id!)}|${r.product_id}`;
      const s =
        (((k.get(key) ?? 0) + 0.5) / ((n.get(key) ?? 0) + 20)) * value.get(r.product_id!)! -
        cost.get(r.channel_id!)!;
      const cur = naive.get(r.client_id!);
      if (!cur || s > cur.s) naive.set(r.client_id!, { s, v });
    }
    const K = N / 10;
    const top = (xs: { s: number; v: number }[]): number =>
      xs
        .sort((a, b) => b.s - a.s)
        .slice(0, K)
        .reduce((a, b) => a + b.v, 0);
    const oracleValue = top([...oracle.values()].map((v) => ({ s: v, v })));
    const naiveValue = top([...naive.values()]);
    expect(oracleValue).toBeGreaterThan(0);
    expect(naiveValue).toBeLessThan(0.5 * oracleValue);
  });

  it('the type-blind truth averages the response type out: exact p0 for non-favoured clients, bounds on the uplift', () => {
    const R = WORLD.response;
    const startYear = 2024;
    const clients = new Map(t('clients.csv').map((r) => [r.client_id!, r]));
    let exact = 0;
    let persuadable = 0;
    let dogs = 0;
    let gap = 0;
    for (const r of t('truth/response.csv')) {
      const p0 = Number(r.p_no_contact);
      const b0 = Number(r.p_no_contact_type_blind);
      const up = Number(r.p_contact) - p0;
      const blindUp = Number(r.p_contact_type_blind) - b0;
      expect(b0).toBeGreaterThanOrEqual(0);
      expect(b0).toBeLessThanOrEqual(1);
      // A persuadable's uplift is the largest of the four types', a sleeping dog's the smallest.
      if (r.response_type === 'persuadable') {
        expect(blindUp).toBeLessThanOrEqual(up + 1e-8);
        gap += up - blindUp;
        persuadable++;
      }
      if (r.response_type === 'sleeping_dog') {
        expect(blindUp).toBeGreaterThanOrEqual(up - 1e-8);
        dogs++;
      }
      // Mass clients too young for the old targeting's favour draw their type from typeMixOthers;
      // each type's hazard is the drawn type's times hazardMultiplier[k] / hazardMultiplier[type].
      const c = clients.get(r.client_id!)!;
      if (c.segment !== 'mass' || startYear - Number(c.birth_year) + 1 > WORLD.logging.olderAge) continue;
      if (r.channel_id !== 'email' || p0 <= 1e-6) continue;
      const type = ['persuadable', 'sure_thing', 'lost_cause', 'sleeping_dog'].indexOf(r.response_type!);
      const hDays = -Math.log(1 - p0) / R.hazardMultiplier[type]!;
      let expected = 0;
      for (let k = 0; k < 4; k++)
        expected += R.typeMixOthers[k]! * (1 - Math.exp(-hDays * R.hazardMultiplier[k]!));
      expect(b0).toBeCloseTo(expected, 6);
      exact++;
    }
    expect(exact).toBeGreaterThan(1000);
    expect(persuadable).toBeGreaterThan(1000);
    expect(dogs).toBeGreaterThan(100);
    expect(gap / persuadable).toBeGreaterThan(0.001);
  });
});

describe('simulate: determinism', () => {
  async function digest(out: string): Promise<Map<string, string>> {
    const m = new Map<string, string>();
    for (const f of [
      ...(await readdir(out)),
      ...(await readdir(join(out, 'truth'))).map((x) => `truth/${x}`),
    ]) {
      if (f === 'truth') continue;
      m.set(f, await readFile(join(out, f), 'utf8'));
    }
    return m;
  }

  it('the same seed gives byte-identical files; another seed differs', async () => {
    const base = await mkdtemp(join(tmpdir(), 'nbg-sim-det-'));
    try {
      await simulate({ out: join(base, 'a'), clients: 400, seed: 5 });
      await simulate({ out: join(base, 'b'), clients: 400, seed: 5 });
      await simulate({ out: join(base, 'c'), clients: 400, seed: 6 });
      const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((x) => digest(join(base, x))));
      expect([...a!.keys()].sort()).toEqual([...b!.keys()].sort());
      for (const [f, text] of a!) expect({ f, same: b!.get(f) === text }).toEqual({ f, same: true });
      expect(c!.get('clients.csv')).not.toBe(a!.get('clients.csv'));
      expect(c!.get('solicitations.csv')).not.toBe(a!.get('solicitations.csv'));
      // A client's rows do not depend on how many clients follow it.
      await simulate({ out: join(base, 'd'), clients: 200, seed: 5 });
      const d = await digest(join(base, 'd'));
      const firstLines = (s: string, n: number): string => s.split('\n').slice(0, n).join('\n');
      expect(firstLines(a!.get('clients.csv')!, 201)).toBe(firstLines(d.get('clients.csv')!, 201));
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
