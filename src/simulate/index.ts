import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsvWriter } from '../csv/writer.js';
import {
  balancesSpec,
  campaignsSpec,
  channelsSpec,
  clientsSpec,
  consentsSpec,
  eventsSpec,
  holdingsSpec,
  POLICY_FILE,
  productsSpec,
  solicitationsSpec,
  TRUTH_DIR,
  verbatimsSpec,
} from '../domain/contract.js';
import { ErrorCode, NbgError } from '../errors.js';
import { createRng } from '../rng.js';
import { stopwatch } from '../stopwatch.js';
import { BranchNetwork } from './branch-network.js';
import { Calendar } from './calendar.js';
import { CHANNELS, N_CHANNELS, N_PRODUCTS, PRODUCTS } from './catalog.js';
import { ClientSimulator, campaignIndex, type WorldContext } from './client-simulator.js';
import { resolveOptions, type SimulateOptions, WORLD, type WorldFamilyId } from './config.js';
import { defaultContactPolicy } from './contact-policy.js';
import { LoggingPolicy } from './logging-policy.js';
import { decisionRounds, worldFamily } from './world-family.js';

export {
  DEFAULTS,
  LOGGING_POLICIES,
  type LoggingPolicyKind,
  MILD_BIAS,
  type SimulateOptions,
  WORLD,
  WORLD_FAMILIES,
  type WorldFamilyId,
} from './config.js';
export type { CampaignRhythm } from './world-family.js';

export const GENERATOR = 'nbg-simulate 0.1.0';

/** Extra truth columns (documented in docs/simulator.md). */
export const TRUTH_RESPONSE_COLUMNS = [
  'client_id',
  'product_id',
  'channel_id',
  'p_no_contact',
  'p_contact',
  'logging_propensity',
  'response_type',
  'p_no_contact_type_blind',
  'p_contact_type_blind',
] as const;
export const TRUTH_CLIENTS_COLUMNS = ['client_id', 'persona', 'satisfaction'] as const;
/** One row per verbatim: how the simulator wrote it (docs/simulator.md, "Satisfaction and verbatims"). */
export const TRUTH_VERBATIMS_COLUMNS = [
  'verbatim_id',
  'client_id',
  'satisfaction',
  'polarity',
  'label',
  'contrast',
] as const;

export interface SimulationSummary {
  readonly out: string;
  readonly clients: number;
  readonly seed: number | string;
  readonly world: WorldFamilyId;
  readonly startDate: string;
  readonly evaluationDate: string;
  readonly horizonDays: number;
  /** Rows written per file (relative path → rows, header excluded). */
  readonly rows: Readonly<Record<string, number>>;
  readonly totalRows: number;
  readonly seconds: number;
}

/** Builds the shared, read-only context of one world: calendar, rounds, campaigns, branches. */
function worldContext(o: ReturnType<typeof resolveOptions>): WorldContext {
  const cal = new Calendar(o.startDate, o.months);
  const H = WORLD.horizonDays;
  const family = worldFamily(o.world);
  const { roundStart, roundLength, evalRound } = decisionRounds(family, cal.monthStartDay, cal.totalDays, H);
  if (evalRound < 2) {
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `simulate: ${o.months} months are too short for two rounds plus a ${H}-day horizon`,
    );
  }
  const campaignIds: string[] = [];
  for (let r = 0; r <= evalRound; r++) {
    const d = cal.date(roundStart[r]!).replaceAll('-', '');
    for (let p = 0; p < N_PRODUCTS; p++) {
      for (let c = 0; c < N_CHANNELS; c++) {
        campaignIds[campaignIndex(r, p, c)] = `CMP-${d}-${PRODUCTS[p]!.id.slice(2)}-${CHANNELS[c]!.id}`;
      }
    }
  }
  return {
    cal,
    branches: new BranchNetwork(o.clients),
    policy: new LoggingPolicy(o.loggingPolicy, o.exploration, family.logging),
    family,
    root: createRng(typeof o.seed === 'number' ? o.seed : String(o.seed)).fork('world'),
    roundStart,
    roundLength,
    evalRound,
    horizonDays: H,
    campaignIds,
    hidePropensities: o.hidePropensities,
  };
}

type ResolvedOptions = ReturnType<typeof resolveOptions>;

/** products.csv, channels.csv (capacities scaled to the client count) and campaigns.csv (one per round, product, channel). */
async function writeCatalog(
  o: ResolvedOptions,
  ctx: WorldContext,
  open: (file: string, columns: readonly string[]) => CsvWriter,
): Promise<{ products: CsvWriter; channels: CsvWriter; campaigns: CsvWriter }> {
  const { cal } = ctx;
  const products = open(productsSpec.file, productsSpec.columns);
  for (const p of PRODUCTS) {
    await products.row([
      p.id,
      p.name,
      p.family,
      p.isCredit,
      p.minAge,
      p.maxAge,
      p.requiredRiskProfile,
      p.unitValue,
    ]);
  }
  const channels = open(channelsSpec.file, channelsSpec.columns);
  for (const c of CHANNELS) {
    const cap =
      c.capacityPer100k === undefined
        ? undefined
        : Math.max(1, Math.round((c.capacityPer100k * o.clients) / 1e5));
    await channels.row([c.id, c.name, c.cost, cap]);
  }
  const campaigns = open(campaignsSpec.file, campaignsSpec.columns);
  for (let r = 0; r <= ctx.evalRound; r++) {
    const from = cal.date(ctx.roundStart[r]!);
    const to = cal.date(ctx.roundStart[r]! + ctx.roundLength[r]! - 1);
    for (let p = 0; p < N_PRODUCTS; p++) {
      for (let c = 0; c < N_CHANNELS; c++) {
        await campaigns.row([
          ctx.campaignIds[campaignIndex(r, p, c)],
          PRODUCTS[p]!.id,
          CHANNELS[c]!.id,
          from,
          to,
          '', // budget: not modelled
          '', // quota: not modelled
        ]);
      }
    }
  }
  return { products, channels, campaigns };
}

