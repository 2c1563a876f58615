import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eachRow } from '../dataset/read-table.js';
import {
  balancesSpec,
  channelsSpec,
  clientsSpec,
  consentsSpec,
  eventsSpec,
  holdingsSpec,
  productsSpec,
  solicitationsSpec,
  verbatimsSpec,
} from '../domain/contract.js';
import { ACCOUNT_TYPES, EVENT_TYPES, OUTCOMES, RISK_PROFILES, SEGMENTS } from '../domain/enums.js';
import { InputError } from '../errors.js';
import {
  byId,
  dayOfDate,
  dayOfTimestamp,
  type FeatureCatalog,
  type FeatureChannel,
  type FeatureProduct,
  type FeatureSource,
  monthIndex,
  type RecordSink,
} from './records.js';

/** The record files read after clients.csv, in the order read. */
export const RECORD_FILES = [
  'holdings',
  'consents',
  'solicitations',
  'events',
  'balances',
  'verbatims',
] as const;
export type RecordFile = (typeof RECORD_FILES)[number];

/**
 * The records of a data-contract folder, streamed file by file through readTable (never a whole
 * file in memory); a row that breaks the contract stops the read with an InputError naming it.
 * Clients first, then holdings, consents (in file order), solicitations, events, balances, verbatims;
 * `files` reads only some of them after the clients (the others give no records).
 */
export function folderSource(dir: string, files: readonly RecordFile[] = RECORD_FILES): FeatureSource {
  const reads = new Set(files);
  return {
    name: dir,
    async catalog(): Promise<FeatureCatalog> {
      for (const spec of [clientsSpec, productsSpec, channelsSpec]) {
        if (!existsSync(join(dir, spec.file)))
          throw new InputError([
            { file: spec.file, reason: 'missing: a required file of the data contract' },
          ]);
      }
      const products: FeatureProduct[] = [];
      await eachRow(dir, productsSpec, ({ row }) => {
        products.push({
          id: row.product_id,
          unitValue: row.unit_value,
          minAge: row.min_age ?? -1,
          maxAge: row.max_age ?? Number.POSITIVE_INFINITY,
          requiredRisk:
            row.required_risk_profile === undefined ? -1 : RISK_PROFILES.indexOf(row.required_risk_profile),
        });
      });
      const channels: FeatureChannel[] = [];
      await eachRow(dir, channelsSpec, ({ row }) => {
        channels.push({ id: row.channel_id, cost: row.cost_per_contact });
      });
      return { products: byId(products), channels: byId(channels) };
    },
    async read(sink: RecordSink): Promise<void> {
      await eachRow(dir, clientsSpec, ({ row }) =>
        sink.client(
          row.client_id,
          row.birth_year,
          SEGMENTS.indexOf(row.segment),
          row.income_band,
          RISK_PROFILES.indexOf(row.risk_profile),
          row.financially_fragile,
          dayOfDate(row.customer_since),
        ),
      );
      if (reads.has('holdings'))
        await eachRow(dir, holdingsSpec, ({ row }) =>
          sink.holding(
            row.client_id,
            row.product_id,
            dayOfDate(row.opened_at),
            row.closed_at === undefined ? Number.NaN : dayOfDate(row.closed_at),
          ),
        );
      if (reads.has('consents'))
        await eachRow(dir, consentsSpec, ({ row }) =>
          sink.consent(row.client_id, row.channel_id, dayOfTimestamp(row.at), row.status === 'granted'),
        );
      if (reads.has('solicitations'))
        await eachRow(dir, solicitationsSpec, ({ row }) =>
          sink.solicitation(
            row.client_id,
            row.product_id,
            row.channel_id,
            dayOfTimestamp(row.sent_at),
            row.logging_propensity ?? Number.NaN,
            OUTCOMES.indexOf(row.outcome),
            row.outcome_at === undefined ? Number.NaN : dayOfTimestamp(row.outcome_at),
          ),
        );
      if (reads.has('events'))
        await eachRow(dir, eventsSpec, ({ row }) =>
          sink.event(
            row.client_id,
            dayOfTimestamp(row.at),
            EVENT_TYPES.indexOf(row.type),
            row.product_id ?? '',
            row.session_id,
          ),
        );
      if (reads.has('balances'))
        await eachRow(dir, balancesSpec, ({ row }) =>
          sink.balance(
            row.client_id,
            ACCOUNT_TYPES.indexOf(row.account_type),
            monthIndex(row.month),
            row.balance,
          ),
        );
      if (reads.has('verbatims'))
        await eachRow(dir, verbatimsSpec, ({ row }) =>
          sink.verbatim(
            row.client_id,
            dayOfTimestamp(row.at),
            row.product_id ?? '',
            row.channel_id ?? '',
            row.score ?? Number.NaN,
          ),
        );
    },
  };
}
