import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { runtimeSettings } from '../config.js';
import { readOrCreateSecret } from '../secret-file.js';

/**
 * The JWT/pseudonym secret: NBG_JWT_SECRET when set, else a demo secret generated once (32 random
 * bytes, hex) and kept in DATA_DIR/api-secret (mode 0600) so that nbg token and nbg serve agree.
 */
export function apiSecret(dataDir: string, jwtSecret = runtimeSettings().jwtSecret): string {
  if (jwtSecret) return jwtSecret;
  return readOrCreateSecret(join(dataDir, 'api-secret'), () => randomBytes(32).toString('hex'));
}
