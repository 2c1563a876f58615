/**
 * The dates a training table decides at, taken from the data rather than from any generator's
 * round length. A bank sends campaigns in waves (a monthly mailing on the 1st, a fortnightly
 * round) or continuously (contacts every day). The old targeting's decisions, and so the rows that
 * learn from them, are the waves:
 * - `waves`: the days that hold most of the window's contacts (the fewest days covering
 *   `WAVE_COVERAGE` of them) when they are at most one day in `MIN_WAVE_GAP_DAYS` on average; each
 *   wave day is a decision date, its treatment window runs to the next wave (at most the horizon);
 * - `steps`: otherwise (continuous sending, or too few contacts to tell), dates every
 *   `horizonDays` back from D − horizonDays, each treating the contacts of its own horizon.
 * `stepDays` given by the caller forces fixed steps of that length (the treatment window is one
 * step). In every case a date's outcome window [t, t + horizonDays) must end by D, since outcomes
 * after D are not known at D: later dates are dropped.
 */
export interface DecisionRhythm {
  readonly kind: 'waves' | 'steps';
  /** Decision days (days since 1970-01-01), ascending. */
  readonly days: readonly number[];
  /** End (exclusive) of each date's treatment window, in days. */
  readonly treatEnd: readonly number[];
  /** Median days between decision dates (NaN with fewer than two). */
  readonly medianGapDays: number;
}

/** Share of the window's contacts the wave days must hold. */
export const WAVE_COVERAGE = 0.9;
/** Wave days are at most one in this many days of the window, on average. */
export const MIN_WAVE_GAP_DAYS = 7;
/** Fewer contacts than this in the window: no rhythm can be read, fixed steps are used. */
const MIN_CONTACTS_FOR_WAVES = 50;

export interface RhythmOptions {
  readonly decisionDay: number;
  readonly windowDays: number;
  readonly horizonDays: number;
  readonly stepDays?: number | undefined;
}

/** The rhythm of the contacts sent at `sent` (days since 1970-01-01, any order). */
export function decisionRhythm(sent: ArrayLike<number>, o: RhythmOptions): DecisionRhythm {
  const D = o.decisionDay;
  const first = D - o.windowDays;
  const last = D - o.horizonDays;
  if (o.stepDays !== undefined) return fixedSteps(first, D, o.stepDays, o.horizonDays);
  const perDay = new Map<number, number>();
  let total = 0;
  for (let r = 0; r < sent.length; r++) {
    const d = Math.floor(sent[r]!);
    if (d < first || d >= D) continue;
    perDay.set(d, (perDay.get(d) ?? 0) + 1);
    total++;
  }
  const busiest = [...perDay].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const waves: number[] = [];
  let covered = 0;
  for (const [d, count] of busiest) {
    if (covered >= WAVE_COVERAGE * total) break;
    waves.push(d);
    covered += count;
  }
  if (total < MIN_CONTACTS_FOR_WAVES || waves.length > o.windowDays / MIN_WAVE_GAP_DAYS) {
    return fixedSteps(first, D, o.horizonDays, o.horizonDays);
  }
  waves.sort((a, b) => a - b);
  const days: number[] = [];
  const treatEnd: number[] = [];
  for (let j = 0; j < waves.length; j++) {
    const t = waves[j]!;
    if (t > last) break;
    days.push(t);
    treatEnd.push(Math.min(waves[j + 1] ?? D, t + o.horizonDays));
  }
  return { kind: 'waves', days, treatEnd, medianGapDays: medianGap(days) };
}

/** t = D − horizonDays − stepDays·j (j ≥ 0) down to D − windowDays; treatment windows of one step. */
function fixedSteps(first: number, D: number, stepDays: number, horizonDays: number): DecisionRhythm {
  const days: number[] = [];
  // The latest date whose outcome window ends by D, on the step grid ending at D.
  const top = D - stepDays * Math.ceil(horizonDays / stepDays);
  for (let t = top; t >= first; t -= stepDays) days.push(t);
  days.reverse();
  return {
    kind: 'steps',
    days,
    treatEnd: days.map((t) => t + stepDays),
    medianGapDays: days.length > 1 ? stepDays : Number.NaN,
  };
}

function medianGap(days: readonly number[]): number {
  if (days.length < 2) return Number.NaN;
  const gaps = days.slice(1).map((d, j) => d - days[j]!);
  gaps.sort((a, b) => a - b);
  const m = gaps.length >> 1;
  return gaps.length % 2 ? gaps[m]! : (gaps[m - 1]! + gaps[m]!) / 2;
}
