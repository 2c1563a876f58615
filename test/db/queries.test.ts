import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cypherDir, QueryRegistry, query, stripComments } from '../../src/db/queries.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'nbg-cypher-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the query registry', () => {
  const registry = QueryRegistry.load();

  it('has a file for every query name the code uses', () => {
    const root = join(cypherDir(), '..');
    const used = new Set<string>();
    for (const f of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'test'))]) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bquery\('([^']+)'\)/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((n) => !registry.names().includes(n));
    expect(missing).toEqual([]);
  });

  it('keeps every statement text (snapshot)', () => {
    const all = Object.fromEntries(registry.names().map((n) => [n, registry.text(n)]));
    expect(all).toMatchSnapshot();
  });

  it('writes in batches: every statement that takes $rows starts by unwinding it', () => {
    const batched = registry.names().filter((n) => registry.text(n).includes('$rows'));
    expect(batched.length).toBeGreaterThan(10);
    for (const name of batched) expect(registry.text(name), name).toMatch(/^UNWIND \$rows AS r\b/);
  });

  it('strips comments but not comment-like text inside strings', () => {
    expect(stripComments("// head\nMATCH (n) /* c */ WHERE n.url = 'http://x' // tail\nRETURN n")).toBe(
      "MATCH (n)  WHERE n.url = 'http://x' \nRETURN n",
    );
  });

  const BAD: readonly { name: string; files: Record<string, string>; declare?: string; expect: RegExp }[] = [
    {
      name: 'two statements in one file',
      files: { 'a.cypher': 'MATCH (n) RETURN n; MATCH (m) RETURN m' },
      expect: /cypher\/a\.cypher holds more than one statement/,
    },
    {
      name: 'an empty file',
      files: { 'b.cypher': '// nothing here\n' },
      expect: /cypher\/b\.cypher holds no statement/,
    },
    {
      name: 'a declared query without a file',
      files: { 'c.cypher': 'RETURN 1' },
      declare: 'read/does-not-exist',
      expect: /unknown Cypher queries .*read\/does-not-exist/,
    },
  ];
  it.each(BAD)('refuses $name at load time', ({ name, files, declare, expect: msg }) => {
    const dir = join(tmp, name.replace(/\W+/g, '-'));
    mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    if (declare) query(declare);
    expect(() => QueryRegistry.load(dir)).toThrow(msg);
  });
});
