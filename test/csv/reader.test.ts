import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/csv/reader.js';
import { csvLine } from '../../src/csv/writer.js';
import { InputError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nbg-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string | Buffer): string {
  const p = join(dir, `f${n++}.csv`);
  writeFileSync(p, content);
  return p;
}
async function readAll(path: string, chunkBytes?: number) {
  const out: { line: number; fields: string[] }[] = [];
  for await (const batch of readCsv(path, chunkBytes ? { chunkBytes, batchSize: 3 } : {})) out.push(...batch);
  return out;
}
async function failure(path: string, options = {}): Promise<InputError> {
  try {
    for await (const _ of readCsv(path, options)) {
      // drain
    }
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('readCsv', () => {
  it('reads quoted fields with commas, quotes and newlines, and reports the line each record starts on', async () => {
    const p = file('id,text\n1,"a, b"\n2,"il a dit ""non""\npuis est parti"\n3,\n');
    expect(await readAll(p)).toEqual([
      { line: 1, fields: ['id', 'text'] },
      { line: 2, fields: ['1', 'a, b'] },
      { line: 3, fields: ['2', 'il a dit "non"\npuis est parti'] },
      { line: 5, fields: ['3', ''] },
    ]);
  });

  it('strips a UTF-8 BOM, accepts CRLF and a missing final newline, skips blank lines', async () => {
    const p = file(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\r\n\r\n1,é\r\n2,"x\r\ny"')]),
    );
    expect(await readAll(p)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', 'é'] },
      { line: 4, fields: ['2', 'x\r\ny'] },
    ]);
  });

  it('round-trips any records written by csvLine, whatever the chunk size (property)', async () => {
    const fieldArb = fc.string({
      unit: fc.constantFrom('a', 'é', '€', '😀', ',', '"', '\n', '\r\n', ' ', 'z'),
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fieldArb, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 19 }),
        async (records, chunk) => {
          // A record of one empty field would be a blank line, skipped by design: keep two fields.
          const p = file(records.map(csvLine).join(''));
          const got = await readAll(p, chunk);
          expect(got.map((r) => r.fields)).toEqual(records);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it('yields batches of at most batchSize records, also within one chunk, in file order', async () => {
    const p = file(`${Array.from({ length: 10 }, (_, i) => `${i},x`).join('\n')}\n`);
    const sizes: number[] = [];
    const firsts: string[] = [];
    for await (const batch of readCsv(p, { batchSize: 3 })) {
      sizes.push(batch.length);
      firsts.push(batch[0]!.fields[0]!);
    }
    expect(sizes).toEqual([3, 3, 3, 1]);
    expect(firsts).toEqual(['0', '3', '6', '9']);
  });

  const BAD: readonly {
    name: string;
    content: string | Buffer;
    options?: object;
    expect: RegExp;
    line: number;
    column?: number;
  }[] = [
    {
      name: 'unterminated quote',
      content: 'a,b\n1,"open\n2,x\n',
      expect: /unterminated quoted field \(the quote opened on line 2/,
      line: 2,
      column: 2,
    },
    {
      name: 'quote inside an unquoted field',
      content: 'a,b\n1,ab"c\n',
      expect: /a double quote inside an unquoted field/,
      line: 2,
      column: 2,
    },
    {
      name: 'text after a closing quote',
      content: 'a,b\n"x"y,1\n',
      expect: /unexpected character "y" after a closing quote/,
      line: 2,
      column: 1,
    },
    {
      name: 'invalid UTF-8',
      content: Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
      expect: /invalid UTF-8 at byte 10/,
      line: 3,
    },
    {
      name: 'truncated UTF-8 at the end',
      content: Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xe2, 0x82])]),
      expect: /truncated sequence/,
      line: 2,
    },
    {
      name: 'field over the limit',
      content: `a\n${'x'.repeat(50)}\n`,
      options: { maxFieldChars: 40 },
      expect: /field longer than 40 characters/,
      line: 2,
      column: 1,
    },
  ];
  it.each(BAD)('$name: an InputError with line and column', async (c) => {
    const e = await failure(file(c.content), c.options);
    expect(e.message).toMatch(c.expect);
    expect(e.issues[0]?.line).toBe(c.line);
    if (c.column !== undefined) expect(e.issues[0]?.column).toBe(c.column);
  });
});
