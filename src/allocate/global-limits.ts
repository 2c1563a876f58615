import { DEFAULT_HORIZON_DAYS } from '../constraints/rule.js';
import type { ChannelInfo, ProductInfo } from '../domain/catalog.js';
import type { Policy } from '../domain/policy.js';
import type { GlobalLimits } from './plan-problem.js';

/**
 * The global limits of a plan from the policy, the channels and the products. A channel's daily
 * capacity is the smaller of policy.channelDailyCapacity and channels.csv daily_capacity; over the
 * horizon it allows capacity × horizonDays contacts. `segmentCounts[s]` is the number of clients of
 * segment s in the planned base.
 */
export function globalLimits(
  policy: Policy,
  products: readonly ProductInfo[],
  channels: readonly ChannelInfo[],
  segmentCounts: ArrayLike<number>,
  horizonDays: number = policy.horizonDays ?? DEFAULT_HORIZON_DAYS,
): GlobalLimits {
  const channelCapacity = new Float64Array(channels.length);
  channels.forEach((ch, c) => {
    const fromPolicy = policy.channelDailyCapacity?.[ch.id];
    const daily = Math.min(fromPolicy ?? Infinity, ch.dailyCapacity ?? Infinity);
    channelCapacity[c] = daily * horizonDays;
  });
  const productQuota = new Float64Array(products.length);
  products.forEach((pr, p) => {
    productQuota[p] = policy.productQuota?.[pr.id] ?? Infinity;
  });
  let total = 0;
  for (let s = 0; s < segmentCounts.length; s++) total += segmentCounts[s]!;
  const segmentClientShare = new Float64Array(segmentCounts.length);
  for (let s = 0; s < segmentCounts.length; s++)
    segmentClientShare[s] = total > 0 ? segmentCounts[s]! / total : 0;
  return {
    horizonDays,
    channelCapacity,
    productQuota,
    budgetEUR: policy.budgetEUR ?? Infinity,
    segmentRatio: policy.maxSegmentShareRatio,
    segmentClientShare,
  };
}

/** Segments whose guard row can bind: ratio × share < 1. */
export function guardedSegments(limits: GlobalLimits): number[] {
  const out: number[] = [];
  if (limits.segmentRatio === undefined) return out;
  for (let s = 0; s < limits.segmentClientShare.length; s++) {
    if (limits.segmentRatio * limits.segmentClientShare[s]! < 1) out.push(s);
  }
  return out;
}
