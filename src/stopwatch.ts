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

export function stopwatch(): Stopwatch {
  const started = performance.now();
  let last = started;
  const laps: Record<string, number> = {};
  return {
    laps,
    lap(name) {
      const now = performance.now();
      const s = (now - last) / 1000;
      last = now;
      laps[name] = (laps[name] ?? 0) + s;
      return s;
    },
    seconds: () => (performance.now() - started) / 1000,
  };
}
