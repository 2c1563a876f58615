import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { graphCounts } from '../../src/db/counts.js';
import type { Db } from '../../src/db/executor.js';
import { query } from '../../src/db/queries.js';
import { ingest } from '../../src/ingest/index.js';
import { freshDb, testEnv } from './helpers.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/bank-mini');
const expected = JSON.parse(readFileSync(`${FIXTURE}.expected.json`, 'utf8')) as {
  nodes: Record<string, number>;
  relationships: Record<string, number>;
  rows: Record<string, number>;
  consents: Record<string, string>;
};
const fingerprintQuery = query('read/dump-graph-fingerprint');
const consentQuery = query('read/consent-of-client');

async function fingerprint(db: Db): Promise<string> {
  const rows = await db.read(fingerprintQuery);
  return rows
    .map((r) =>
      JSON.stringify(r, (_k, v) =>
        v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
      ),
    )
    .map((s) =>
      s.replace(/"out":\[(.*)\]/, (_m, inner: string) => `"out":[${inner.split('],[').sort().join('],[')}]`),
    )
    .sort()
    .join('\n');
}

/** Runs `nbg ARGS` in this process; returns the exit code and what went to stderr. */
async function nbg(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await main(args);
    return { code, stderr };
  } finally {
    spy.mockRestore();
    out.mockRestore();
  }
}

let db: Db;
let work: string;

beforeAll(async () => {
  Object.assign(process.env, testEnv());
  db = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-ingest-test-'));
});
afterAll(async () => {
  await db.close();
  rmSync(work, { recursive: true, force: true });
});

describe('ingest of the hand-written fixture', () => {
  it('gives the expected counts, and again the same graph when re-run', async () => {
    const first = await ingest(db, FIXTURE, { reportDir: join(work, 'r1') });
    expect(Object.fromEntries(first.files.map((f) => [f.file, f.rowsRead]))).toEqual(expected.rows);
    expect(first.rejected).toBe(0);
    expect(first.warnings.some((w) => w.includes('channels.csv') && w.includes('team'))).toBe(true);
    const counts = await graphCounts(db);
    expect(counts.nodes).toEqual(expected.nodes);
    expect(counts.relationships).toEqual(expected.relationships);
    const before = await fingerprint(db);

    await ingest(db, FIXTURE, { reportDir: join(work, 'r2') });
    expect(await graphCounts(db)).toEqual(counts);
    expect(await fingerprint(db)).toBe(before);
  });

  it('applies consents latest-wins, keeps extra columns, and stores balances as ordered series', async () => {
    for (const [key, status] of Object.entries(expected.consents)) {
      const [clientId, channelId] = key.split('/');
      const rows = await db.read<{ status: string }>(consentQuery, { clientId, channelId });
      expect(rows.map((r) => r.status)).toEqual([status]);
    }
    const fp = await fingerprint(db);
    expect(fp).toContain('"team":"Relation client, Paris"');
    // C001's current account: months sorted, balances following them.
    expect(fp).toMatch(
      /"balances":\[1200,1205,1200\].*"id":"C001:current","months":\["2025-01","2025-02","2025-03"\]/,
    );
    // A verbatim with a newline and quotes inside survived the CSV round trip.
    expect(fp).toContain("les frais ne sont pas clairs.\\nJ'aurais aimé un récapitulatif.");
    expect(fp).toContain('\\"vraiment\\" top');
  });
});

type Mutation = (dir: string) => void;
const edit =
  (file: string, fn: (text: string) => string): Mutation =>
  (dir) => {
    const p = join(dir, file);
    writeFileSync(p, fn(readFileSync(p, 'utf8')));
  };

