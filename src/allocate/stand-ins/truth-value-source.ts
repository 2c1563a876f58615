import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../../csv/reader.js';
import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientState } from '../../domain/client-state.js';
import { TRUTH_DIR, TRUTH_TYPE_BLIND_COLUMNS } from '../../domain/contract.js';
import { ErrorCode, InputError, NbgError } from '../../errors.js';
import type { ValueParts } from '../value-sources/action-value-source.js';
import { StandInValueSource } from './stand-in-value-source.js';

/**
 * Which probabilities of truth/response.csv value the actions: `truth` (p_no_contact, p_contact)
 * or `truth-blind` (the type-blind pair).
 */
export type TruthColumns = 'truth' | 'truth-blind';

/** Whether truth/response.csv of `dir` has the type-blind columns (read from its header line). */
export function hasTypeBlindTruth(dir: string): boolean {
  const fd = openSync(join(dir, TRUTH_DIR, 'response.csv'), 'r');
  try {
    const buf = Buffer.alloc(4096);
    const head = buf
      .subarray(0, readSync(fd, buf, 0, buf.length, 0))
      .toString('utf8')
      .split(/\r?\n/)[0]!;
    const cols = head.split(',');
    return TRUTH_TYPE_BLIND_COLUMNS.every((c) => cols.includes(c));
  } finally {
    closeSync(fd);
  }
}

/**
 * The oracle value source of a simulated dataset: truth/response.csv gives, per (client, product,
 * channel), the true conversion probability with and without a contact, so
 * value = (p_contact − p_no_contact) × unit_value − cost_per_contact (the data contract's true net
 * value). Its naive propensity is p_contact: what a perfect "converted given contacted" model would
 * learn. For benchmarks and demos of the allocator only; real plans use the trained models.
 *
 * With `typeBlind`, the same from the columns p_no_contact_type_blind and p_contact_type_blind (the
 * world's probabilities with its hidden response type averaged over the type's distribution for the
 * client): the type-blind oracle, the best values a policy that sees only observables could know.
 */
export class TruthValueSource extends StandInValueSource {
  readonly name: string;
  readonly modelVersion: string;
  private constructor(
    kind: TruthColumns,
    private readonly table: Map<string, Float64Array>,
    private readonly productIndex: Map<string, number>,
    private readonly channelIndex: Map<string, number>,
  ) {
    super();
    this.name = kind;
    this.modelVersion = kind;
  }

  /**
   * Reads truth/response.csv of `dir` for the given catalogue (≈ 16 bytes per row kept); `columns`
   * picks the probabilities (default `truth`: p_no_contact and p_contact). A file without the
   * type-blind columns is a BAD_CONFIG error for `truth-blind`.
   */
  static async load(
    dir: string,
    products: readonly ProductInfo[],
    channels: readonly ChannelInfo[],
    columns: TruthColumns = 'truth',
  ): Promise<TruthValueSource> {
    const file = join(dir, TRUTH_DIR, 'response.csv');
    const productIndex = new Map(products.map((p, i) => [p.id as string, i]));
    const channelIndex = new Map(channels.map((c, i) => [c.id as string, i]));
    const P = products.length;
    const C = channels.length;
    const table = new Map<string, Float64Array>();
    let cols: number[] | undefined;
    for await (const batch of readCsv(file, { displayName: `${TRUTH_DIR}/response.csv` })) {
      for (const rec of batch) {
        if (!cols) {
          cols = ['client_id', 'product_id', 'channel_id', 'p_no_contact', 'p_contact'].map((name) =>
            rec.fields.indexOf(name),
          );
          if (columns === 'truth-blind') {
            const missing = TRUTH_TYPE_BLIND_COLUMNS.filter((name) => !rec.fields.includes(name));
            if (missing.length > 0) {
              throw new NbgError(
                ErrorCode.BAD_CONFIG,
                `the type-blind truth needs the columns ${TRUTH_TYPE_BLIND_COLUMNS.join(', ')} in ${file}; it has no ${missing.join(', ')} (its columns: ${rec.fields.join(', ')})`,
                {
                  hint: 'the project simulator (nbg simulate) writes them; a world without a hidden response type has no type-blind truth: use the truth values',
                },
              );
            }
            cols[3] = rec.fields.indexOf(TRUTH_TYPE_BLIND_COLUMNS[0]);
            cols[4] = rec.fields.indexOf(TRUTH_TYPE_BLIND_COLUMNS[1]);
          }
          if (cols.some((i) => i < 0)) {
            throw new InputError([
              {
                file,
                line: 1,
                reason: 'expected columns client_id, product_id, channel_id, p_no_contact, p_contact',
              },
            ]);
          }
          continue;
        }
        const f = rec.fields;
        const p = productIndex.get(f[cols[1]!]!);
        const c = channelIndex.get(f[cols[2]!]!);
        if (p === undefined || c === undefined) continue;
        const id = f[cols[0]!]!;
        let row = table.get(id);
        if (!row) {
          row = new Float64Array(2 * P * C).fill(Number.NaN);
          table.set(id, row);
        }
        row[2 * (p * C + c)] = Number(f[cols[3]!]);
        row[2 * (p * C + c) + 1] = Number(f[cols[4]!]);
      }
    }
    return new TruthValueSource(columns, table, productIndex, channelIndex);
  }

  protected fill(
    clients: readonly ClientState[],
    products: readonly ProductInfo[],
    channels: readonly ChannelInfo[],
    out: Float64Array,
    naive: boolean,
  ): void {
    const P = products.length;
    const C = channels.length;
    for (let i = 0; i < clients.length; i++) {
      const row = this.table.get(clients[i]!.id);
      for (let p = 0; p < P; p++) {
        for (let c = 0; c < C; c++) {
          const k = (i * P + p) * C + c;
          const p0 = row?.[2 * (p * C + c)] ?? Number.NaN;
          const p1 = row?.[2 * (p * C + c) + 1] ?? Number.NaN;
          if (Number.isNaN(p0) || Number.isNaN(p1)) out[k] = Number.NaN;
          else out[k] = naive ? p1 : (p1 - p0) * products[p]!.unitValue - channels[c]!.costPerContact;
        }
      }
    }
  }

  parts(client: ClientState, product: ProductInfo, channel: ChannelInfo): ValueParts | undefined {
    const row = this.table.get(client.id);
    const p = this.productIndex.get(product.id);
    const c = this.channelIndex.get(channel.id);
    if (!row || p === undefined || c === undefined) return undefined;
    const C = this.channelIndex.size;
    const p0 = row[2 * (p * C + c)]!;
    const p1 = row[2 * (p * C + c) + 1]!;
    return {
      uplift: p1 - p0,
      margin: product.unitValue,
      cost: channel.costPerContact,
      fatigue: 0,
      propensity: p1,
    };
  }
}
