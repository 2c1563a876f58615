import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { TableRow } from '../dataset/read-table.js';
import type { OfflineImportInput } from '../db/embedded/offline-import.js';
import type { Row } from '../db/executor.js';
import {
  type BalanceRow,
  balancesSpec,
  type ConsentRow,
  campaignsSpec,
  channelsSpec,
  clientsSpec,
  consentsSpec,
  eventsSpec,
  holdingsSpec,
  productsSpec,
  solicitationsSpec,
  verbatimsSpec,
} from '../domain/contract.js';
import { ErrorCode, NbgError } from '../errors.js';
import { AccountSeries } from './account-series.js';
import { ImportFile } from './import-file.js';
import { LatestConsents } from './latest-consents.js';
import { ROW_MAPPERS } from './write.js';

const text = (r: Row, key: string): string => r[key] as string;
const maybe = (r: Row, key: string): string | null => (r[key] as string | null | undefined) ?? null;
const propsOf = (r: Row): Record<string, unknown> => r.props as Record<string, unknown>;

/**
 * Turns the valid rows of a dataset into the node and relationship CSV files of Neo4j's offline
 * importer, with the same nodes, relationships and properties the transactional write statements
 * (cypher/write/*.cypher) create: one file per label and per (type, start label, end label). Fed
 * batch by batch during the validation pass, so the dataset is parsed once. Consents (latest per
 * client and channel), advisors and branches (from clients.csv), and accounts (balances grouped
 * per client and type) are kept in memory and written by `finish()`.
 */
export class BulkInputWriter {
  private readonly files = new Map<string, ImportFile>();
  private readonly advisors = new Map<string, string>();
  private readonly consents = new LatestConsents();
  private readonly accounts = new AccountSeries();
  /** Valid rows taken per contract file. */
  readonly rowsTaken = new Map<string, number>();

  constructor(readonly dir: string) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  private node(label: string): ImportFile {
    const base = `node-${label}`;
    let f = this.files.get(base);
    if (!f) {
      f = new ImportFile(label, this.dir, base, [`id:ID(${label})`]);
      this.files.set(base, f);
    }
    return f;
  }

  private rel(type: string, from: string, to: string): ImportFile {
    const base = `rel-${type}-${from}-${to}`;
    let f = this.files.get(base);
    if (!f) {
      f = new ImportFile(type, this.dir, base, [`:START_ID(${from})`, `:END_ID(${to})`]);
      this.files.set(base, f);
    }
    return f;
  }

  /** Takes one batch of valid rows of a contract file (all rows of a batch come from one file). */
  async add(file: string, rows: readonly TableRow<z.ZodObject>[]): Promise<void> {
    this.rowsTaken.set(file, (this.rowsTaken.get(file) ?? 0) + rows.length);
    if (file === consentsSpec.file) {
      for (const t of rows) this.consents.add(t.row as ConsentRow);
      return;
    }
    if (file === balancesSpec.file) {
      for (const t of rows) this.accounts.add(t.row as BalanceRow);
      return;
    }
    const map = ROW_MAPPERS.get(file);
    if (!map) throw new NbgError(ErrorCode.INTERNAL, `bulk import input: no row mapping for ${file}`);
    for (const t of rows) this.route(file, map(t.row, t.extras));
    for (const f of this.files.values()) await f.flush();
  }

  private route(file: string, r: Row): void {
    const id = text(r, 'id');
    switch (file) {
      case productsSpec.file:
        this.node('Product').add([id], propsOf(r));
        return;
      case channelsSpec.file:
        this.node('Channel').add([id], propsOf(r));
        return;
      case campaignsSpec.file:
        this.node('Campaign').add([id], propsOf(r));
        return;
      case clientsSpec.file: {
        const props = propsOf(r);
        this.node('Client').add([id], props);
        this.rel('MANAGED_BY', 'Client', 'Advisor').add([id, text(r, 'advisorId')], undefined);
        this.advisors.set(text(r, 'advisorId'), props.branchId as string);
        return;
      }
      case holdingsSpec.file:
        this.rel('HOLDS', 'Client', 'Product').add([text(r, 'clientId'), text(r, 'productId')], {
          openedAt: r.openedAt,
          ...propsOf(r),
        });
        return;
      case solicitationsSpec.file: {
        this.node('Solicitation').add([id], propsOf(r));
        this.rel('TARGETED', 'Solicitation', 'Client').add([id, text(r, 'clientId')], undefined);
        this.rel('OFFERED', 'Solicitation', 'Product').add([id, text(r, 'productId')], undefined);
        this.rel('VIA', 'Solicitation', 'Channel').add([id, text(r, 'channelId')], undefined);
        const campaign = maybe(r, 'campaignId');
        if (campaign !== null) this.rel('PART_OF', 'Solicitation', 'Campaign').add([id, campaign], undefined);
        return;
      }
      case eventsSpec.file: {
        this.node('Event').add([id], propsOf(r));
        this.rel('DID', 'Client', 'Event').add([text(r, 'clientId'), id], undefined);
        const product = maybe(r, 'productId');
        if (product !== null) this.rel('ABOUT', 'Event', 'Product').add([id, product], undefined);
        return;
      }
      case verbatimsSpec.file: {
        this.node('Verbatim').add([id], propsOf(r));
        this.rel('WROTE', 'Client', 'Verbatim').add([text(r, 'clientId'), id], undefined);
        const product = maybe(r, 'productId');
        if (product !== null) this.rel('ABOUT', 'Verbatim', 'Product').add([id, product], undefined);
        const channel = maybe(r, 'channelId');
        if (channel !== null) this.rel('ABOUT', 'Verbatim', 'Channel').add([id, channel], undefined);
        return;
      }
      default:
        throw new NbgError(ErrorCode.INTERNAL, `bulk import input: no mapping for ${file}`);
    }
  }

  /** Writes the in-memory parts, closes every file, and returns the importer's input. */
  async finish(): Promise<OfflineImportInput> {
    const branches = new Set<string>();
    for (const [advisor, branch] of this.advisors) {
      this.node('Advisor').add([advisor], undefined);
      this.rel('WORKS_AT', 'Advisor', 'Branch').add([advisor, branch], undefined);
      branches.add(branch);
    }
    for (const branch of branches) this.node('Branch').add([branch], undefined);
    for (const c of this.consents.values())
      this.rel('CONSENT', 'Client', 'Channel').add([c.clientId, c.channelId], {
        status: c.status,
        at: c.at,
        history: c.history,
      });
    for (const a of this.accounts.rows()) {
      this.node('Account').add([a.id], { type: a.type, months: a.months, balances: a.balances });
      this.rel('HAS_ACCOUNT', 'Client', 'Account').add([a.clientId, a.id], undefined);
      if (this.files.get('node-Account')!.rows % 10_000 === 0) await this.flushAll();
    }
    const nodes: { label: string; files: string[] }[] = [];
    const relationships: { type: string; files: string[] }[] = [];
    const multiline: string[] = [];
    for (const [base, f] of this.files) {
      const files = await f.close();
      if (base.startsWith('node-')) nodes.push({ label: f.name, files });
      else relationships.push({ type: f.name, files });
      if (f.multiline) multiline.push(f.body);
    }
    return { nodes, relationships, multiline, report: join(this.dir, 'import.report') };
  }

  private async flushAll(): Promise<void> {
    for (const f of this.files.values()) await f.flush();
  }

  /** Closes and deletes the input files (after the import, or when the ingest stops). */
  async remove(): Promise<void> {
    for (const f of this.files.values()) await f.discard();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
