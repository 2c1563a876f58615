/**
 * This process's CPU time (user + system, every thread), in milliseconds: the clock to give
 * `stopwatch` (src/stopwatch.ts) for CPU seconds per step, the figure that does not grow with the
 * other processes' load on a shared machine.
 */
export function cpuClock(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}
