import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { CsvWriter, csvField, csvLine } from '../csv/writer.js';
import { ErrorCode, NbgError } from '../errors.js';

/** The importer's property types this writer emits. */
export type PropType = 'string' | 'long' | 'double' | 'boolean' | 'string[]' | 'double[]';

const LINE_BREAK = /[\r\n]/;

function internal(message: string): NbgError {
  return new NbgError(ErrorCode.INTERNAL, `bulk import input: ${message}`);
}

/**
 * One importer input: a body file written row by row and, at close, a header file whose property
 * columns carry the types seen in the body (so a column that is empty in the first rows still gets
 * the right type). Strings are always written so that "" stays an empty string; null is an empty
 * unquoted field, which the importer stores as no property, as `SET n += {k: null}` does.
 */
export class ImportFile {
  private columns: string[] | undefined;
  private readonly types: (PropType | undefined)[] = [];
  private text = '';
  private pending = 0;
  private readonly writer: CsvWriter;
  readonly body: string;
  multiline = false;
  rows = 0;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly dir: string,
    private readonly base: string,
    /** The id columns, e.g. `id:ID(Client)` or `:START_ID(Client)`, `:END_ID(Product)`. */
    private readonly fixed: readonly string[],
  ) {
    this.body = join(dir, `${base}.csv`);
    this.writer = new CsvWriter(this.body, null);
  }

  add(ids: readonly string[], props: Readonly<Record<string, unknown>> | undefined): void {
    let line = csvField(ids[0]);
    for (let i = 1; i < ids.length; i++) line += `,${csvField(ids[i])}`;
    if (props) {
      this.columns ??= Object.keys(props);
      const cols = this.columns;
      let n = 0;
      for (const _ in props) n++;
      if (n !== cols.length)
        throw internal(
          `${this.base}: row ${this.rows + 1} has ${n} properties, the first row had ${cols.length}`,
        );
      for (let c = 0; c < cols.length; c++) line += `,${this.cell(c, props[cols[c] as string])}`;
    } else if (this.columns && this.columns.length > 0) {
      throw internal(`${this.base}: row ${this.rows + 1} has no properties, the first row had some`);
    }
    this.text += `${line}\n`;
    this.pending++;
    this.rows++;
  }

  private typed(c: number, t: PropType): void {
    const seen = this.types[c];
    if (seen === undefined) this.types[c] = t;
    else if (seen !== t)
      throw internal(`${this.base}: property ${this.columns?.[c]} is ${seen} in one row and ${t} in another`);
  }

  private cell(c: number, v: unknown): string {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') {
      this.typed(c, 'string');
      if (!this.multiline && LINE_BREAK.test(v)) this.multiline = true;
      return v === '' ? '""' : csvField(v);
    }
    if (typeof v === 'number') {
      this.typed(c, 'double');
      return String(v);
    }
    if (typeof v === 'boolean') {
      this.typed(c, 'boolean');
      return v ? 'true' : 'false';
    }
    if (neo4j.isInt(v)) {
      this.typed(c, 'long');
      return v.toString();
    }
    if (Array.isArray(v) && v.length > 0) {
      if (v.every((x) => typeof x === 'number')) {
        this.typed(c, 'double[]');
        return v.join(';');
      }
      if (v.every((x) => typeof x === 'string' && !x.includes(';') && x !== '')) {
        this.typed(c, 'string[]');
        return csvField(v.join(';'));
      }
    }
    throw internal(`${this.base}: property ${this.columns?.[c]} has a value the importer cannot take`);
  }

  async flush(): Promise<void> {
    if (this.pending === 0) return;
    const text = this.text;
    const n = this.pending;
    this.text = '';
    this.pending = 0;
    await this.writer.lines(text, n);
  }

  /** Closes the body and writes the header file; returns [header, body]. */
  async close(): Promise<string[]> {
    await this.flush();
    this.closed = true;
    await this.writer.close();
    const header = join(this.dir, `${this.base}.header.csv`);
    const props = (this.columns ?? []).map((col, i) => `${col}:${this.types[i] ?? 'string'}`);
    writeFileSync(header, csvLine([...this.fixed, ...props]));
    return [header, this.body];
  }

  /** Drops what is pending and closes the body (before its folder is deleted). */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.text = '';
    this.pending = 0;
    await this.writer.close();
  }
}
