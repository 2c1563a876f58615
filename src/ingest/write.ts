import { createHash } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { z } from 'zod';
import { readTable, type TableRow } from '../dataset/read-table.js';
import type { Db, Row, WriteSummary } from '../db/executor.js';
import { type QueryRef, query } from '../db/queries.js';
import {
  balancesSpec,
  campaignsSpec,
  channelsSpec,
  clientsSpec,
  consentsSpec,
  eventsSpec,
  type FileSpec,
  holdingsSpec,
  productsSpec,
  solicitationsSpec,
  verbatimsSpec,
} from '../domain/contract.js';
import type { Policy } from '../domain/policy.js';
import { stopwatch } from '../stopwatch.js';
import { AccountSeries } from './account-series.js';
import { LatestConsents } from './latest-consents.js';

const Q = {
  products: query('write/products'),
  channels: query('write/channels'),
  advisors: query('write/advisors'),
  clients: query('write/clients'),
  campaigns: query('write/campaigns'),
  holdings: query('write/holdings'),
  consents: query('write/consents'),
  solicitations: query('write/solicitations'),
  events: query('write/events'),
  accounts: query('write/accounts'),
  verbatims: query('write/verbatims'),
  policy: query('write/policy'),
};

const int = (v: number | undefined): unknown => (v === undefined ? null : neo4j.int(v));
const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export type Mapper<S extends z.ZodObject> = (
  row: z.output<S>,
  extras: Record<string, string> | undefined,
) => Row;

/** How the rows of each streamed file become the parameters of its write statement. */
interface StreamedFile<S extends z.ZodObject> {
  readonly spec: FileSpec<S>;
  readonly ref: QueryRef;
  readonly map: Mapper<S>;
  /** Write transactions in flight: 1 where batches would contend for the same few nodes. */
  readonly concurrency: number;
}

function streamed<S extends z.ZodObject>(
  spec: FileSpec<S>,
  ref: QueryRef,
  map: Mapper<S>,
  concurrency = 2,
): StreamedFile<S> {
  return { spec, ref, map, concurrency };
}

const STREAMED = [
  streamed(
    productsSpec,
    Q.products,
    (r, x) => ({
      id: r.product_id,
      props: {
        ...x,
        name: r.name,
        family: r.family,
        isCredit: r.is_credit,
        minAge: int(r.min_age),
        maxAge: int(r.max_age),
        requiredRiskProfile: orNull(r.required_risk_profile),
        unitValue: r.unit_value,
      },
    }),
    1,
  ),
  streamed(
    channelsSpec,
    Q.channels,
    (r, x) => ({
      id: r.channel_id,
      props: { ...x, name: r.name, costPerContact: r.cost_per_contact, dailyCapacity: int(r.daily_capacity) },
    }),
    1,
  ),
  streamed(
    clientsSpec,
    Q.clients,
    (r, x) => ({
      id: r.client_id,
      advisorId: r.advisor_id,
      props: {
        ...x,
        birthYear: int(r.birth_year),
        segment: r.segment,
        incomeBand: int(r.income_band),
        region: r.region,
        branchId: r.branch_id,
        riskProfile: r.risk_profile,
        financiallyFragile: r.financially_fragile,
        customerSince: r.customer_since,
      },
    }),
    1,
  ),
  streamed(
    campaignsSpec,
    Q.campaigns,
    (r, x) => ({
      id: r.campaign_id,
      props: {
        ...x,
        productId: r.product_id,
        channelId: r.channel_id,
        startedAt: r.started_at,
        endedAt: r.ended_at,
        budget: orNull(r.budget),
        quota: int(r.quota),
      },
    }),
    1,
  ),
  streamed(holdingsSpec, Q.holdings, (r, x) => ({
    clientId: r.client_id,
    productId: r.product_id,
    openedAt: r.opened_at,
    props: { ...x, closedAt: orNull(r.closed_at) },
  })),
  streamed(solicitationsSpec, Q.solicitations, (r, x) => ({
    id: r.solicitation_id,
    clientId: r.client_id,
    productId: r.product_id,
    channelId: r.channel_id,
    campaignId: orNull(r.campaign_id),
    props: {
      ...x,
      sentAt: r.sent_at,
      loggingPropensity: orNull(r.logging_propensity),
      outcome: r.outcome,
      outcomeAt: orNull(r.outcome_at),
    },
  })),
  streamed(eventsSpec, Q.events, (r, x) => ({
    id: r.event_id,
    clientId: r.client_id,
    productId: orNull(r.product_id),
    props: { ...x, at: r.at, type: r.type, sessionId: r.session_id, page: orNull(r.page) },
  })),
  streamed(verbatimsSpec, Q.verbatims, (r, x) => ({
    id: r.verbatim_id,
    clientId: r.client_id,
    productId: orNull(r.product_id),
    channelId: orNull(r.channel_id),
    props: { ...x, at: r.at, score: int(r.score), text: r.text },
  })),
] as const;

/**
 * Per contract file written row by row, the function from a valid row to its statement parameters
 * (`id`, the ids of related nodes, `props`): the offline import (bulk-input.ts) stores the same
 * properties the write statements do.
 */
export const ROW_MAPPERS: ReadonlyMap<string, Mapper<z.ZodObject>> = new Map(
  STREAMED.map((f) => [f.spec.file, f.map as unknown as Mapper<z.ZodObject>]),
);

