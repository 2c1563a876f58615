import type { RuleName } from '../constraints/rule.js';
import type { ChannelInfo, ProductInfo } from '../domain/catalog.js';
import type { Segment } from '../domain/enums.js';
import type { ClientId } from '../domain/ids.js';

/**
 * The global limits of a plan over the horizon. Infinity means "no such limit".
 * - channelCapacity[c] = daily capacity × horizon days (policy first, channels.csv otherwise);
 * - productQuota[p], budgetEUR;
 * - segment guard: contacts of segment s ≤ ratio × clientShare[s] × all contacts, a row per
 *   segment where ratio × clientShare[s] < 1 (the others can never bind).
 */
export interface GlobalLimits {
  readonly horizonDays: number;
  readonly channelCapacity: Float64Array;
  readonly productQuota: Float64Array;
  readonly budgetEUR: number;
  readonly segmentRatio: number | undefined;
  /** Share of the planned client base in each segment (sums to 1), indexed like PlanProblem.segments. */
  readonly segmentClientShare: Float64Array;
}

/** Why a (client, product, channel) action is not a variable of the plan. */
export type ExclusionReason = RuleName | 'no-positive-value';

/**
 * A batch allocation problem in compressed sparse rows by client: client i owns the candidate
 * actions `clientStart[i] .. clientStart[i+1]`, each a (product, channel) that passed every rule
 * and has a positive value. Per client: at most `clientMaxTotal[i]` contacts, at most
 * `clientMaxPerChannel[i·C + c]` through channel c (when the policy sets per-channel limits), at
 * most one contact per product. Memory: 10 bytes per candidate plus 8 + 4·C per client.
 */
export interface PlanProblem {
  readonly products: readonly ProductInfo[];
  readonly channels: readonly ChannelInfo[];
  readonly segments: readonly Segment[];
  readonly clientIds: readonly ClientId[];
  /** Index into `segments`, per client. */
  readonly clientSegment: Uint8Array;
  readonly clientStart: Int32Array;
  readonly clientMaxTotal: Int32Array;
  /** n × C remaining contacts per channel, or undefined when the policy has no per-channel limit. */
  readonly clientMaxPerChannel: Int32Array | undefined;
  readonly actProduct: Uint8Array;
  readonly actChannel: Uint8Array;
  /** Expected incremental value, EUR (> 0). */
  readonly actValue: Float64Array;
  readonly limits: GlobalLimits;
  /** Count of excluded (client, product, channel) actions per reason (an action counts once per failed rule). */
  readonly exclusions: Readonly<Record<ExclusionReason, number>>;
}

export const NO_LIMIT = 2_147_483_647;

export function clientCount(problem: PlanProblem): number {
  return problem.clientStart.length - 1;
}

export function actionCount(problem: PlanProblem): number {
  return problem.actValue.length;
}
