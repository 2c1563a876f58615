import type { Logger } from 'pino';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { ErrorCode, isNbgError, NbgError } from '../../errors.js';

const writeRecommendations = query('write/api-recommendations');

/** One served suggestion as written: its id, client, and the :Recommendation properties. */
export interface RecommendationRow {
  readonly id: string;
  readonly clientId: string;
  /** 'trained' or 'stand-in', set on the :Model node when it is first created. */
  readonly modelKind: string;
  readonly props: Readonly<Record<string, unknown>>;
}

export interface RecommendationStoreOptions {
  /** Rows per write transaction. */
  readonly batchSize: number;
  /** Rows waiting at most; beyond, new suggestions are refused (SERVICE_UNAVAILABLE) until the backlog drains. */
  readonly maxPending: number;
  /** Retry delay after a failed write, doubling up to maxRetryMs. */
  readonly retryMs: number;
  readonly maxRetryMs: number;
  /** On close, how long to keep retrying the backlog before giving up (and logging what is lost). */
  readonly closeTimeoutMs: number;
}
export const RECOMMENDATION_STORE_DEFAULTS: RecommendationStoreOptions = {
  batchSize: 500,
  maxPending: 20_000,
  retryMs: 100,
  maxRetryMs: 2_000,
  closeTimeoutMs: 30_000,
};

interface Pending {
  readonly row: RecommendationRow;
  readonly done: Promise<void>;
  resolve(): void;
}

/**
 * Writes served suggestions off the request's critical path, without losing them: rows queue in
 * memory and one writer drains the queue in batches (group commit: what arrives during a write
 * goes in the next one), retrying with backoff while Neo4j is unreachable; the write is idempotent
 * (a known id is skipped), so a batch whose commit acknowledgement was lost is safely written again.
 * A read of a suggestion still queued waits for its write (`stored(id)`); `close()` drains the
 * queue. Past `maxPending` queued rows `admit()` refuses new suggestions.
 */
export class RecommendationStore {
  private readonly queue: Pending[] = [];
  private readonly byId = new Map<string, Pending>();
  private draining: Promise<void> | undefined;
  private closing = false;
  private failures = 0;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: RecommendationStoreOptions = RECOMMENDATION_STORE_DEFAULTS,
  ) {}

  /** Rows waiting to be written. */
  get pending(): number {
    return this.queue.length;
  }

  /** Throws SERVICE_UNAVAILABLE when the backlog is full (the database has been down for a while). */
  admit(rows: number): void {
    if (this.queue.length + rows > this.options.maxPending) {
      throw new NbgError(
        ErrorCode.SERVICE_UNAVAILABLE,
        `api/recommendation-store: ${this.queue.length} served suggestions are still waiting to be written (max ${this.options.maxPending}); retry when the database is back`,
      );
    }
  }

  /** Queues rows for writing; resolves once they are in the database. */
  add(rows: readonly RecommendationRow[]): Promise<void> {
    const done: Promise<void>[] = [];
    for (const row of rows) {
      let resolve!: () => void;
      const p: Pending = { row, done: new Promise<void>((r) => (resolve = r)), resolve: () => resolve() };
      this.queue.push(p);
      this.byId.set(row.id, p);
      done.push(p.done);
    }
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return Promise.all(done).then(() => undefined);
  }

  /** Waits until the suggestion `id` is written, when it is still queued. */
  async stored(id: string): Promise<void> {
    await this.byId.get(id)?.done;
  }

  private async drain(): Promise<void> {
    let delay = this.options.retryMs;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.options.batchSize);
      try {
        await this.db.write(writeRecommendations, {
          rows: batch.map((p) => ({
            id: p.row.id,
            clientId: p.row.clientId,
            modelKind: p.row.modelKind,
            props: p.row.props,
          })),
        });
      } catch (e) {
        this.failures++;
        if (this.failures === 1 || this.failures % 50 === 0) {
          this.log.warn(
            { err: e, pending: this.queue.length, failures: this.failures },
            'api: writing served recommendations failed; retrying',
          );
        }
        if (!isNbgError(e) || e.code !== ErrorCode.SERVICE_UNAVAILABLE) {
          // Not an outage: the same rows would fail forever. Log them whole so they can be replayed.
          this.log.error(
            { err: e, rows: batch.map((p) => p.row) },
            'api: served recommendations not written',
          );
          this.settle(batch);
          continue;
        }
        if (this.closing && this.closeDeadline !== undefined && Date.now() > this.closeDeadline) return;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(this.options.maxRetryMs, delay * 2);
        continue;
      }
      delay = this.options.retryMs;
      this.failures = 0;
      this.settle(batch);
    }
  }

  private settle(batch: readonly Pending[]): void {
    this.queue.splice(0, batch.length);
    for (const p of batch) {
      this.byId.delete(p.row.id);
      p.resolve();
    }
  }

  private closeDeadline: number | undefined;

  /** Drains the queue (retrying up to closeTimeoutMs); logs, whole, any row it could not write. */
  async close(): Promise<void> {
    this.closing = true;
    this.closeDeadline = Date.now() + this.options.closeTimeoutMs;
    await this.draining;
    if (this.queue.length > 0) {
      this.log.error(
        { rows: this.queue.map((p) => p.row) },
        `api: ${this.queue.length} served recommendations could not be written before shutdown`,
      );
    }
  }
}
