import { z } from 'zod';
import {
  boolCell,
  dateCell,
  enumCell,
  idCell,
  intCell,
  monthCell,
  numberCell,
  optional,
  propensityCell,
  textCell,
  timestampCell,
} from './cells.js';
import {
  ACCOUNT_TYPES,
  CONSENT_STATUSES,
  EVENT_TYPES,
  OUTCOMES,
  PRODUCT_FAMILIES,
  RISK_PROFILES,
  SEGMENTS,
} from './enums.js';

/**
 * The data contract (docs/data-contract.md) as code: for each CSV file of a dataset folder, its
 * columns, which are optional, its key, the other files its columns refer to, and a zod schema that
 * turns one row of cells (strings) into a typed row. Ingest, the simulator and evaluation all read
 * column names from here, so the contract is written once.
 */
export interface FileSpec<S extends z.ZodObject = z.ZodObject> {
  readonly file: string;
  /** Columns in the order the simulator writes them. */
  readonly columns: readonly string[];
  readonly optionalColumns: readonly string[];
  /** Column(s) whose value must be unique in the file; undefined when rows have no identity. */
  readonly key?: readonly string[];
  /** column → file whose key it refers to. */
  readonly references: Readonly<Record<string, string>>;
  readonly schema: S;
  readonly required: boolean;
}

function spec<S extends z.ZodObject>(
  file: string,
  schema: S,
  opts: { key?: readonly string[]; references?: Record<string, string>; required?: boolean },
): FileSpec<S> {
  const columns = Object.keys(schema.shape);
  const optionalColumns = columns.filter((c) => (schema.shape[c] as z.ZodType).safeParse('').success);
  return {
    file,
    columns,
    optionalColumns,
    ...(opts.key ? { key: opts.key } : {}),
    references: opts.references ?? {},
    schema,
    required: opts.required ?? false,
  };
}

export const clientsSpec = spec(
  'clients.csv',
  z.object({
    client_id: idCell,
    birth_year: intCell(1900, 2030),
    segment: enumCell(SEGMENTS),
    income_band: intCell(1, 5),
    region: textCell,
    branch_id: idCell,
    advisor_id: idCell,
    risk_profile: enumCell(RISK_PROFILES),
    financially_fragile: boolCell,
    customer_since: dateCell,
  }),
  { key: ['client_id'], required: true },
);

export const productsSpec = spec(
  'products.csv',
  z.object({
    product_id: idCell,
    name: textCell,
    family: enumCell(PRODUCT_FAMILIES),
    is_credit: boolCell,
    min_age: optional(intCell(0, 130)),
    max_age: optional(intCell(0, 130)),
    required_risk_profile: optional(enumCell(RISK_PROFILES)),
    unit_value: numberCell(-1e9, 1e9),
  }),
  { key: ['product_id'], required: true },
);

export const channelsSpec = spec(
  'channels.csv',
  z.object({
    channel_id: idCell,
    name: textCell,
    cost_per_contact: numberCell(0, 1e6),
    daily_capacity: optional(intCell(0, 1e9)),
  }),
  { key: ['channel_id'], required: true },
);

export const holdingsSpec = spec(
  'holdings.csv',
  z.object({
    client_id: idCell,
    product_id: idCell,
    opened_at: dateCell,
    closed_at: optional(dateCell),
  }),
  {
    key: ['client_id', 'product_id', 'opened_at'],
    references: { client_id: 'clients.csv', product_id: 'products.csv' },
  },
);

export const consentsSpec = spec(
  'consents.csv',
  z.object({
    client_id: idCell,
    channel_id: idCell,
    status: enumCell(CONSENT_STATUSES),
    at: timestampCell,
  }),
  { references: { client_id: 'clients.csv', channel_id: 'channels.csv' } },
);

export const campaignsSpec = spec(
  'campaigns.csv',
  z.object({
    campaign_id: idCell,
    product_id: idCell,
    channel_id: idCell,
    started_at: dateCell,
    ended_at: dateCell,
    budget: optional(numberCell(0, 1e12)),
    quota: optional(intCell(0, 1e9)),
  }),
  { key: ['campaign_id'], references: { product_id: 'products.csv', channel_id: 'channels.csv' } },
);

export const solicitationsSpec = spec(
  'solicitations.csv',
  z.object({
    solicitation_id: idCell,
    client_id: idCell,
    product_id: idCell,
    channel_id: idCell,
    campaign_id: optional(idCell),
    sent_at: timestampCell,
    logging_propensity: optional(propensityCell),
    outcome: enumCell(OUTCOMES),
    outcome_at: optional(timestampCell),
  }),
  {
    key: ['solicitation_id'],
    references: {
      client_id: 'clients.csv',
      product_id: 'products.csv',
      channel_id: 'channels.csv',
      campaign_id: 'campaigns.csv',
    },
  },
);

export const eventsSpec = spec(
  'events.csv',
  z.object({
    event_id: idCell,
    client_id: idCell,
    session_id: idCell,
    at: timestampCell,
    type: enumCell(EVENT_TYPES),
    page: optional(textCell),
    product_id: optional(idCell),
  }),
  { key: ['event_id'], references: { client_id: 'clients.csv', product_id: 'products.csv' } },
);

export const balancesSpec = spec(
  'balances.csv',
  z.object({
    client_id: idCell,
    account_type: enumCell(ACCOUNT_TYPES),
    month: monthCell,
    balance: numberCell(-1e12, 1e12),
  }),
  { key: ['client_id', 'account_type', 'month'], references: { client_id: 'clients.csv' } },
);

export const verbatimsSpec = spec(
  'verbatims.csv',
  z.object({
    verbatim_id: idCell,
    client_id: idCell,
    at: timestampCell,
    channel_id: optional(idCell),
    product_id: optional(idCell),
    score: optional(intCell(0, 10)),
    text: textCell,
  }),
  {
    key: ['verbatim_id'],
    references: { client_id: 'clients.csv', channel_id: 'channels.csv', product_id: 'products.csv' },
  },
);

/** Every CSV file of the contract, in dependency order (a file only refers to earlier ones). */
export const CONTRACT_FILES = [
  clientsSpec,
  productsSpec,
  channelsSpec,
  campaignsSpec,
  holdingsSpec,
  consentsSpec,
  solicitationsSpec,
  eventsSpec,
  balancesSpec,
  verbatimsSpec,
] as const;

export type ClientRow = z.output<typeof clientsSpec.schema>;
export type ProductRow = z.output<typeof productsSpec.schema>;
export type ChannelRow = z.output<typeof channelsSpec.schema>;
export type HoldingRow = z.output<typeof holdingsSpec.schema>;
export type ConsentRow = z.output<typeof consentsSpec.schema>;
export type CampaignRow = z.output<typeof campaignsSpec.schema>;
export type SolicitationRow = z.output<typeof solicitationsSpec.schema>;
export type EventRow = z.output<typeof eventsSpec.schema>;
export type BalanceRow = z.output<typeof balancesSpec.schema>;
export type VerbatimRow = z.output<typeof verbatimsSpec.schema>;

export const POLICY_FILE = 'policy.json';
export const TRUTH_DIR = 'truth';
/**
 * The optional pair of truth/response.csv columns with the world's hidden response type averaged
 * over its distribution for the client (no contact, contact): what a policy that sees only the
 * data could at best know (docs/data-contract.md).
 */
export const TRUTH_TYPE_BLIND_COLUMNS = ['p_no_contact_type_blind', 'p_contact_type_blind'] as const;
