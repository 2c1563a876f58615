import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The secret kept in `file`: read when the file exists, else made by `make()`, written with mode
 * 0600 (its folder created) and returned. nbg keeps the embedded Neo4j's password and the API's
 * demo JWT secret this way, so that every command started later agrees on them.
 */
export function readOrCreateSecret(file: string, make: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = make();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
