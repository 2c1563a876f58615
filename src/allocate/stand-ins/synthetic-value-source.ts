import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientState } from '../../domain/client-state.js';
import { SEGMENTS } from '../../domain/enums.js';
import { hashString } from '../../rng.js';
import type { ValueParts } from '../value-sources/action-value-source.js';
import { StandInValueSource } from './stand-in-value-source.js';

export interface SyntheticValueOptions {
  readonly seed?: number;
  /** Mean uplift of a contact (before the per-action spread). */
  readonly meanUplift?: number;
  /** Fatigue cost of one contact, EUR. */
  readonly fatigueEUR?: number;
}

const DEFAULTS = { seed: 1, meanUplift: 0.03, fatigueEUR: 0.5 } as const;

/** Uplift multiplier per segment (order of SEGMENTS): the synthetic world's heterogeneity. */
const SEGMENT_UPLIFT = [1.0, 0.7, 0.5, 0.9, 1.4];
/** Naive propensity multiplier per segment: high where the base rate is high, not the uplift. */
const SEGMENT_PROPENSITY = [0.6, 1.6, 2.0, 1.0, 0.5];
/** Uplift multiplier per channel id (in-person and voice persuade more than messages). */
const CHANNEL_UPLIFT: Readonly<Record<string, number>> = {
  branch: 2.0,
  phone: 1.6,
  email: 0.8,
  sms: 0.6,
  app_push: 0.5,
};

/** splitmix32-style mix of three integers to a uniform in [0, 1). */
function unit(a: number, b: number, c: number): number {
  let z = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(c + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
}

/**
 * A stand-in for the uplift models: a deterministic value per (client, product, channel) from a
 * hash of (seed, client id, product id, channel id). uplift = meanUplift × 2u × segment factor ×
 * channel factor (u uniform in [0, 1)), value = uplift × unit_value − cost − fatigue. Its naive
 * propensity favours affluent and private clients, as a model trained on a biased log would, so
 * the "classic" policy that ranks by it over-solicits those segments.
 * Used by tests, benchmarks and `nbg plan` until the trained models plug in.
 */
export class SyntheticValueSource extends StandInValueSource {
  readonly name = 'synthetic';
  readonly modelVersion: string;
  private readonly seed: number;
  private readonly meanUplift: number;
  private readonly fatigue: number;

  constructor(options: SyntheticValueOptions = {}) {
    super();
    this.seed = options.seed ?? DEFAULTS.seed;
    this.meanUplift = options.meanUplift ?? DEFAULTS.meanUplift;
    this.fatigue = options.fatigueEUR ?? DEFAULTS.fatigueEUR;
    this.modelVersion = `synthetic-${this.seed}`;
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
    const ph = products.map((p) => hashString(p.id));
    const chh = channels.map((c) => hashString(c.id));
    const chf = channels.map((c) => CHANNEL_UPLIFT[c.id] ?? 0.7);
    for (let i = 0; i < clients.length; i++) {
      const cl = clients[i]!;
      const h = (hashString(cl.id) ^ this.seed) >>> 0;
      const seg = SEGMENTS.indexOf(cl.segment);
      const base = i * P * C;
      for (let p = 0; p < P; p++) {
        const margin = products[p]!.unitValue;
        for (let c = 0; c < C; c++) {
          const u = unit(h, ph[p]!, chh[c]!);
          if (naive) {
            out[base + p * C + c] = Math.min(1, 0.05 * (0.5 + u) * (SEGMENT_PROPENSITY[seg] ?? 1));
          } else {
            const uplift = this.meanUplift * 2 * u * (SEGMENT_UPLIFT[seg] ?? 1) * chf[c]!;
            out[base + p * C + c] = uplift * margin - channels[c]!.costPerContact - this.fatigue;
          }
        }
      }
    }
  }

  parts(client: ClientState, product: ProductInfo, channel: ChannelInfo): ValueParts {
    const one = new Float64Array(1);
    this.fill([client], [product], [channel], one, true);
    const propensity = one[0]!;
    this.fill([client], [product], [channel], one, false);
    const cost = channel.costPerContact;
    const margin = product.unitValue;
    const uplift = margin === 0 ? 0 : (one[0]! + cost + this.fatigue) / margin;
    return { uplift, margin, cost, fatigue: this.fatigue, propensity };
  }
}
