import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { NbgError } from '../../src/errors.js';
import { ImportFile } from '../../src/ingest/import-file.js';

const dir = mkdtempSync(join(tmpdir(), 'nbg-import-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (): ImportFile => new ImportFile('Thing', dir, `t${n++}`, ['id:ID(Thing)']);

describe('ImportFile', () => {
  it('types columns from the values seen anywhere in the body, and keeps "" apart from null', async () => {
    const f = file();
    f.add(['a'], {
      name: 'Jean "le" Dupont',
      age: null,
      score: 1.5,
      ok: true,
      tags: ['x', 'y'],
      xs: [1, 2.5],
    });
    f.add(['b'], { name: '', age: neo4j.int(40), score: 2, ok: false, tags: null, xs: null });
    f.add(['c,d'], { name: 'deux\nlignes', age: null, score: -0.25, ok: null, tags: ['z'], xs: [3] });
    const [header, body] = await f.close();
    expect(readFileSync(header as string, 'utf8')).toBe(
      'id:ID(Thing),name:string,age:long,score:double,ok:boolean,tags:string[],xs:double[]\n',
    );
    expect(readFileSync(body as string, 'utf8')).toBe(
      'a,"Jean ""le"" Dupont",,1.5,true,x;y,1;2.5\n' +
        'b,"",40,2,false,,\n' +
        '"c,d","deux\nlignes",,-0.25,,z,3\n',
    );
    expect(f.multiline).toBe(true);
    expect(f.rows).toBe(3);
  });

  it('writes relationship rows without properties, and a header with no property column', async () => {
    const f = new ImportFile('DID', dir, `r${n++}`, [':START_ID(Client)', ':END_ID(Event)']);
    f.add(['C1', 'E1'], undefined);
    f.add(['C1', 'E2'], undefined);
    const [header, body] = await f.close();
    expect(readFileSync(header as string, 'utf8')).toBe(':START_ID(Client),:END_ID(Event)\n');
    expect(readFileSync(body as string, 'utf8')).toBe('C1,E1\nC1,E2\n');
    expect(f.multiline).toBe(false);
  });

  it.each([
    {
      name: 'a column that changes type',
      rows: [{ v: 1 }, { v: 'one' }],
      error: /v is double in one row and string/,
    },
    {
      name: 'a long then a double',
      rows: [{ v: neo4j.int(1) }, { v: 1.5 }],
      error: /v is long in one row and double/,
    },
    {
      name: 'an array item with the array delimiter',
      rows: [{ v: ['a;b'] }],
      error: /v has a value the importer cannot take/,
    },
    { name: 'an empty array', rows: [{ v: [] }], error: /v has a value the importer cannot take/ },
    { name: 'a mixed array', rows: [{ v: [1, 'a'] }], error: /v has a value the importer cannot take/ },
    { name: 'an object', rows: [{ v: { a: 1 } }], error: /v has a value the importer cannot take/ },
    {
      name: 'rows of different shapes',
      rows: [{ v: 1 }, { v: 1, w: 2 }],
      error: /row 2 has 2 properties, the first row had 1/,
    },
  ])('refuses $name with an internal error naming the file and property', async ({ rows, error }) => {
    const f = file();
    let thrown: unknown;
    try {
      for (const [i, props] of rows.entries()) f.add([`id${i}`], props);
    } catch (e) {
      thrown = e;
    } finally {
      await f.discard();
    }
    expect(thrown).toBeInstanceOf(NbgError);
    expect((thrown as Error).message).toMatch(error);
  });
});
