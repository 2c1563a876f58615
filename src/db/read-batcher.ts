import type { Db, Params, Row } from './executor.js';
import type { QueryRef } from './queries.js';

export interface ReadBatcherOptions {
  /** Most requests sent in one query. Default 64. */
  readonly maxBatch?: number;
  /**
   * Batches running at once; requests made while they run wait and leave together in the next
   * batch. Default 4.
   */
  readonly maxInFlight?: number;
  /** Parameters sent with every batch beside `$requests` (the same for every request). */
  readonly params?: Params;
}

export const READ_BATCHER_DEFAULTS = { maxBatch: 64, maxInFlight: 4 } as const;

interface Waiting<R> {
  readonly request: unknown;
  readonly resolve: (rows: R[]) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Coalesces concurrent one-request reads into one query, so a server under load pays the
 * round trip, the session and the transaction once for many requests. The statement receives
 * `$requests` (the list of requests, in order) and returns each row with `i`, the index of the
 * request it answers (`UNWIND range(0, size($requests) - 1) AS i`). Requests made in the same turn
 * of the event loop leave together; when `maxInFlight` batches are running, later requests wait
 * for one of them to end and leave together, so batches grow with the load and the latency of a
 * lone request is that of a plain read. A failed query rejects every request of its batch with the
 * same error; the read's retries are those of `Db.read`.
 *
 * Measured on the API (bench/api, 100,000 clients, 2 cores): the Neo4j driver was about 80% of the
 * server's CPU with one read per request (docs/api.md, "Coalesced reads").
 */
export class ReadBatcher<R extends Row = Row> {
  private queue: Waiting<R>[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  /** Queries run and requests answered, for tests and diagnostics. */
  readonly counts = { queries: 0, requests: 0 };

  constructor(
    readonly db: Db,
    private readonly ref: QueryRef,
    private readonly options: ReadBatcherOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? READ_BATCHER_DEFAULTS.maxBatch);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? READ_BATCHER_DEFAULTS.maxInFlight);
  }

  /** The rows of the statement that answer `request` (in the statement's order; [] for none). */
  load(request: unknown): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
        void this.run(this.queue.splice(0, this.maxBatch));
      }
    });
  }

  private async run(batch: Waiting<R>[]): Promise<void> {
    this.inFlight++;
    this.counts.queries++;
    this.counts.requests += batch.length;
    try {
      const rows = await this.db.read<R>(this.ref, {
        ...this.options.params,
        requests: batch.map((w) => w.request),
      });
      const byRequest: R[][] = batch.map(() => []);
      for (const row of rows) {
        const i = Number(row.i);
        const list = byRequest[i];
        if (list === undefined)
          throw new Error(`${this.ref.name}: a row has i = ${String(row.i)}, not a request index`);
        list.push(row);
      }
      for (const [i, w] of batch.entries()) w.resolve(byRequest[i]!);
    } catch (e) {
      for (const w of batch) w.reject(e);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
