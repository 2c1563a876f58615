import type { PlanProblem } from '../plan-problem.js';

/**
 * Spreads a plan's contacts over the horizon so that no day exceeds a channel's daily capacity:
 * the k-th contact of channel c (in action order) goes on day ⌊k / daily_c⌋, which is below the
 * horizon because the plan uses at most daily_c × horizon contacts; channels without a daily
 * capacity go round-robin over the days. Returns the day (0-based) per action, −1 when unselected.
 */
export function scheduleDays(problem: PlanProblem, selected: Uint8Array): Int16Array {
  const { limits } = problem;
  const H = limits.horizonDays;
  const C = problem.channels.length;
  const next = new Float64Array(C);
  const days = new Int16Array(selected.length).fill(-1);
  for (let a = 0; a < selected.length; a++) {
    if (!selected[a]) continue;
    const c = problem.actChannel[a]!;
    const daily = limits.channelCapacity[c]! / H;
    const k = next[c]!++;
    days[a] =
      Number.isFinite(daily) && daily > 0 ? Math.min(H - 1, Math.floor(k / Math.floor(daily))) : k % H;
  }
  return days;
}
