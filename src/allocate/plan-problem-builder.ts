import { checkClient } from '../constraints/check-all.js';
import { pastContactCounts } from '../constraints/contact-pressure.js';
import { DEFAULT_HORIZON_DAYS, RULE_NAMES, type RuleCheck } from '../constraints/rule.js';
import type { ChannelInfo, ProductInfo } from '../domain/catalog.js';
import type { ClientState } from '../domain/client-state.js';
import { SEGMENTS } from '../domain/enums.js';
import type { ClientId } from '../domain/ids.js';
import type { Policy } from '../domain/policy.js';
import { ErrorCode, NbgError } from '../errors.js';
import { globalLimits } from './global-limits.js';
import { type ExclusionReason, NO_LIMIT, type PlanProblem } from './plan-problem.js';
import type { ActionValueSource } from './value-sources/action-value-source.js';

/** Called for each excluded action with the checks that failed (empty when only the value is ≤ 0). */
export type ExclusionListener = (
  client: ClientState,
  product: number,
  channel: number,
  failed: readonly RuleCheck[],
  value: number,
) => void;

export interface PlanProblemBuilderOptions {
  readonly policy: Policy;
  readonly products: readonly ProductInfo[];
  readonly channels: readonly ChannelInfo[];
  readonly values: ActionValueSource;
  /** Decision time, epoch ms. */
  readonly now: number;
  /** Overrides policy.horizonDays. */
  readonly horizonDays?: number;
  readonly onExcluded?: ExclusionListener;
}

class GrowingArrays {
  product = new Uint8Array(1024);
  channel = new Uint8Array(1024);
  value = new Float64Array(1024);
  length = 0;
  push(p: number, c: number, v: number): void {
    if (this.length === this.value.length) {
      const n = this.length * 2;
      const grow = <T extends Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(n);
        b.set(a);
        return b;
      };
      this.product = grow(this.product, (k) => new Uint8Array(k));
      this.channel = grow(this.channel, (k) => new Uint8Array(k));
      this.value = grow(this.value, (k) => new Float64Array(k));
    }
    this.product[this.length] = p;
    this.channel[this.length] = c;
    this.value[this.length] = v;
    this.length++;
  }
}

/**
 * Builds a PlanProblem from batches of clients: scores each batch with the value source, runs every
 * rule once per (client, channel) and (client, product) (checkClient), keeps the actions that pass
 * all rules with a positive value, and turns the contact-pressure limits into per-client remaining
 * counts (limit − past contacts in the window). Clients are streamed: only the candidate actions are
 * kept, never the ClientState objects.
 */
export class PlanProblemBuilder {
  private readonly o: PlanProblemBuilderOptions;
  private readonly horizonDays: number;
  private readonly acts = new GrowingArrays();
  private readonly clientIds: ClientId[] = [];
  private segment: number[] = [];
  private starts: number[] = [0];
  private maxTotal: number[] = [];
  private maxPerChannel: number[] = [];
  private readonly hasChannelLimits: boolean;
  private readonly exclusions: Record<ExclusionReason, number>;
  private readonly segmentCounts = new Float64Array(SEGMENTS.length);

  constructor(options: PlanProblemBuilderOptions) {
    if (options.products.length > 255 || options.channels.length > 255) {
      throw new NbgError(
        ErrorCode.BAD_INPUT,
        `allocate/plan-problem-builder: at most 255 products and 255 channels, got ${options.products.length} and ${options.channels.length}`,
      );
    }
    this.o = options;
    this.horizonDays = options.horizonDays ?? options.policy.horizonDays ?? DEFAULT_HORIZON_DAYS;
    this.hasChannelLimits = Object.keys(options.policy.maxContactsPerClientPerChannel ?? {}).length > 0;
    this.exclusions = Object.fromEntries([...RULE_NAMES, 'no-positive-value'].map((r) => [r, 0])) as Record<
      ExclusionReason,
      number
    >;
  }

  async add(clients: readonly ClientState[]): Promise<void> {
    const { products, channels, now, onExcluded } = this.o;
    const policy: Policy = { ...this.o.policy, horizonDays: this.horizonDays };
    const P = products.length;
    const C = channels.length;
    const values = new Float64Array(clients.length * P * C);
    await this.o.values.score(clients, products, channels, values);
    for (let i = 0; i < clients.length; i++) {
      const client = clients[i]!;
      const checks = checkClient(client, products, channels, policy, now);
      const seg = SEGMENTS.indexOf(client.segment);
      this.segmentCounts[seg]!++;
      for (let p = 0; p < P; p++) {
        for (let c = 0; c < C; c++) {
          const v = values[(i * P + p) * C + c]!;
          if (checks.productOk[p]! & checks.channelOk[c]!) {
            if (v > 0 && Number.isFinite(v)) this.acts.push(p, c, v);
            else {
              this.exclusions['no-positive-value']++;
              onExcluded?.(client, p, c, [], v);
            }
          } else {
            const failed: RuleCheck[] = [];
            for (const r of checks.channel[c]!) if (!r.passed) failed.push(r);
            for (const r of checks.product[p]!) if (!r.passed) failed.push(r);
            for (const r of failed) this.exclusions[r.rule]++;
            onExcluded?.(client, p, c, failed, v);
          }
        }
      }
      const counts = pastContactCounts(client, this.horizonDays, now);
      const max = policy.maxContactsPerClient;
      this.maxTotal.push(max === undefined ? NO_LIMIT : Math.max(0, max - counts.total));
      if (this.hasChannelLimits) {
        for (const ch of channels) {
          const m = policy.maxContactsPerClientPerChannel?.[ch.id];
          this.maxPerChannel.push(
            m === undefined ? NO_LIMIT : Math.max(0, m - (counts.perChannel.get(ch.id) ?? 0)),
          );
        }
      }
      this.clientIds.push(client.id);
      this.segment.push(seg);
      this.starts.push(this.acts.length);
    }
  }

  finish(): PlanProblem {
    const { products, channels, policy } = this.o;
    const n = this.clientIds.length;
    const problem: PlanProblem = {
      products,
      channels,
      segments: SEGMENTS,
      clientIds: this.clientIds,
      clientSegment: Uint8Array.from(this.segment),
      clientStart: Int32Array.from(this.starts),
      clientMaxTotal: Int32Array.from(this.maxTotal),
      clientMaxPerChannel: this.hasChannelLimits ? Int32Array.from(this.maxPerChannel) : undefined,
      actProduct: this.acts.product.slice(0, this.acts.length),
      actChannel: this.acts.channel.slice(0, this.acts.length),
      actValue: this.acts.value.slice(0, this.acts.length),
      limits: globalLimits(policy, products, channels, this.segmentCounts, this.horizonDays),
      exclusions: { ...this.exclusions },
    };
    this.segment = [];
    this.starts = [0];
    this.maxTotal = [];
    this.maxPerChannel = [];
    if (problem.clientStart.length !== n + 1)
      throw new NbgError(ErrorCode.INTERNAL, 'plan-problem-builder: bad CSR');
    return problem;
  }
}

/** Builds a problem from an in-memory list of clients (tests, small worlds). */
export async function buildPlanProblem(
  clients: readonly ClientState[],
  options: PlanProblemBuilderOptions,
  batchSize = 4096,
): Promise<PlanProblem> {
  const b = new PlanProblemBuilder(options);
  for (let i = 0; i < clients.length; i += batchSize) await b.add(clients.slice(i, i + batchSize));
  return b.finish();
}
