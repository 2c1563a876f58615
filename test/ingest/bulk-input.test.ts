import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/csv/reader.js';
import { BulkInputWriter } from '../../src/ingest/bulk-input.js';
import { inspectDataset } from '../../src/ingest/dataset.js';
import { validateDataset } from '../../src/ingest/validate.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/bank-mini');
const expected = JSON.parse(readFileSync(`${FIXTURE}.expected.json`, 'utf8')) as {
  nodes: Record<string, number>;
  relationships: Record<string, number>;
  rows: Record<string, number>;
};
const work = mkdtempSync(join(tmpdir(), 'nbg-bulk-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const lines = (path: string): string[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('BulkInputWriter on the fixture', async () => {
  const writer = new BulkInputWriter(join(work, 'input'));
  const validation = await validateDataset(inspectDataset(FIXTURE), {
    onValidRows: (spec, rows) => writer.add(spec.file, rows),
  });
  const input = await writer.finish();
  const body = (name: string): string[] => {
    const group = [...input.nodes, ...input.relationships].find(
      (g) => basename(g.files[1] as string) === `${name}.csv`,
    );
    if (!group) throw new Error(`no input file ${name}`);
    return lines(group.files[1] as string);
  };
  const header = (name: string): string => lines(join(work, 'input', `${name}.header.csv`))[0] as string;

  it('takes every valid row once, and writes as many nodes and relationships as the transactional path', async () => {
    expect(validation.issueCount).toBe(0);
    expect(Object.fromEntries(writer.rowsTaken)).toEqual(expected.rows);
    const count = async (groups: readonly { name: string; files: readonly string[] }[]) => {
      const out: Record<string, number> = {};
      for (const g of groups)
        for await (const records of readCsv(g.files[1] as string, { displayName: g.name }))
          out[g.name] = (out[g.name] ?? 0) + records.length;
      return out;
    };
    const nodes = await count(input.nodes.map((g) => ({ name: g.label, files: g.files })));
    expect(nodes).toEqual(Object.fromEntries(Object.entries(expected.nodes).filter(([k]) => k !== 'Policy')));
    const rels = await count(input.relationships.map((g) => ({ name: g.type, files: g.files })));
    expect(rels).toEqual(expected.relationships);
  });

  it('types the columns as the write statements do, extra columns included', () => {
    expect(header('node-Product')).toBe(
      'id:ID(Product),name:string,family:string,isCredit:boolean,minAge:long,maxAge:long,requiredRiskProfile:string,unitValue:double',
    );
    expect(header('node-Channel')).toBe(
      'id:ID(Channel),team:string,name:string,costPerContact:double,dailyCapacity:long',
    );
    expect(header('node-Account')).toBe('id:ID(Account),type:string,months:string[],balances:double[]');
    expect(header('rel-HOLDS-Client-Product')).toBe(
      ':START_ID(Client),:END_ID(Product),openedAt:string,closedAt:string',
    );
    expect(header('rel-CONSENT-Client-Channel')).toBe(
      ':START_ID(Client),:END_ID(Channel),status:string,at:string,history:string[]',
    );
  });

  it('applies consents latest-wins, orders account series by month, and flags multi-line files', () => {
    expect(body('rel-CONSENT-Client-Channel').filter((l) => l.startsWith('C001,email,'))).toEqual([
      expect.stringMatching(/^C001,email,refused,/),
    ]);
    expect(body('node-Account')).toContain('C001:current,current,2025-01;2025-02;2025-03,1200;1205;1200');
    expect(input.multiline.map((p) => basename(p))).toEqual(['node-Verbatim.csv']);
    expect(basename(input.report)).toBe('import.report');
  });
});
