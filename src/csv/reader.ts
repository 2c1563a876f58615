import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { firstInvalidUtf8 } from './utf8.js';

/** One CSV record with the 1-based physical line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

export interface CsvReadOptions {
  /** Longest field accepted, in characters. Default 1,000,000. */
  readonly maxFieldChars?: number;
  /** Records per yielded batch. Default 4,096. */
  readonly batchSize?: number;
  /** Name used in error messages. Default: the file's base name. */
  readonly displayName?: string;
  /** Bytes read per chunk. Default 1 MiB. */
  readonly chunkBytes?: number;
}

const DEFAULTS = { maxFieldChars: 1_000_000, batchSize: 4096, chunkBytes: 1 << 20 } as const;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

const START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/**
 * Streams an RFC 4180 CSV file (comma, double quotes with "" escapes, fields spanning lines,
 * `\n` or `\r\n` ends, optional UTF-8 BOM) in batches of records. The whole file is never held in
 * memory. Invalid UTF-8, an unterminated quote, a stray quote in an unquoted field and an
 * over-long field raise an InputError naming file, line and column (the 1-based field number).
 * Blank lines are skipped. The first record yielded is the header.
 */
export async function* readCsv(path: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord[]> {
  const maxField = options.maxFieldChars ?? DEFAULTS.maxFieldChars;
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  const file = options.displayName ?? basename(path);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

  let batch: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let state = START;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let skipLf = false;

  const fail = (reason: string, atLine = line): never => {
    throw new InputError([{ file, line: atLine, column: fields.length + 1, reason }]);
  };
  const checkSize = (): void => {
    if (field.length > maxField) {
      fail(`field longer than ${maxField} characters (the limit; got at least ${field.length})`, recordLine);
    }
  };
  const endField = (): void => {
    fields.push(field);
    field = '';
    state = START;
  };
  const endRecord = (): void => {
    // A blank line is one empty field: skip it.
    if (!(fields.length === 1 && fields[0] === '')) batch.push({ line: recordLine, fields });
    fields = [];
  };
  /** A line end outside quotes (`c` is LF or CR; a CR may be followed by the LF of a CRLF). */
  const endLine = (c: number): void => {
    endRecord();
    line++;
    if (c === CR) skipLf = true;
  };

  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? DEFAULTS.chunkBytes });
  let bytesBefore = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let t: string;
    try {
      t = decoder.decode(chunk, { stream: true });
    } catch {
      const at = firstInvalidUtf8(chunk, false);
      let l = line;
      for (let k = 0; k < Math.max(at, 0); k++) if (chunk[k] === LF) l++;
      throw new InputError([
        {
          file,
          line: l,
          reason: `invalid UTF-8 at byte ${bytesBefore + Math.max(at, 0)} (the file must be UTF-8)`,
        },
      ]);
    }
    bytesBefore += chunk.length;
    const n = t.length;
    let i = 0;
    let seg = 0;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (skipLf) {
        skipLf = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (state === START) {
        recordLine = fields.length === 0 ? line : recordLine;
        if (c === QUOTE) {
          state = QUOTED;
          quoteLine = line;
          seg = i + 1;
          i++;
        } else if (c === COMMA) {
          endField();
          i++;
        } else if (c === LF || c === CR) {
          endField();
          endLine(c);
          i++;
        } else {
          // The scan below consumes this character too (so a chunk that ends here loses nothing).
          state = UNQUOTED;
          seg = i;
        }
      } else if (state === UNQUOTED) {
        // Scan to the end of the field.
        while (i < n) {
          const d = t.charCodeAt(i);
          if (d === COMMA || d === LF || d === CR || d === QUOTE) break;
          i++;
        }
        field += t.slice(seg, i);
        checkSize();
        if (i >= n) break;
        const d = t.charCodeAt(i);
        if (d === QUOTE)
          fail('a double quote inside an unquoted field (quote the whole field and double the quote)');
        endField();
        if (d === LF || d === CR) endLine(d);
        i++;
      } else if (state === QUOTED) {
        const j = t.indexOf('"', i);
        const end = j < 0 ? n : j;
        for (let k = i; k < end; k++) if (t.charCodeAt(k) === LF) line++;
        field += t.slice(seg, end);
        checkSize();
        if (j < 0) {
          i = n;
          break;
        }
        state = QUOTE_IN_QUOTED;
        i = j + 1;
      } else {
        // QUOTE_IN_QUOTED: "" is an escaped quote; otherwise the field ended.
        if (c === QUOTE) {
          field += '"';
          state = QUOTED;
          seg = i + 1;
          i++;
        } else if (c === COMMA) {
          endField();
          i++;
        } else if (c === LF || c === CR) {
          endField();
          endLine(c);
          i++;
        } else {
          fail(`unexpected character ${JSON.stringify(t[i])} after a closing quote`);
        }
      }
      if (batch.length >= batchSize) {
        // Yielding mid-chunk keeps batches bounded; `seg` stays valid because `t` is unchanged.
        const out = batch;
        batch = [];
        yield out;
      }
    }
    // A field that continues into the next chunk was appended up to here; resume at 0.
    seg = 0;
  }
  try {
    decoder.decode();
  } catch {
    throw new InputError([
      { file, line, reason: 'invalid UTF-8 at the end of the file (truncated sequence)' },
    ]);
  }
  if (state === QUOTED)
    fail(`unterminated quoted field (the quote opened on line ${quoteLine} is never closed)`, quoteLine);
  if (state !== START || field !== '' || fields.length > 0) {
    endField();
    endRecord();
  }
  if (batch.length > 0) yield batch;
}
