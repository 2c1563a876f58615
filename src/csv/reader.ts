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
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  const file = options.displayName ?? basename(path);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const scanner = new RecordScanner(file, options.maxFieldChars ?? DEFAULTS.maxFieldChars);

  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? DEFAULTS.chunkBytes });
  let bytesBefore = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let t: string;
    try {
      t = decoder.decode(chunk, { stream: true });
    } catch {
      const at = firstInvalidUtf8(chunk, false);
      let l = scanner.line;
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
    // Yielding mid-chunk keeps batches bounded; the scanner resumes where it stopped in `t`.
    scanner.begin(t);
    while (scanner.scan(batchSize)) yield scanner.take();
  }
  try {
    decoder.decode();
  } catch {
    throw new InputError([
      { file, line: scanner.line, reason: 'invalid UTF-8 at the end of the file (truncated sequence)' },
    ]);
  }
  scanner.end();
  const last = scanner.take();
  if (last.length > 0) yield last;
}

/**
 * The CSV state machine of readCsv, fed decoded text chunk by chunk (`begin`, then `scan` until it
 * returns false), with the record being read carried from one chunk to the next.
 */
class RecordScanner {
  /** The 1-based physical line being read. */
  line = 1;
  private batch: CsvRecord[] = [];
  private fields: string[] = [];
  private field = '';
  private state = START;
  private recordLine = 1;
  private quoteLine = 1;
  private skipLf = false;
  /** The chunk being scanned, the position in it, and where the current field's text starts. */
  private t = '';
  private i = 0;
  private seg = 0;

  constructor(
    private readonly file: string,
    private readonly maxField: number,
  ) {}

  begin(t: string): void {
    this.t = t;
    this.i = 0;
    this.seg = 0;
  }

  /** The records completed so far, in order. */
  take(): CsvRecord[] {
    const out = this.batch;
    this.batch = [];
    return out;
  }

  /**
   * Scans the chunk until its end (false) or until `batchSize` records are complete (true: take
   * them and scan again). A field that continues into the next chunk is kept up to the chunk's end.
   */
  scan(batchSize: number): boolean {
    const t = this.t;
    const n = t.length;
    let i = this.i;
    let seg = this.seg;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (this.skipLf) {
        this.skipLf = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      const state = this.state;
      if (state === START) {
        this.recordLine = this.fields.length === 0 ? this.line : this.recordLine;
        if (c === QUOTE) {
          this.state = QUOTED;
          this.quoteLine = this.line;
          seg = i + 1;
          i++;
        } else if (this.separator(c)) {
          i++;
        } else {
          // The scan below consumes this character too (so a chunk that ends here loses nothing).
          this.state = UNQUOTED;
          seg = i;
        }
      } else if (state === UNQUOTED) {
        // Scan to the end of the field.
        while (i < n) {
          const d = t.charCodeAt(i);
          if (d === COMMA || d === LF || d === CR || d === QUOTE) break;
          i++;
        }
        this.field += t.slice(seg, i);
        this.checkSize();
        if (i >= n) break;
        const d = t.charCodeAt(i);
        if (d === QUOTE)
          this.fail('a double quote inside an unquoted field (quote the whole field and double the quote)');
        this.endField();
        if (d === LF || d === CR) this.endLine(d);
        i++;
      } else if (state === QUOTED) {
        const j = t.indexOf('"', i);
        const end = j < 0 ? n : j;
        for (let k = i; k < end; k++) if (t.charCodeAt(k) === LF) this.line++;
        this.field += t.slice(seg, end);
        this.checkSize();
        if (j < 0) {
          i = n;
          break;
        }
        this.state = QUOTE_IN_QUOTED;
        i = j + 1;
      } else {
        // QUOTE_IN_QUOTED: "" is an escaped quote; otherwise the field ended.
        if (c === QUOTE) {
          this.field += '"';
          this.state = QUOTED;
          seg = i + 1;
          i++;
        } else if (this.separator(c)) {
          i++;
        } else {
          this.fail(`unexpected character ${JSON.stringify(t[i])} after a closing quote`);
        }
      }
      if (this.batch.length >= batchSize) {
        this.i = i;
        this.seg = seg;
        return true;
      }
    }
    this.i = n;
    return false;
  }

  /** After the last chunk: an open quote is an error; a last record without a line end counts. */
  end(): void {
    if (this.state === QUOTED)
      this.fail(
        `unterminated quoted field (the quote opened on line ${this.quoteLine} is never closed)`,
        this.quoteLine,
      );
    if (this.state !== START || this.field !== '' || this.fields.length > 0) {
      this.endField();
      this.endRecord();
    }
  }

  /** A comma or a line end between fields ends the field (and the record); false for anything else. */
  private separator(c: number): boolean {
    if (c === COMMA) {
      this.endField();
      return true;
    }
    if (c === LF || c === CR) {
      this.endField();
      this.endLine(c);
      return true;
    }
    return false;
  }

  private fail(reason: string, atLine = this.line): never {
    throw new InputError([{ file: this.file, line: atLine, column: this.fields.length + 1, reason }]);
  }

  private checkSize(): void {
    if (this.field.length > this.maxField) {
      this.fail(
        `field longer than ${this.maxField} characters (the limit; got at least ${this.field.length})`,
        this.recordLine,
      );
    }
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = START;
  }

  private endRecord(): void {
    // A blank line is one empty field: skip it.
    if (!(this.fields.length === 1 && this.fields[0] === '')) {
      this.batch.push({ line: this.recordLine, fields: this.fields });
    }
    this.fields = [];
  }

  /** A line end outside quotes (`c` is LF or CR; a CR may be followed by the LF of a CRLF). */
  private endLine(c: number): void {
    this.endRecord();
    this.line++;
    if (c === CR) this.skipLf = true;
  }
}
