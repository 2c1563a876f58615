import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeSettings } from '../config.js';

/**
 * The JWT/pseudonym secret: NBG_JWT_SECRET when set, else a demo secret generated once (32 random
 * bytes, hex) and kept in DATA_DIR/api-secret (mode 0600) so that nbg token and nbg serve agree.
 */
export function apiSecret(dataDir: string, jwtSecret = runtimeSettings().jwtSecret): string {
  if (jwtSecret) return jwtSecret;
  const file = join(dataDir, 'api-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
