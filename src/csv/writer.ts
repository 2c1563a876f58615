import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

const CHUNK_BYTES = 1 << 20;
/** Flush when less than this is left in a chunk. */
const FLUSH_MARGIN = 1 << 12;

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV field: quoted (with doubled quotes) only when RFC 4180 requires it or spaces would be lost. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) s += ',';
    s += csvField(values[i]);
  }
  return `${s}\n`;
}

/**
 * Buffered CSV file writer with back-pressure: text is encoded as UTF-8 into ~1 MiB chunks before
 * it reaches the stream (strings die young, so millions of rows cost little garbage collection),
 * and `row()` / `lines()` wait for the stream to drain when a chunk is full. Call `close()` to
 * flush; the file is complete only after it resolves.
 */
export class CsvWriter {
  private readonly stream: WriteStream;
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  rows = 0;

  /** `header` null: no header line (a body file whose header lives elsewhere). */
  constructor(
    readonly path: string,
    header: readonly string[] | null,
  ) {
    this.stream = createWriteStream(path);
    if (header) this.append(csvLine(header));
  }

  async row(values: readonly (string | number | boolean | null | undefined)[]): Promise<void> {
    this.rows++;
    if (this.append(csvLine(values))) await this.flush();
  }

  /**
   * Appends pre-formatted CSV text (whole lines, each ending in `\n`, fields made with csvField) and
   * counts `count` rows: lets a generator build one entity's rows as one string, without an array per row.
   */
  async lines(text: string, count: number): Promise<void> {
    this.rows += count;
    if (this.append(text)) await this.flush();
  }

  /** Encodes text into the current chunk; true when the chunk should be flushed. */
  private append(text: string): boolean {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    if (this.used + text.length * 3 > this.chunk.length) {
      if (this.used > 0) this.handOver();
      if (text.length * 3 > this.chunk.length) {
        this.stream.write(text, 'utf8');
        return true;
      }
    }
    this.used += this.chunk.write(text, this.used, 'utf8');
    return this.used >= CHUNK_BYTES - FLUSH_MARGIN;
  }

  /** Gives the filled part of the chunk to the stream and starts a new chunk (the stream owns the old). */
  private handOver(): boolean {
    const ok = this.stream.write(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    return ok;
  }

  private async flush(): Promise<void> {
    const ok = this.used > 0 ? this.handOver() : !this.stream.writableNeedDrain;
    if (!ok) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.used > 0) this.handOver();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
