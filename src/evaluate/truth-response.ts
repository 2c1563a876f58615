import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../csv/reader.js';
import { idCell, numberCell } from '../domain/cells.js';
import { TRUTH_DIR, TRUTH_TYPE_BLIND_COLUMNS } from '../domain/contract.js';
import { InputError, type InputIssue } from '../errors.js';

/**
 * truth/response.csv as typed arrays over decision pairs (client, product): one pair per
 * (client, product) that has at least one row, in first-seen order.
 * - `p0[k]`: conversion probability within the horizon without contact;
 * - `p1[k * C + c]`: with one contact through channel c (= p0 where the channel has no row);
 * - `hasRow[k * C + c]`: 1 when the file has the (client, product, channel) row;
 * - `loggingPropensity[k * C + c]`: the optional extra column (mu(p, c | client) at D), else undefined.
 * - `typeBlind`: the optional pair of columns p_no_contact_type_blind and p_contact_type_blind (the
 *   simulator's probabilities with the hidden response type averaged out; docs/simulator.md), else
 *   undefined: p0 per pair and p1 per (pair, channel) like the main ones.
 */
export interface TruthResponse {
  readonly nPairs: number;
  readonly pairClient: Int32Array;
  readonly pairProduct: Int32Array;
  readonly p0: Float64Array;
  readonly p1: Float64Array;
  readonly hasRow: Uint8Array;
  readonly loggingPropensity: Float64Array | undefined;
  readonly typeBlind: { readonly p0: Float64Array; readonly p1: Float64Array } | undefined;
}

const REQUIRED = ['client_id', 'product_id', 'channel_id', 'p_no_contact', 'p_contact'] as const;
const BLIND = TRUTH_TYPE_BLIND_COLUMNS;
const probability = numberCell(0, 1);
const MAX_ISSUES = 50;

/** Column positions of the header: the required columns, the optional propensity and type-blind ones (-1 / [] when absent). */
interface TruthHeader {
  readonly col: readonly number[];
  readonly muCol: number;
  readonly blindCol: readonly number[];
}

/** Reads the header row: every required column, and both type-blind columns or neither. */
function readHeader(f: readonly string[], file: string, line: number): TruthHeader {
  const col = REQUIRED.map((name) => f.indexOf(name));
  const missing = REQUIRED.filter((_, i) => col[i]! < 0);
  if (missing.length > 0) {
    throw new InputError([
      { file, line, reason: `header lacks column(s) ${missing.join(', ')} (needs ${REQUIRED.join(', ')})` },
    ]);
  }
  const blindCol = BLIND.map((name) => f.indexOf(name));
  if (blindCol.filter((j) => j >= 0).length === 1) {
    throw new InputError([
      { file, line, reason: `header has only one of ${BLIND.join(', ')}: the type-blind truth needs both` },
    ]);
  }
  return { col, muCol: f.indexOf('logging_propensity'), blindCol: blindCol[0]! >= 0 ? blindCol : [] };
}

/**
 * The per-pair columns of truth/response.csv as they are read, in typed arrays that double when
 * full: pair client and product, p0 per pair, p1 / hasRow / propensity per (pair, channel), and the
 * type-blind p0 and p1 when the file has them.
 */
class TruthColumns {
  n = 0;
  private cap = 1 << 16;
  pairClient = new Int32Array(this.cap);
  pairProduct = new Int32Array(this.cap);
  p0 = new Float64Array(this.cap);
  p1: Float64Array<ArrayBuffer>;
  hasRow: Uint8Array<ArrayBuffer>;
  mu: Float64Array<ArrayBuffer> | undefined;
  b0: Float64Array<ArrayBuffer> | undefined;
  b1: Float64Array<ArrayBuffer> | undefined;

  constructor(
    private readonly C: number,
    withPropensity: boolean,
    withBlind: boolean,
  ) {
    this.p1 = new Float64Array(this.cap * C);
    this.hasRow = new Uint8Array(this.cap * C);
    if (withPropensity) this.mu = new Float64Array(this.cap * C);
    if (withBlind) {
      this.b0 = new Float64Array(this.cap);
      this.b1 = new Float64Array(this.cap * C);
    }
  }

  /** A new pair (client i, product p) with its p0 (and type-blind p0); returns its index. */
  addPair(i: number, p: number, p0: number, blindP0: number): number {
    if (this.n === this.cap) this.grow();
    const k = this.n++;
    this.pairClient[k] = i;
    this.pairProduct[k] = p;
    this.p0[k] = p0;
    if (this.b0) this.b0[k] = blindP0;
    return k;
  }

  private grow(): void {
    const { C } = this;
    this.cap *= 2;
    const cap = this.cap;
    const g32 = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array<ArrayBuffer>, w: number): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap * w);
      b.set(a);
      return b;
    };
    this.pairClient = g32(this.pairClient);
    this.pairProduct = g32(this.pairProduct);
    this.p0 = g64(this.p0, 1);
    this.p1 = g64(this.p1, C);
    const h = new Uint8Array(cap * C);
    h.set(this.hasRow);
    this.hasRow = h;
    if (this.mu) this.mu = g64(this.mu, C);
    if (this.b0) this.b0 = g64(this.b0, 1);
    if (this.b1) this.b1 = g64(this.b1, C);
  }

  /** The response, trimmed to the pairs read; a channel without a row gets p1 = p0 (no effect). */
  finish(): TruthResponse {
    const { n, C, p0, p1, hasRow, b0, b1 } = this;
    for (let k = 0; k < n; k++) {
      for (let c = 0; c < C; c++) {
        if (hasRow[k * C + c]) continue;
        p1[k * C + c] = p0[k]!;
        if (b1 && b0) b1[k * C + c] = b0[k]!;
      }
    }
    return {
      nPairs: n,
      pairClient: this.pairClient.slice(0, n),
      pairProduct: this.pairProduct.slice(0, n),
      p0: p0.slice(0, n),
      p1: p1.slice(0, n * C),
      hasRow: hasRow.slice(0, n * C),
      loggingPropensity: this.mu?.slice(0, n * C),
      typeBlind: b0 && b1 ? { p0: b0.slice(0, n), p1: b1.slice(0, n * C) } : undefined,
    };
  }
}

