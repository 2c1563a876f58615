import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder of the nbg package (where package.json, cypher/ and neo4j/ are), found by walking up
 * from this module: it works from src/ (tests, tsx) and from dist/src/ (the built CLI) alike.
 */
export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'nextbestgraph'
    ) {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir)
      throw new Error(
        'nbg: cannot find the nextbestgraph package root above ' + fileURLToPath(import.meta.url),
      );
    dir = up;
  }
}

/**
 * The data directory, absolute: `value` (config.ts passes NBG_DATA_DIR or the flag), default `.nbg`
 * in the current directory.
 */
export function dataDir(value?: string): string {
  const d = value ?? '.nbg';
  return isAbsolute(d) ? d : resolve(process.cwd(), d);
}
