import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fastRowParser, parseHeader, readTable } from '../../src/dataset/read-table.js';
import { fastCellOf, NOT_FAST } from '../../src/domain/cells.js';
import { CONTRACT_FILES, eventsSpec } from '../../src/domain/contract.js';
import type { InputIssue } from '../../src/errors.js';

const work = mkdtempSync(join(tmpdir(), 'nbg-read-table-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// cells of every kind the contract reads, good, bad and in between
const CELLS = [
  '',
  ' ',
  'C000001',
  'has space',
  'a'.repeat(128),
  'a'.repeat(129),
  '_x',
  '0',
  '-0',
  '00',
  '3',
  '+3',
  ' 3',
  '3 ',
  '2.5',
  '1.',
  '.5',
  '-.5',
  '1e3',
  '1E-400',
  '1e400',
  '0x10',
  'Infinity',
  'NaN',
  '1',
  '1.0001',
  '0.003224965',
  '-1e12',
  '-1000000000001',
  '2030',
  '2031',
  'true',
  'false',
  'TRUE',
  'page_view',
  'granted',
  'current',
  'mass',
  '2024-02-29',
  '2023-02-29',
  '2025-13-01',
  '2025-12',
  '2025-13',
  '2025-00',
  '2025-03-14T09:30:00Z',
  '2025-03-14T09:30Z',
  '2025-03-14T10:30:00+01:00',
  '2025-03-14T09:30:00.123456Z',
  '2025-03-14T09:30:60Z',
  '2025-03-14T24:00:00Z',
  '2025-03-14T09:30:00',
  '2025-03-14 09:30:00Z',
];

describe('the fast row path of readTable', () => {
  it('has a plain check for every column of every contract file', () => {
    for (const spec of CONTRACT_FILES) {
      const { header } = parseHeader(spec, spec.columns);
      expect(fastRowParser(spec, header!), spec.file).toBeDefined();
    }
  });

  it('never accepts a cell zod refuses, and gives zod’s value for every cell it accepts', () => {
    let accepted = 0;
    for (const spec of CONTRACT_FILES)
      for (const col of spec.columns) {
        const schema = (spec.schema.shape as Record<string, z.ZodType>)[col]!;
        const check = fastCellOf(schema)!;
        for (const cell of CELLS) {
          const fast = check(cell);
          const slow = schema.safeParse(cell);
          const agree = fast === NOT_FAST ? true : slow.success && isDeepStrictEqual(fast, slow.data);
          expect(agree, `${spec.file} ${col} ${JSON.stringify(cell)}`).toBe(true);
          if (fast !== NOT_FAST) accepted++;
          // the fast check passes over no good cell (else the fast path would rarely be taken)
          if (slow.success) expect(fast, `${spec.file} ${col} ${JSON.stringify(cell)}`).not.toBe(NOT_FAST);
        }
      }
    expect(accepted).toBeGreaterThan(500);
  });

  it('reads good rows as zod does and reports bad ones at their line and column', async () => {
    writeFileSync(
      join(work, 'events.csv'),
      [
        'event_id,client_id,session_id,at,type,page,product_id,device',
        'E1,C1,W1,2025-03-14T10:30:00+01:00,page_view,/a,P_A,mobile',
        'E2,C1,W1,2025-03-14T09:30:00Z,login,,,desktop',
        'E3,C 1,W1,2025-03-14T09:30:00Z,login,,,desktop',
        'E4,C1,W1,2025-02-30T09:30:00Z,click,,,desktop',
        'E5,C1,,2025-03-14T09:30:00Z,login,,,desktop',
        'E6,C1,W1',
      ].join('\n'),
    );
    const issues: InputIssue[] = [];
    const rows = [];
    for await (const batch of readTable(work, eventsSpec, { onIssue: (i) => issues.push(i) }))
      rows.push(...batch);
    expect(rows.map((r) => [r.line, r.row, r.extras])).toStrictEqual([
      [
        2,
        {
          event_id: 'E1',
          client_id: 'C1',
          session_id: 'W1',
          at: '2025-03-14T09:30:00.000Z',
          type: 'page_view',
          page: '/a',
          product_id: 'P_A',
        },
        { device: 'mobile' },
      ],
      [
        3,
        {
          event_id: 'E2',
          client_id: 'C1',
          session_id: 'W1',
          at: '2025-03-14T09:30:00.000Z',
          type: 'login',
          page: undefined,
          product_id: undefined,
        },
        { device: 'desktop' },
      ],
    ]);
    expect(issues).toEqual([
      {
        file: 'events.csv',
        line: 4,
        column: 2,
        columnName: 'client_id',
        reason: 'expected an id (letters, digits, _ . : -, at most 128 characters, not empty), got "C 1"',
      },
      {
        file: 'events.csv',
        line: 5,
        column: 4,
        columnName: 'at',
        reason: 'expected an ISO 8601 timestamp such as 2025-03-14T09:30:00Z, got "2025-02-30T09:30:00Z"',
      },
      {
        file: 'events.csv',
        line: 5,
        column: 5,
        columnName: 'type',
        reason: expect.stringMatching(/^expected one of .*login.*, got "click"$/),
      },
      {
        file: 'events.csv',
        line: 6,
        column: 3,
        columnName: 'session_id',
        reason: 'session_id is required (empty cell)',
      },
      { file: 'events.csv', line: 7, reason: 'expected 8 fields (as in the header), got 3' },
    ]);
  });
});
