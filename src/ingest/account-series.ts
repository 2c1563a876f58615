import type { BalanceRow } from '../domain/contract.js';

/** One Account node: a client's account of one type with its monthly balances, months ascending. */
export interface AccountSeriesRow {
  readonly id: string;
  readonly clientId: string;
  readonly type: string;
  readonly months: string[];
  readonly balances: number[];
}

/**
 * Groups balances.csv rows into one series per (client, account type), id `CLIENT:TYPE`. Rows may
 * come in any order; `rows()` sorts each series by month (YYYY-MM compares as a string) and keeps
 * the balances aligned with their months. Memory: the whole file's months and balances.
 */
export class AccountSeries {
  private readonly accounts = new Map<
    string,
    { clientId: string; type: string; months: string[]; balances: number[] }
  >();

  add(row: BalanceRow): void {
    const id = `${row.client_id}:${row.account_type}`;
    let a = this.accounts.get(id);
    if (!a) {
      a = { clientId: row.client_id, type: row.account_type, months: [], balances: [] };
      this.accounts.set(id, a);
    }
    a.months.push(row.month);
    a.balances.push(row.balance);
  }

  get size(): number {
    return this.accounts.size;
  }

  *rows(): Generator<AccountSeriesRow> {
    for (const [id, a] of this.accounts) {
      const order = a.months.map((_, i) => i).sort((i, j) => (a.months[i]! < a.months[j]! ? -1 : 1));
      yield {
        id,
        clientId: a.clientId,
        type: a.type,
        months: order.map((i) => a.months[i] as string),
        balances: order.map((i) => a.balances[i] as number),
      };
    }
  }
}
