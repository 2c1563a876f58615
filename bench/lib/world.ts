import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type SimulateOptions, simulate } from '../../src/simulate/index.js';

/**
 * The simulated world of a benchmark: `options.out`, simulated with `options` when its `marker` file
 * (relative to the folder; default truth/meta.json, the simulator's last file) is missing, so a
 * later run reuses it. `say` hears one line before a simulation. Returns the folder.
 */
export async function simulatedWorld(
  options: SimulateOptions,
  o: { readonly marker?: string; readonly say?: (line: string) => void } = {},
): Promise<string> {
  if (!existsSync(join(options.out, o.marker ?? join('truth', 'meta.json')))) {
    o.say?.(`simulating ${options.clients} clients (seed ${options.seed}) into ${options.out}`);
    await simulate(options);
  }
  return options.out;
}
