import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

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
 * Buffered CSV file writer with back-pressure: rows are joined into ~256 KiB strings before they
 * reach the stream, and `row()` waits for the stream to drain when its buffer is full. Call
 * `close()` to flush; the file is complete only after it resolves.
 */
export class CsvWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  rows = 0;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.buffer = csvLine(header);
  }

  async row(values: readonly (string | number | boolean | null | undefined)[]): Promise<void> {
    this.buffer += csvLine(values);
    this.rows++;
    if (this.buffer.length >= 1 << 18) await this.flush();
  }

  /**
   * Appends pre-formatted CSV text (whole lines, each ending in `\n`, fields made with csvField) and
   * counts `count` rows: lets a generator build one entity's rows as one string, without an array per row.
   */
  async lines(text: string, count: number): Promise<void> {
    this.buffer += text;
    this.rows += count;
    if (this.buffer.length >= 1 << 18) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const ok = this.stream.write(this.buffer);
    this.buffer = '';
    if (!ok) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
