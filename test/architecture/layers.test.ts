import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/ and graph/, bottom to top (docs/architecture.md draws the same picture). A file
 * may import its own module (a top folder of src/, a root file of src/, or graph/) and any module of
 * a LOWER layer, never one of its own layer or above; and nothing but the CLI and the API imports
 * ingest/ or api/ (ingest/ is a command's back end, api/ the server's).
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'paths', 'rng', 'stopwatch', 'secret-file'],
  ['config'],
  ['log', 'numeric', 'csv', 'graph', 'worker-thread'],
  ['domain'],
  ['db', 'dataset', 'constraints'],
  ['simulate', 'text', 'features', 'ingest'],
  ['models', 'analyze'],
  ['allocate', 'evaluate'],
  ['api'],
  ['cli'],
];
const ONLY_FROM: Readonly<Record<string, readonly string[]>> = { ingest: ['cli'], api: ['cli'] };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const layerOf = new Map(LAYERS.flatMap((mods, i) => mods.map((m) => [m, i] as const)));

/** The module of a path relative to the project root: `src/models/uplift/t.ts` → `models`, `src/rng.ts` → `rng`. */
export function moduleOf(path: string): string | undefined {
  const parts = path.split(sep).join('/').split('/');
  if (parts[0] === 'graph') return 'graph';
  if (parts[0] !== 'src' || parts.length < 2) return undefined;
  return parts.length === 2 ? parts[1]!.replace(/\.(ts|js)$/, '') : parts[1];
}

/** Why an import from `from` to `to` (modules) breaks the layering, or undefined when it does not. */
export function layerViolation(from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const a = layerOf.get(from);
  const b = layerOf.get(to);
  if (a === undefined) return `module ${from} is in no layer (add it to LAYERS)`;
  if (b === undefined) return `module ${to} is in no layer (add it to LAYERS)`;
  const only = ONLY_FROM[to];
  if (only && !only.includes(from)) return `only ${only.join(', ')} may import ${to}/`;
  if (b > a) return `imports upward (layer ${a} -> ${b})`;
  if (b === a) return `imports a module of its own layer ${a}`;
  return undefined;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.m?ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:import|export)[^'"]*?from\s+'([^']+)'|import\s+'([^']+)'|import\('([^']+)'\)/g;

/** Every import of `text` (a file at `file`, relative to the root) that breaks the layering. */
export function violations(file: string, text: string): string[] {
  const from = moduleOf(file);
  if (from === undefined) return [];
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (!spec.startsWith('.')) continue;
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec));
    const to = moduleOf(target);
    if (to === undefined) continue;
    const why = layerViolation(from, to);
    if (why) out.push(`${file} -> ${spec}: ${why}`);
  }
  return out;
}

describe('layer order of src/ and graph/', () => {
  it('every module of src/ is in a layer', () => {
    const mods = new Set(files(join(ROOT, 'src')).map((f) => moduleOf(relative(ROOT, f))!));
    expect([...mods].filter((m) => !layerOf.has(m)).sort()).toEqual([]);
  });

  it('nothing imports upward or across its layer, and only the CLI imports ingest/ and api/', () => {
    const found = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'graph'))];
    expect(found.length).toBeGreaterThan(200);
    const bad = found.flatMap((f) => violations(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });

  it('catches an upward import, an import across a layer and an import of ingest/ (the checker can fail)', () => {
    expect(violations('src/models/a.ts', "import { x } from '../allocate/b.js';")).toEqual([
      'src/models/a.ts -> ../allocate/b.js: imports upward (layer 6 -> 7)',
    ]);
    expect(violations('src/text/a.ts', "import type { y } from '../features/b.js';")).toHaveLength(1);
    expect(violations('src/evaluate/a.ts', "import '../ingest/b.js';")).toEqual([
      'src/evaluate/a.ts -> ../ingest/b.js: only cli may import ingest/',
    ]);
    expect(violations('graph/a/b.ts', "export { z } from '../../src/domain/c.js';")).toHaveLength(1);
    expect(violations('src/cli/a.ts', "import { w } from '../models/uplift/t.js';")).toEqual([]);
    expect(violations('src/models/uplift/a.ts', "import { w } from '../network/n.js';")).toEqual([]);
  });
});
