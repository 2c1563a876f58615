import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ErrorCode, NbgError } from '../errors.js';
import { projectRoot } from '../paths.js';

/**
 * The query registry. Every Cypher statement lives in cypher/**\/NAME.cypher, one parameterised
 * statement per file, and is named by its path without the extension (`write/clients`). Modules
 * declare the names they use at import time with `query('write/clients')`; `loadQueries()` reads the
 * folder once and fails at start-up, not at first use, when a declared name has no file.
 */
declare const queryBrand: unique symbol;
export type QueryRef = { readonly name: string; readonly [queryBrand]: true };

const declared = new Map<string, QueryRef>();

export function query(name: string): QueryRef {
  let ref = declared.get(name);
  if (!ref) {
    ref = { name } as QueryRef;
    declared.set(name, ref);
  }
  return ref;
}

export function declaredQueries(): readonly string[] {
  return [...declared.keys()].sort();
}

export function cypherDir(): string {
  return join(projectRoot(), 'cypher');
}

/** Removes // and /* *\/ comments outside string literals, and trailing whitespace. */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  let quote: string | null = null;
  while (i < text.length) {
    const c = text[i] as string;
    if (quote) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i++;
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
      out += c;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.trim();
}

export class QueryRegistry {
  private constructor(private readonly texts: ReadonlyMap<string, string>) {}

  /** Loads every .cypher file under `dir` and checks that each declared query exists. */
  static load(dir: string = cypherDir()): QueryRegistry {
    const texts = new Map<string, string>();
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (entry.name.endsWith('.cypher')) {
          const name = relative(dir, p).slice(0, -'.cypher'.length).split(sep).join('/');
          const text = stripComments(readFileSync(p, 'utf8')).replace(/;\s*$/, '');
          if (text === '') throw new NbgError(ErrorCode.INTERNAL, `cypher/${name}.cypher holds no statement`);
          if (text.includes(';')) {
            throw new NbgError(
              ErrorCode.INTERNAL,
              `cypher/${name}.cypher holds more than one statement (one per file)`,
            );
          }
          texts.set(name, text);
        }
      }
    };
    walk(dir);
    const missing = declaredQueries().filter((n) => !texts.has(n));
    if (missing.length > 0) {
      throw new NbgError(
        ErrorCode.INTERNAL,
        `unknown Cypher queries (no file in ${dir}): ${missing.join(', ')}`,
      );
    }
    return new QueryRegistry(texts);
  }

  text(ref: QueryRef | string): string {
    const name = typeof ref === 'string' ? ref : ref.name;
    const t = this.texts.get(name);
    if (t === undefined) throw new NbgError(ErrorCode.INTERNAL, `unknown Cypher query ${name}`);
    return t;
  }

  /** Names under a folder (e.g. `schema/`), sorted: the order migrations run in. */
  namesUnder(prefix: string): string[] {
    return [...this.texts.keys()].filter((n) => n.startsWith(prefix)).sort();
  }

  names(): string[] {
    return [...this.texts.keys()].sort();
  }
}
