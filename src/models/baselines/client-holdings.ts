/**
 * Each client's holdings as of its latest decision row, read from the table's `holds_<product id>`
 * pair features (src/features/feature-schema.ts): the client × product matrix the matrix
 * factorisation and graph-neighbour baselines learn from. A client's latest row (largest `day`)
 * stands for "as of the decision date".
 */
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import type { SparseRows } from './implicit-als.js';

export interface ClientHoldings {
  /** Client indices (into rows.clientIds) that have rows, ascending. */
  readonly clients: Int32Array;
  /** clients.length × P, value 1 where held. */
  readonly holdings: SparseRows;
  /** For each client index, its position in `clients`, −1 without rows. */
  readonly position: Int32Array;
  /** For each client position, its latest row. */
  readonly latestRow: Int32Array;
}

/** Column of `holds_<id>` in the pair features, for each product; refuses a table without them. */
export function holdingColumns(rows: UpliftExamples, where: string): Int32Array {
  return Int32Array.from(rows.productIds, (id) => {
    const j = rows.schema.pair.indexOf(`holds_${id}`);
    if (j < 0)
      throw new NbgError(
        ErrorCode.BAD_INPUT,
        `${where}: the table has no pair feature holds_${id}: holdings are read from holds_<product id> features`,
      );
    return j;
  });
}

export function clientHoldings(rows: UpliftExamples, where: string): ClientHoldings {
  const cols = holdingColumns(rows, where);
  const F = rows.schema.pair.length;
  const nClients = rows.clientIds.length;
  const latest = new Int32Array(nClients).fill(-1);
  for (let i = 0; i < rows.n; i++) {
    const k = rows.client[i] as number;
    const prev = latest[k] as number;
    if (prev < 0 || (rows.day[i] as number) >= (rows.day[prev] as number)) latest[k] = i;
  }
  const position = new Int32Array(nClients).fill(-1);
  const clients: number[] = [];
  const latestRow: number[] = [];
  for (let k = 0; k < nClients; k++)
    if ((latest[k] as number) >= 0) {
      position[k] = clients.length;
      clients.push(k);
      latestRow.push(latest[k] as number);
    }
  const indptr = new Int32Array(clients.length + 1);
  const indices: number[] = [];
  latestRow.forEach((i, u) => {
    cols.forEach((j, p) => {
      if ((rows.x[i * F + j] as number) > 0.5) indices.push(p);
    });
    indptr[u + 1] = indices.length;
  });
  return {
    clients: Int32Array.from(clients),
    holdings: {
      nRows: clients.length,
      nCols: rows.productIds.length,
      indptr,
      indices: Int32Array.from(indices),
      values: new Float32Array(indices.length).fill(1),
    },
    position,
    latestRow: Int32Array.from(latestRow),
  };
}
