import { logger } from '../../log.js';

/** Whether a process with this id exists (signal 0). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !processAlive(pid);
}

/** Sends SIGTERM (clean shutdown), then SIGKILL after `graceMs`. */
export async function stopPid(pid: number, graceMs = 30_000): Promise<void> {
  if (!processAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (!(await waitForExit(pid, graceMs))) {
    logger().warn({ pid }, 'Neo4j did not stop after SIGTERM; killing it');
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
    await waitForExit(pid, 5_000);
  }
}
