import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadFolderHistory } from '../../src/features/folder-history.js';
import { folderSource } from '../../src/features/folder-source.js';
import { loadHistory } from '../../src/features/record-store.js';
import { HAND_FILES, writeHandFixture } from './hand-fixture.js';

const work = mkdtempSync(join(tmpdir(), 'nbg-folder-history-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The hand dataset with a line appended to some of its files. */
const withBadRows = (name: string, extra: Readonly<Record<string, string>>): string =>
  writeHandFixture(
    join(work, name),
    Object.fromEntries(Object.entries(HAND_FILES).map(([f, text]) => [f, text + (extra[f] ?? '')])),
  );

describe('loadFolderHistory', () => {
  const dir = writeHandFixture(join(work, 'hand'));

  it('gives the history of the one-thread read, on one worker and on two', async () => {
    const expected = await loadHistory(folderSource(dir));
    expect(expected.balances.balance.length).toBe(8);
    for (const threads of [1, 2]) expect(await loadFolderHistory(dir, { threads })).toStrictEqual(expected);
  });

  it('raises the error the sequential read raises first, with its issues', async () => {
    const bad = withBadRows('bad-both', {
      'events.csv': 'E4,C1,W3,yesterday,login,,\n',
      'balances.csv': 'C1,current,2025-13,5\n',
    });
    const reasons = async (folder: string): Promise<string[]> => {
      const e = await loadFolderHistory(folder, { threads: 2 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.reason}`);
    };
    expect(await reasons(bad)).toEqual([
      'events.csv:5:4 expected an ISO 8601 timestamp such as 2025-03-14T09:30:00Z, got "yesterday"',
    ]);
    expect(await reasons(withBadRows('bad-balances', { 'balances.csv': 'C1,current,2025-13,5\n' }))).toEqual([
      'balances.csv:10:3 expected a month YYYY-MM, got "2025-13"',
    ]);
    // holdings and solicitations are read before events, whichever thread reads them
    const holdingFirst = withBadRows('bad-holdings', {
      'events.csv': 'E4,C1,W3,yesterday,login,,\n',
      'holdings.csv': 'C1,P_C,2025-02-30,\n',
    });
    expect(await reasons(holdingFirst)).toEqual([
      'holdings.csv:5:3 expected a date YYYY-MM-DD, got "2025-02-30"',
    ]);
    const solicitationFirst = withBadRows('bad-solicitations', {
      'events.csv': 'E4,C1,W3,yesterday,login,,\n',
      'solicitations.csv': 'S3,C1,P_B,email,,2025-02-01T09:00:00Z,0,no_response,\n',
    });
    expect(await reasons(solicitationFirst)).toEqual([
      'solicitations.csv:4:7 expected a probability above 0, got "0"',
    ]);
  });
});
