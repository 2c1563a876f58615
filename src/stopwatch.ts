/**
 * The one way nbg times its steps: `const sw = stopwatch()`, then `sw.lap('read')` after each step
 * (seconds since the previous lap, kept under that name) and `sw.seconds()` for the total.
 */
export interface Stopwatch {
  /** Seconds since the previous lap (or the start), recorded under `name` (added to an earlier lap of the same name). */
  lap(name: string): number;
  /** Seconds since the stopwatch started. */
  seconds(): number;
  /** Every lap so far, by name, in seconds. */
  readonly laps: Record<string, number>;
}

/**
 * `now` is the clock in milliseconds: wall time by default; a benchmark passes its process's CPU
 * time (bench/lib/cpu-clock.ts) to time steps on both clocks the same way.
 */
export function stopwatch(now: () => number = () => performance.now()): Stopwatch {
  const started = now();
  let last = started;
  const laps: Record<string, number> = {};
  return {
    laps,
    lap(name) {
      const t = now();
      const s = (t - last) / 1000;
      last = t;
      laps[name] = (laps[name] ?? 0) + s;
      return s;
    },
    seconds: () => (now() - started) / 1000,
  };
}
