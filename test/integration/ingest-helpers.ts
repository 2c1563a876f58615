import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Db } from '../../src/db/executor.js';
import { query } from '../../src/db/queries.js';

/** What the ingest tests share: the fixture, its expected counts, the graph fingerprint, the bad datasets. */
export const FIXTURE = join(import.meta.dirname, '../fixtures/bank-mini');
export const expected = JSON.parse(readFileSync(`${FIXTURE}.expected.json`, 'utf8')) as {
  nodes: Record<string, number>;
  relationships: Record<string, number>;
  rows: Record<string, number>;
  consents: Record<string, string>;
};
export const fingerprintQuery = query('read/dump-graph-fingerprint');
export const consentQuery = query('read/consent-of-client');

/** JSON with object keys sorted, so equal values print alike. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x,
  );

/**
 * Every node (labels, properties) with its outgoing relationships (type, end key, properties), one
 * line each, relationships and lines sorted: independent of the order a store returns them in.
 */
export async function fingerprint(db: Db): Promise<string> {
  const rows = await db.read<{ labels: string[]; props: unknown; out: unknown[] }>(fingerprintQuery);
  return rows
    .map((r) => canonical({ labels: r.labels, props: r.props, out: r.out.map(canonical).sort() }))
    .sort()
    .join('\n');
}

/** Runs `nbg ARGS` in this process; returns the exit code and what went to stderr. */
export async function nbg(args: string[]): Promise<{ code: number; stderr: string }> {
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

export type Mutation = (dir: string) => void;
export const edit =
  (file: string, fn: (text: string) => string): Mutation =>
  (dir) => {
    const p = join(dir, file);
    writeFileSync(p, fn(readFileSync(p, 'utf8')));
  };

/** The bad datasets: each a mutation of the fixture, and what the report must say. */
export const BAD: readonly { name: string; mutate: Mutation; expect: RegExp }[] = [
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

const typesQuery = query('read/dump-property-types');

/** Every (label or type, property, Cypher type, count), one per line. */
export async function propertyTypes(db: Db): Promise<string[]> {
  const rows = await db.read<{ owner: string; key: string; type: string; count: number }>(typesQuery);
  return rows.map((r) => `${r.owner}.${r.key}: ${r.type} x${r.count}`);
}