/** The id → index maps of the contract tables a truth row refers to. */
interface TruthIndex {
  readonly clientIndex: ReadonlyMap<string, number>;
  readonly productIndex: ReadonlyMap<string, number>;
  readonly channelIndex: ReadonlyMap<string, number>;
}

/**
 * Reads one data row into `out`; a bad cell is reported through `bad` (column index, reason) and
 * the row skipped: an unknown id, a cell that is not a probability, a p_no_contact that differs from
 * the pair's earlier rows, a second row of the same (pair, channel).
 */
function readRow(
  f: readonly string[],
  h: TruthHeader,
  ix: TruthIndex,
  pairOf: Map<number, number>,
  out: TruthColumns,
  bad: (k: number, reason: string) => void,
): void {
  const { col, muCol, blindCol } = h;
  const C = ix.channelIndex.size;
  const cid = f[col[0]!] ?? '';
  const pid = f[col[1]!] ?? '';
  const chid = f[col[2]!] ?? '';
  const i = ix.clientIndex.get(cid);
  const p = ix.productIndex.get(pid);
  const c = ix.channelIndex.get(chid);
  if (i === undefined) {
    bad(
      col[0]!,
      idCell.safeParse(cid).success
        ? `client ${cid} is not in clients.csv`
        : `expected a client id, got ${JSON.stringify(cid)}`,
    );
    return;
  }
  if (p === undefined) {
    bad(col[1]!, `product ${JSON.stringify(pid)} is not in products.csv`);
    return;
  }
  if (c === undefined) {
    bad(col[2]!, `channel ${JSON.stringify(chid)} is not in channels.csv`);
    return;
  }
  // Reads a probability column; a bad cell is reported and the row skipped.
  const prob = (k: number): number | undefined => {
    const parsed = probability.safeParse(f[k] ?? '');
    if (parsed.success) return parsed.data;
    bad(k, `expected a probability in [0, 1], got ${JSON.stringify(f[k])}`);
    return undefined;
  };
  const a = prob(col[3]!);
  if (a === undefined) return;
  const b = prob(col[4]!);
  if (b === undefined) return;
  const m = out.mu ? prob(muCol) : 0;
  if (m === undefined) return;
  const x0 = out.b0 ? prob(blindCol[0]!) : 0;
  if (x0 === undefined) return;
  const x1 = out.b0 ? prob(blindCol[1]!) : 0;
  if (x1 === undefined) return;
  const key = i * ix.productIndex.size + p;
  let k = pairOf.get(key);
  if (k === undefined) {
    k = out.addPair(i, p, a, x0);
    pairOf.set(key, k);
  } else if (Math.abs(out.p0[k]! - a) > 1e-9) {
    bad(
      col[3]!,
      `p_no_contact ${a} differs from ${out.p0[k]} on an earlier row of the same client and product`,
    );
    return;
  }
  if (out.hasRow[k * C + c]) {
    bad(col[2]!, `a second row for client ${cid}, product ${pid}, channel ${chid}`);
    return;
  }
  out.hasRow[k * C + c] = 1;
  out.p1[k * C + c] = b;
  if (out.mu) out.mu[k * C + c] = m;
  if (out.b1) out.b1[k * C + c] = x1;
}

/** Reads and checks truth/response.csv (streamed; about 17 bytes per (pair, channel) kept). */
export async function readTruthResponse(
  dir: string,
  clientIndex: ReadonlyMap<string, number>,
  productIndex: ReadonlyMap<string, number>,
  channelIndex: ReadonlyMap<string, number>,
): Promise<TruthResponse> {
  const file = `${TRUTH_DIR}/response.csv`;
  const path = join(dir, TRUTH_DIR, 'response.csv');
  if (!existsSync(path)) throw new InputError([{ file, reason: `missing: evaluation needs ${file}` }]);
  const ix: TruthIndex = { clientIndex, productIndex, channelIndex };
  const issues: InputIssue[] = [];
  const pairOf = new Map<number, number>();
  let header: TruthHeader | undefined;
  let out: TruthColumns | undefined;
  for await (const batch of readCsv(path, { displayName: file })) {
    for (const rec of batch) {
      if (!header || !out) {
        header = readHeader(rec.fields, file, rec.line);
        out = new TruthColumns(channelIndex.size, header.muCol >= 0, header.blindCol.length > 0);
        continue;
      }
      const h = header;
      readRow(rec.fields, h, ix, pairOf, out, (k, reason) => {
        if (issues.length >= MAX_ISSUES) return;
        const required = h.col.indexOf(k);
        const blind = h.blindCol.indexOf(k);
        const columnName =
          required >= 0 ? REQUIRED[required]! : blind >= 0 ? BLIND[blind]! : 'logging_propensity';
        issues.push({ file, line: rec.line, column: k + 1, columnName, reason });
      });
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  return (out ?? new TruthColumns(channelIndex.size, false, false)).finish();
}
