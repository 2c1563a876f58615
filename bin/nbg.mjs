#!/usr/bin/env node
// Entry point of the `nbg` command: runs the compiled CLI (npm run build, or npm start, compiles it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/src/cli/run.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('nbg: not built yet. Run `npm run build` (or `npm start`, which builds) first.\n');
  process.exit(3);
}
await import(entry);
