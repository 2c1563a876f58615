import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/csv/reader.js';
import { CsvWriter } from '../../src/csv/writer.js';
import { DAY_MS } from '../../src/domain/time.js';
import { buildDecisionRows } from '../../src/features/build-decision-rows.js';
import { buildTrainingExamples } from '../../src/features/build-training-examples.js';
import type { UpliftExamples } from '../../src/features/examples.js';
import { folderSource } from '../../src/features/folder-source.js';
import { type FeatureHistory, loadHistory } from '../../src/features/record-store.js';
import { dayOfDate } from '../../src/features/records.js';
import { simulate } from '../../src/simulate/index.js';

/** A round start of the simulated history (2024-01-01 + 37 × 14 days). */
const T = '2025-06-02';
const TS = `${T}T00:00:00Z`;
const later = (date: string, days: number): string =>
  new Date(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Per file: how each row dated at or after T is changed, and rows dated after T that are added.
 * Every edit must leave the features of rows at T as they were.
 */
const EDITS: Record<
  string,
  { edit: (f: Record<string, string>) => void; add?: (clientId: string, k: number) => Record<string, string> }
> = {
  'holdings.csv': {
    edit: (f) => {
      if (f.opened_at! >= T) {
        f.opened_at = later(f.opened_at!, 3);
        if (f.closed_at) f.closed_at = later(f.closed_at, 9);
      } else if (f.closed_at && f.closed_at >= T) f.closed_at = later(f.closed_at, 7);
    },
    add: (c) => ({ client_id: c, product_id: 'P_BUDGET_APP', opened_at: later(T, 1), closed_at: '' }),
  },
  'consents.csv': {
    edit: (f) => {
      if (f.at! >= TS) f.status = f.status === 'granted' ? 'refused' : 'granted';
    },
    add: (c) => ({ client_id: c, channel_id: 'email', status: 'refused', at: TS }),
  },
  'solicitations.csv': {
    edit: (f) => {
      if (f.sent_at! >= TS) {
        f.outcome = 'converted';
        f.logging_propensity = '0.5';
      } else if (f.outcome_at && f.outcome_at >= TS) f.outcome = 'refused';
    },
    add: (c, k) => ({
      solicitation_id: `SX${k}`,
      client_id: c,
      product_id: 'P_PEA',
      channel_id: 'branch',
      campaign_id: '',
      sent_at: TS,
      logging_propensity: '0.3',
      outcome: 'refused',
      outcome_at: `${later(T, 1)}T00:00:00Z`,
    }),
  },
  'events.csv': {
    edit: (f) => {
      if (f.at! >= TS) {
        f.type = 'form_abandon';
        f.product_id = 'P_PEA';
      }
    },
    add: (c, k) => ({
      event_id: `EX${k}`,
      client_id: c,
      session_id: `WX${k}`,
      at: `${T}T08:00:00Z`,
      type: 'simulation',
      page: '',
      product_id: 'P_MORTGAGE',
    }),
  },
  'balances.csv': {
    edit: (f) => {
      if (f.month! >= T.slice(0, 7)) f.balance = String(-3 * Number(f.balance) + 17);
    },
  },
  'verbatims.csv': {
    edit: (f) => {
      if (f.at! >= TS) f.score = '0';
    },
    add: (c, k) => ({
      verbatim_id: `VX${k}`,
      client_id: c,
      at: TS,
      channel_id: 'email',
      product_id: 'P_PEA',
      score: '1',
      text: 'nul',
    }),
  },
};

async function copyWithEdits(from: string, to: string, clientIds: readonly string[]): Promise<void> {
  mkdirSync(to, { recursive: true });
  const files = ['clients.csv', 'products.csv', 'channels.csv', 'campaigns.csv', ...Object.keys(EDITS)];
  for (const file of files) {
    let out: CsvWriter | undefined;
    let header: string[] = [];
    for await (const batch of readCsv(join(from, file), { displayName: file })) {
      for (const rec of batch) {
        if (!out) {
          header = rec.fields;
          out = new CsvWriter(join(to, file), header);
          continue;
        }
        const f = Object.fromEntries(header.map((h, i) => [h, rec.fields[i]!]));
        EDITS[file]?.edit(f);
        await out.row(header.map((h) => f[h]));
      }
    }
    const add = EDITS[file]?.add;
    if (add && out) {
      for (const [k, c] of clientIds.entries()) {
        const f = add(c, k);
        await out.row(header.map((h) => f[h] ?? ''));
      }
    }
    await out?.close();
  }
}

let work: string;
let original: FeatureHistory;
let edited: FeatureHistory;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'nbg-features-leak-'));
  await simulate({ clients: 120, seed: 21, out: join(work, 'a') });
  original = await loadHistory(folderSource(join(work, 'a')));
  await copyWithEdits(join(work, 'a'), join(work, 'b'), original.clientIds);
  edited = await loadHistory(folderSource(join(work, 'b')));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function expectSame(a: UpliftExamples, b: UpliftExamples): void {
  expect(b.n).toBe(a.n);
  for (const key of ['x', 'xc', 'contactable', 'client', 'product', 'segment'] as const) {
    let diff = 0;
    for (let k = 0; k < a[key].length; k++) if (!Object.is(a[key][k], b[key][k])) diff++;
    expect(diff, `${key} differs in ${diff} places`).toBe(0);
  }
}

describe('no leakage: records dated at or after t never change the features at t', () => {
  it('the edits change the data (the check can fail)', async () => {
    const later14 = later(T, 14);
    const a = await buildDecisionRows(original, later14);
    const b = await buildDecisionRows(edited, later14);
    const F = a.schema.pair.length;
    let diff = 0;
    for (let k = 0; k < Math.min(a.n, b.n) * F; k++) if (!Object.is(a.x[k], b.x[k])) diff++;
    expect(diff).toBeGreaterThan(100);
  });

  it('decision rows at t are identical', async () => {
    const a = await buildDecisionRows(original, T);
    const b = await buildDecisionRows(edited, T);
    expect(a.n).toBeGreaterThan(400);
    expectSame(a, b);
  });

  it('training rows at t have identical features (rows added by new contacts aside)', async () => {
    const options = {
      decisionDate: later(T, 28),
      windowDays: 28,
      stepDays: 14,
      horizonDays: 14,
      controlRate: 0.5,
      seed: 9,
    };
    const a = await buildTrainingExamples(original, options);
    const b = await buildTrainingExamples(edited, options);
    const t = dayOfDate(T);
    const key = (e: UpliftExamples, k: number): string => `${e.clientIds[e.client[k]!]}/${e.product[k]}`;
    const rowsAt = (e: UpliftExamples): Map<string, number> => {
      const m = new Map<string, number>();
      for (let k = 0; k < e.n; k++) if (e.day[k] === t) m.set(key(e, k), k);
      return m;
    };
    const ra = rowsAt(a);
    const rb = rowsAt(b);
    const F = a.schema.pair.length;
    const W = a.channelIds.length * a.schema.channel.length;
    let compared = 0;
    for (const [k, i] of ra) {
      const j = rb.get(k);
      expect(j, `row ${k} kept in both`).toBeDefined();
      expect([...b.x.subarray(j! * F, j! * F + F)]).toEqual([...a.x.subarray(i * F, i * F + F)]);
      expect([...b.xc.subarray(j! * W, j! * W + W)]).toEqual([...a.xc.subarray(i * W, i * W + W)]);
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
  });
});
