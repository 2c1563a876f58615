import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const GRAPH = resolve(dirname(fileURLToPath(import.meta.url)), '../../graph');
const ALLOWED_PACKAGES = new Set([
  'graphology',
  'graphology-types',
  'graphology-communities-louvain',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-wasm',
]);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('graph/ is standalone', () => {
  it('imports only its own files, node built-ins and the graph packages', () => {
    const found = files(GRAPH);
    expect(found.length).toBeGreaterThan(10);
    const outside: string[] = [];
    for (const file of found) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /(?:import|export)[^'"]*?from\s+'([^']+)'|import\s+'([^']+)'|import\('([^']+)'\)/g,
      )) {
        const spec = m[1] ?? m[2] ?? m[3]!;
        if (spec.startsWith('.')) {
          const target = relative(GRAPH, resolve(dirname(file), spec));
          if (target.startsWith('..')) outside.push(`${relative(GRAPH, file)} -> ${spec}`);
        } else if (!spec.startsWith('node:') && !ALLOWED_PACKAGES.has(spec) && spec !== 'tsx/esm/api')
          outside.push(`${relative(GRAPH, file)} -> ${spec}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