export interface WriteOptions {
  readonly batchSize: number;
  readonly badLines: ReadonlyMap<string, ReadonlySet<number>>;
  readonly onRows: (n: number) => void;
}

export interface FileWriteResult {
  readonly file: string;
  readonly rowsWritten: number;
  readonly summary: WriteSummary;
  readonly seconds: number;
}

async function* mapped<S extends z.ZodObject>(
  source: AsyncIterable<TableRow<S>[]>,
  map: Mapper<S>,
  counter: { n: number },
): AsyncGenerator<Row[]> {
  for await (const batch of source) {
    counter.n += batch.length;
    yield batch.map((t) => map(t.row, t.extras));
  }
}

function unexpected(file: string): (issue: { reason: string; line?: number }) => void {
  // The validation pass saw every row; a problem now means the file changed under us.
  return (issue) => {
    throw new Error(
      `${file} changed during ingest (line ${issue.line}: ${issue.reason}); run the ingest again`,
    );
  };
}

/**
 * The write pass, in dependency order: products, channels, clients (advisors, branches), campaigns,
 * holdings, consents (latest per client and channel), solicitations, events, accounts (monthly
 * balances grouped per client and account type), verbatims. Skips the lines the validation pass
 * found bad. Every statement is idempotent per row, so the pass can be re-run after a crash.
 */
export async function writeDataset(
  db: Db,
  dir: string,
  present: ReadonlySet<string>,
  options: WriteOptions,
): Promise<FileWriteResult[]> {
  const results: FileWriteResult[] = [];
  const skip = (file: string): ReadonlySet<number> => options.badLines.get(file) ?? new Set();
  const onBatch = (n: number): void => options.onRows(n);

  /** Reads a file's valid rows (its bad lines skipped) into `add`; resolves to how many. */
  const eachValidRow = async <S extends z.ZodObject>(
    spec: FileSpec<S>,
    add: (row: z.output<S>) => void,
  ): Promise<number> => {
    let n = 0;
    for await (const batch of readTable(dir, spec, {
      onIssue: unexpected(spec.file),
      skipLines: skip(spec.file),
    })) {
      for (const { row } of batch) add(row);
      n += batch.length;
    }
    return n;
  };

  const runStreamed = async <S extends z.ZodObject>(f: StreamedFile<S>): Promise<void> => {
    if (!present.has(f.spec.file)) return;
    const sw = stopwatch();
    const counter = { n: 0 };
    const source = readTable(dir, f.spec, { onIssue: unexpected(f.spec.file), skipLines: skip(f.spec.file) });
    const summary = await db.writeBatches(f.ref, mapped(source, f.map, counter), {
      batchSize: options.batchSize,
      concurrency: f.concurrency,
      onBatch,
    });
    results.push({ file: f.spec.file, rowsWritten: counter.n, summary, seconds: sw.seconds() });
  };

  const [products, channels, clients, campaigns, holdings, solicitations, events, verbatims] = STREAMED;
  await runStreamed(products);
  await runStreamed(channels);
  if (present.has(clientsSpec.file)) {
    // Advisors first, one row each (a few hundred), so that the client rows only link to them.
    const advisors = new Map<string, string>();
    await eachValidRow(clientsSpec, (row) => advisors.set(row.advisor_id, row.branch_id));
    const rows = [...advisors].map(([id, branchId]) => ({ id, branchId }));
    await db.writeBatches(Q.advisors, [rows], { batchSize: options.batchSize, concurrency: 1 });
  }
  await runStreamed(clients);
  await runStreamed(campaigns);
  await runStreamed(holdings);

  if (present.has(consentsSpec.file)) {
    const sw = stopwatch();
    const latest = new LatestConsents();
    const n = await eachValidRow(consentsSpec, (row) => latest.add(row));
    const summary = await db.writeBatches(Q.consents, [latest.values().map((c) => ({ ...c }))], {
      batchSize: options.batchSize,
      concurrency: 2,
    });
    options.onRows(n);
    results.push({ file: consentsSpec.file, rowsWritten: n, summary, seconds: sw.seconds() });
  }

  await runStreamed(solicitations);
  await runStreamed(events);

  if (present.has(balancesSpec.file)) {
    const sw = stopwatch();
    const accounts = new AccountSeries();
    const n = await eachValidRow(balancesSpec, (row) => accounts.add(row));
    const rows = function* (): Generator<Row[]> {
      let out: Row[] = [];
      for (const a of accounts.rows()) {
        out.push({ ...a });
        if (out.length >= 2_000) {
          yield out;
          out = [];
        }
      }
      if (out.length > 0) yield out;
    };
    const summary = await db.writeBatches(Q.accounts, rows(), {
      batchSize: Math.max(1, Math.floor(options.batchSize / 4)),
      concurrency: 2,
    });
    options.onRows(n);
    results.push({ file: balancesSpec.file, rowsWritten: n, summary, seconds: sw.seconds() });
  }

  await runStreamed(verbatims);
  return results;
}

/** Canonical JSON (sorted keys) of a policy and its version: the first 16 hex digits of its sha256. */
export function policyVersion(policy: Policy): { json: string; version: string } {
  const canon = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
        )
      : v;
  const json = JSON.stringify(canon(policy));
  return { json, version: createHash('sha256').update(json).digest('hex').slice(0, 16) };
}

export async function writePolicy(db: Db, policy: Policy): Promise<string> {
  const { json, version } = policyVersion(policy);
  await db.write(Q.policy, { version, json, createdAt: new Date().toISOString() });
  return version;
}