/**
 * Simulates every client and streams its rows to the per-client files; returns their writers in
 * the order of the summary: clients, holdings, consents, solicitations, events, balances, verbatims,
 * then truth/ response, clients and verbatims.
 */
async function writeClients(
  o: ResolvedOptions,
  ctx: WorldContext,
  open: (file: string, columns: readonly string[]) => CsvWriter,
  onProgress: ((clients: number) => void) | undefined,
) {
  const w = {
    clients: open(clientsSpec.file, clientsSpec.columns),
    holdings: open(holdingsSpec.file, holdingsSpec.columns),
    consents: open(consentsSpec.file, consentsSpec.columns),
    solicitations: open(solicitationsSpec.file, solicitationsSpec.columns),
    events: open(eventsSpec.file, eventsSpec.columns),
    balances: open(balancesSpec.file, balancesSpec.columns),
    verbatims: open(verbatimsSpec.file, verbatimsSpec.columns),
    truthResponse: open(join(TRUTH_DIR, 'response.csv'), TRUTH_RESPONSE_COLUMNS),
    truthClients: open(join(TRUTH_DIR, 'clients.csv'), TRUTH_CLIENTS_COLUMNS),
    truthVerbatims: open(join(TRUTH_DIR, 'verbatims.csv'), TRUTH_VERBATIMS_COLUMNS),
  };
  const sim = new ClientSimulator(ctx);
  for (let i = 0; i < o.clients; i++) {
    const r = sim.run(i);
    await w.clients.lines(r.clients, 1);
    await w.truthClients.lines(r.truthClients, 1);
    if (r.nHoldings) await w.holdings.lines(r.holdings, r.nHoldings);
    if (r.nConsents) await w.consents.lines(r.consents, r.nConsents);
    if (r.nSolicitations) await w.solicitations.lines(r.solicitations, r.nSolicitations);
    if (r.nEvents) await w.events.lines(r.events, r.nEvents);
    if (r.nBalances) await w.balances.lines(r.balances, r.nBalances);
    if (r.nVerbatims) {
      await w.verbatims.lines(r.verbatims, r.nVerbatims);
      await w.truthVerbatims.lines(r.truthVerbatims, r.nVerbatims);
    }
    if (r.nTruthResponse) await w.truthResponse.lines(r.truthResponse, r.nTruthResponse);
    if (onProgress && (i + 1) % 500 === 0) onProgress(i + 1);
  }
  return w;
}

/**
 * policy.json (the default contact policy) and truth/meta.json (D, the horizon, how the world was
 * made: its family, its campaign rhythm and, for the fixed-days rhythm, the days between rounds).
 */
function writeWorldFiles(o: ResolvedOptions, evaluationDate: string): void {
  const family = worldFamily(o.world);
  writeFileSync(
    join(o.out, POLICY_FILE),
    `${JSON.stringify(defaultContactPolicy(o.clients, WORLD.horizonDays), null, 2)}\n`,
  );
  writeFileSync(
    join(o.out, TRUTH_DIR, 'meta.json'),
    `${JSON.stringify(
      {
        evaluationDate,
        horizonDays: WORLD.horizonDays,
        generator: GENERATOR,
        seed: o.seed,
        clients: o.clients,
        startDate: o.startDate,
        months: o.months,
        roundDays: family.roundDays,
        loggingPolicy: o.loggingPolicy,
        exploration: o.exploration,
        world: family.id,
        campaignRhythm: family.campaignRhythm,
      },
      null,
      2,
    )}\n`,
  );
}

/**
 * Writes a simulated bank world into `options.out`: the data-contract CSV files, policy.json and
 * truth/ (meta.json, response.csv, clients.csv, verbatims.csv). Clients are generated one at a time from their
 * own random stream and streamed to disk, so memory stays flat in the number of clients and the
 * same seed gives the same bytes. docs/simulator.md describes the model.
 */
export async function simulate(options: SimulateOptions): Promise<SimulationSummary> {
  const sw = stopwatch();
  const o = resolveOptions(options);
  const ctx = worldContext(o);
  mkdirSync(join(o.out, TRUTH_DIR), { recursive: true });
  const open = (file: string, columns: readonly string[]): CsvWriter =>
    new CsvWriter(join(o.out, file), columns);
  const { products, channels, campaigns } = await writeCatalog(o, ctx, open);
  const w = await writeClients(o, ctx, open, options.onProgress);
  const writers = [
    w.clients,
    products,
    channels,
    campaigns,
    w.holdings,
    w.consents,
    w.solicitations,
    w.events,
    w.balances,
    w.verbatims,
    w.truthResponse,
    w.truthClients,
    w.truthVerbatims,
  ];
  await Promise.all(writers.map((writer) => writer.close()));
  options.onProgress?.(o.clients);
  const evaluationDate = ctx.cal.date(ctx.roundStart[ctx.evalRound]!);
  writeWorldFiles(o, evaluationDate);
  const rows: Record<string, number> = {};
  let totalRows = 0;
  for (const writer of writers) {
    const rel = writer.path.slice(o.out.length).replace(/^[\\/]+/, '');
    rows[rel] = writer.rows;
    if (!rel.startsWith(TRUTH_DIR)) totalRows += writer.rows;
  }
  return {
    out: o.out,
    clients: o.clients,
    seed: o.seed,
    world: o.world,
    startDate: o.startDate,
    evaluationDate,
    horizonDays: WORLD.horizonDays,
    rows,
    totalRows,
    seconds: sw.seconds(),
  };
}
