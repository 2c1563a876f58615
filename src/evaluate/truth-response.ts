import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../csv/reader.js';
import { idCell, numberCell } from '../domain/cells.js';
import { TRUTH_DIR } from '../domain/contract.js';
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
const BLIND = ['p_no_contact_type_blind', 'p_contact_type_blind'] as const;
const probability = numberCell(0, 1);
const MAX_ISSUES = 50;

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
  const C = channelIndex.size;
  const P = productIndex.size;
  const issues: InputIssue[] = [];
  const pairOf = new Map<number, number>();
  let cap = 1 << 16;
  let pairClient = new Int32Array(cap);
  let pairProduct = new Int32Array(cap);
  let p0 = new Float64Array(cap);
  let p1 = new Float64Array(cap * C);
  let hasRow = new Uint8Array(cap * C);
  let mu: Float64Array<ArrayBuffer> | undefined;
  let b0: Float64Array<ArrayBuffer> | undefined;
  let b1: Float64Array<ArrayBuffer> | undefined;
  let n = 0;
  let col: number[] | undefined;
  let muCol = -1;
  let blindCol: number[] = [];
  const grow = (): void => {
    cap *= 2;
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
    pairClient = g32(pairClient);
    pairProduct = g32(pairProduct);
    p0 = g64(p0, 1);
    p1 = g64(p1, C);
    const h = new Uint8Array(cap * C);
    h.set(hasRow);
    hasRow = h;
    if (mu) mu = g64(mu, C);
    if (b0) b0 = g64(b0, 1);
    if (b1) b1 = g64(b1, C);
  };
  for await (const batch of readCsv(path, { displayName: file })) {
    for (const rec of batch) {
      const f = rec.fields;
      if (!col) {
        col = REQUIRED.map((name) => f.indexOf(name));
        const missing = REQUIRED.filter((_, i) => col![i]! < 0);
        if (missing.length > 0) {
          throw new InputError([
            {
              file,
              line: rec.line,
              reason: `header lacks column(s) ${missing.join(', ')} (needs ${REQUIRED.join(', ')})`,
            },
          ]);
        }
        muCol = f.indexOf('logging_propensity');
        if (muCol >= 0) mu = new Float64Array(cap * C);
        blindCol = BLIND.map((name) => f.indexOf(name));
        if (blindCol.filter((j) => j >= 0).length === 1) {
          throw new InputError([
            {
              file,
              line: rec.line,
              reason: `header has only one of ${BLIND.join(', ')}: the type-blind truth needs both`,
            },
          ]);
        }
        if (blindCol[0]! >= 0) {
          b0 = new Float64Array(cap);
          b1 = new Float64Array(cap * C);
        } else blindCol = [];
        continue;
      }
      const bad = (k: number, reason: string): void => {
        if (issues.length < MAX_ISSUES) {
          const header = (col as number[]).indexOf(k);
          const blind = blindCol.indexOf(k);
          const columnName =
            header >= 0 ? REQUIRED[header]! : blind >= 0 ? BLIND[blind]! : 'logging_propensity';
          issues.push({ file, line: rec.line, column: k + 1, columnName, reason });
        }
      };
      const cid = f[col[0]!] ?? '';
      const pid = f[col[1]!] ?? '';
      const chid = f[col[2]!] ?? '';
      const i = clientIndex.get(cid);
      const p = productIndex.get(pid);
      const c = channelIndex.get(chid);
      if (i === undefined) {
        bad(
          col[0]!,
          idCell.safeParse(cid).success
            ? `client ${cid} is not in clients.csv`
            : `expected a client id, got ${JSON.stringify(cid)}`,
        );
        continue;
      }
      if (p === undefined) {
        bad(col[1]!, `product ${JSON.stringify(pid)} is not in products.csv`);
        continue;
      }
      if (c === undefined) {
        bad(col[2]!, `channel ${JSON.stringify(chid)} is not in channels.csv`);
        continue;
      }
      // Reads a probability column; a bad cell is reported and the row skipped.
      const prob = (k: number): number | undefined => {
        const parsed = probability.safeParse(f[k] ?? '');
        if (parsed.success) return parsed.data;
        bad(k, `expected a probability in [0, 1], got ${JSON.stringify(f[k])}`);
        return undefined;
      };
      const a = prob(col[3]!);
      if (a === undefined) continue;
      const b = prob(col[4]!);
      if (b === undefined) continue;
      const m = mu ? prob(muCol) : 0;
      if (m === undefined) continue;
      const x0 = b0 ? prob(blindCol[0]!) : 0;
      if (x0 === undefined) continue;
      const x1 = b0 ? prob(blindCol[1]!) : 0;
      if (x1 === undefined) continue;
      const key = i * P + p;
      let k = pairOf.get(key);
      if (k === undefined) {
        if (n === cap) grow();
        k = n++;
        pairOf.set(key, k);
        pairClient[k] = i;
        pairProduct[k] = p;
        p0[k] = a;
        if (b0) b0[k] = x0;
      } else if (Math.abs(p0[k]! - a) > 1e-9) {
        bad(
          col[3]!,
          `p_no_contact ${a} differs from ${p0[k]} on an earlier row of the same client and product`,
        );
        continue;
      }
      if (hasRow[k * C + c]) {
        bad(col[2]!, `a second row for client ${cid}, product ${pid}, channel ${chid}`);
        continue;
      }
      hasRow[k * C + c] = 1;
      p1[k * C + c] = b;
      if (mu) mu[k * C + c] = m;
      if (b1) b1[k * C + c] = x1;
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  // Channels without a row: no effect of contacting (p1 = p0) and not contactable.
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < C; c++) {
      if (hasRow[k * C + c]) continue;
      p1[k * C + c] = p0[k]!;
      if (b1 && b0) b1[k * C + c] = b0[k]!;
    }
  }
  return {
    nPairs: n,
    pairClient: pairClient.slice(0, n),
    pairProduct: pairProduct.slice(0, n),
    p0: p0.slice(0, n),
    p1: p1.slice(0, n * C),
    hasRow: hasRow.slice(0, n * C),
    loggingPropensity: mu?.slice(0, n * C),
    typeBlind: b0 && b1 ? { p0: b0.slice(0, n), p1: b1.slice(0, n * C) } : undefined,
  };
}
