import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreateSecret } from '../../secret-file.js';

/** The password of the embedded instance whose state is in `stateDir`, created on first use (0600). */
export function embeddedPassword(stateDir: string): string {
  return readOrCreateSecret(join(stateDir, 'password'), () => randomBytes(18).toString('base64url'));
}