/** The bad datasets: each a mutation of the fixture, and what the report must say. */
const BAD: readonly { name: string; mutate: Mutation; expect: RegExp }[] = [
  {
    name: 'missing required file',
    mutate: (d) => rmSync(join(d, 'products.csv')),
    expect: /products\.csv: required file is missing/,
  },
  {
    name: 'missing column',
    mutate: edit('clients.csv', (t) => t.replace(',segment,', ',segmnt,')),
    expect: /clients\.csv:1: required column "segment" is missing/,
  },
  {
    name: 'bad enum',
    mutate: edit('clients.csv', (t) => t.replace(',affluent,', ',riche,')),
    expect: /clients\.csv:\d+:3 \(segment\): expected one of mass, affluent/,
  },
  {
    name: 'bad date',
    mutate: edit('holdings.csv', (t) => t.replace('2019-05-10', '2019-02-30')),
    expect: /holdings\.csv:\d+:3 \(opened_at\): expected a date YYYY-MM-DD, got "2019-02-30"/,
  },
  {
    name: 'logging_propensity of 0',
    mutate: edit('solicitations.csv', (t) => t.replace(',0.05,', ',0,')),
    expect: /solicitations\.csv:\d+:7 \(logging_propensity\): expected a probability above 0/,
  },
  {
    name: 'logging_propensity above 1',
    mutate: edit('solicitations.csv', (t) => t.replace(',0.05,', ',1.5,')),
    expect: /solicitations\.csv:\d+:7 \(logging_propensity\): expected a probability at most 1/,
  },
  {
    name: 'duplicate id',
    mutate: edit('events.csv', (t) => t.replace('E0002,', 'E0001,')),
    expect: /events\.csv:3 \(event_id, id E0001\): duplicate event_id "E0001" \(first on line 2\)/,
  },
  {
    name: 'dangling reference',
    mutate: edit('solicitations.csv', (t) => t.replace('S0003,C003,', 'S0003,C999,')),
    expect: /solicitations\.csv:4 \(client_id, id C999\): unknown client_id "C999"/,
  },
  {
    name: 'invalid UTF-8',
    mutate: (d) =>
      appendFileSync(join(d, 'verbatims.csv'), Buffer.from([0x56, 0x39, 0x39, 0x2c, 0xc3, 0x28, 0x0a])),
    expect: /verbatims\.csv:\d+: invalid UTF-8 at byte \d+/,
  },
  {
    name: 'empty file',
    mutate: (d) => writeFileSync(join(d, 'channels.csv'), ''),
    expect: /channels\.csv:1: empty file: expected a header row/,
  },
  {
    name: 'a 5 MB field',
    mutate: edit(
      'verbatims.csv',
      (t) => `${t}V999,C001,2025-03-05T10:00:00Z,,,5,"${'a'.repeat(5 * 1024 * 1024)}"\n`,
    ),
    expect: /verbatims\.csv:11:7: field longer than 1000000 characters/,
  },
  {
    name: 'malformed policy.json',
    mutate: edit('policy.json', (t) => t.replace('"horizonDays": 30,', '"horizonDays": 30,,')),
    expect: /policy\.json:2:\d+: invalid JSON/,
  },
  {
    name: 'unknown policy key',
    mutate: edit('policy.json', (t) => t.replace('"horizonDays"', '"horizonDayz"')),
    expect: /policy\.json: unknown key\(s\) "horizonDayz"/,
  },
];

describe('bad datasets', () => {
  it.each(BAD)('$name: exit code 2, located reason, graph unchanged', async ({ mutate, expect: pattern }) => {
    const before = await graphCounts(db);
    const fpBefore = await fingerprint(db);
    const dir = join(work, `bad-${Math.random().toString(36).slice(2)}`);
    cpSync(FIXTURE, dir, { recursive: true });
    mutate(dir);
    const { code, stderr } = await nbg(['ingest', dir, '--report-dir', join(dir, '.report')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(pattern);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await graphCounts(db)).toEqual(before);
    expect(await fingerprint(db)).toBe(fpBefore);
  });
});

describe('--skip-bad-rows', () => {
  it('writes the good rows and puts the bad ones, with reasons, in the rejects file', async () => {
    const clean = await freshDb();
    try {
      const dir = join(work, 'skip');
      cpSync(FIXTURE, dir, { recursive: true });
      edit('events.csv', (t) => t.replace('E0002,', 'E0001,').replace(',simulation,', ',teleport,'))(dir);
      const { code } = await nbg(['ingest', dir, '--skip-bad-rows', '--report-dir', join(dir, '.report')]);
      expect(code).toBe(0);
      const counts = await graphCounts(clean);
      expect(counts.nodes.Event).toBe(expected.nodes.Event! - 2);
      const [header, ...rejects] = readFileSync(join(dir, '.report', 'rejects.csv'), 'utf8')
        .trim()
        .split('\n');
      expect(header).toBe('file,line,column,column_name,reason,row');
      rejects.sort();
      expect(rejects).toHaveLength(2);
      expect(rejects[0]).toMatch(
        /^events\.csv,3,,event_id,"duplicate event_id ""E0001"" \(first on line 2\)","E0001,C002,SESS000,2025-03-02T09:15:00Z,page_view,""\/recherche\?q=livret, taux"",P_LIVRET_A"$/,
      );
      expect(rejects[1]).toMatch(/^events\.csv,5,5,type,"expected one of login/);
      expect(existsSync(join(dir, '.report', 'report.txt'))).toBe(true);
    } finally {
      await clean.close();
    }
  });
});
