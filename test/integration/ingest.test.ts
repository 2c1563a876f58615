import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphCounts } from '../../src/db/counts.js';
import type { Db } from '../../src/db/executor.js';
import { ingest } from '../../src/ingest/index.js';
import { freshDb, testEnv } from './helpers.js';
import { BAD, consentQuery, edit, expected, FIXTURE, fingerprint, nbg } from './ingest-helpers.js';

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
