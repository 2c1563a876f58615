import type { ConsentRow } from '../domain/contract.js';

/** One (client, channel) consent decision as the graph stores it: a CONSENT relationship. */
export interface ConsentDecision {
  readonly clientId: string;
  readonly channelId: string;
  readonly status: string;
  readonly at: string;
  /** Every decision met for the pair, in file order, as `at|status` (the consent at past dates). */
  readonly history: string[];
}

/**
 * Keeps the latest consent row per (client, channel), in file order: a row replaces the kept one
 * when its `at` is later or equal (ISO timestamps compare as strings), so on equal timestamps the
 * later line wins. Memory: one entry per distinct pair.
 */
export class LatestConsents {
  private readonly latest = new Map<string, ConsentDecision>();

  add(row: ConsentRow): void {
    const key = `${row.client_id}\u0000${row.channel_id}`;
    const prev = this.latest.get(key);
    const history = prev?.history ?? [];
    history.push(`${row.at}|${row.status}`);
    if (!prev || row.at >= prev.at)
      this.latest.set(key, {
        clientId: row.client_id,
        channelId: row.channel_id,
        status: row.status,
        at: row.at,
        history,
      });
  }

  values(): ConsentDecision[] {
    return [...this.latest.values()];
  }
}
