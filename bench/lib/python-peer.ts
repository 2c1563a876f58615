import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stopwatch } from '../../src/stopwatch.js';

/** The repository root (bench/lib/ is two levels down). */
const ROOT = join(import.meta.dirname, '..', '..');

/** The Python of the peers' venv, `.venv-peers/` at the repository root (bench/peers/*\/README.md). */
export const PEERS_PYTHON = join(ROOT, '.venv-peers', 'bin', 'python');

/**
 * Checks that the peers' venv exists; otherwise prints how to make it (`setup`, the README's pip
 * lines) and exits with code 3 (a missing dependency), so a driver fails with a clear message.
 */
export function requirePeersPython(setup: readonly string[]): string {
  if (existsSync(PEERS_PYTHON)) return PEERS_PYTHON;
  process.stderr.write(
    `the Python peers need the venv ${PEERS_PYTHON}, which is missing. Create it from the repository root:\n\n` +
      `${setup.map((l) => `  ${l}`).join('\n')}\n\nthen run this benchmark again.\n`,
  );
  process.exit(3);
}

/**
 * Runs `python script args…` from the repository root, its stderr passed through (progress), and
 * resolves with its wall seconds; rejects with the exit code when it fails.
 */
export function runPeer(python: string, script: string, args: readonly string[]): Promise<number> {
  const sw = stopwatch();
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(sw.seconds());
      else reject(new Error(`${script} ${args.join(' ')} failed (exit code ${code ?? signal})`));
    });
  });
}
