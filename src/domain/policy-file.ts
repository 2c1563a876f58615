import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { InputError, type InputIssue } from '../errors.js';
import { jsonErrorOffset } from './json-error-offset.js';
import { type Policy, policySchema } from './policy.js';

/** Ids the policy may refer to; when given, a key naming an unknown one is an error. */
export interface KnownIds {
  readonly channels?: readonly string[];
  readonly products?: readonly string[];
}

/** 1-based line and column of a character offset in a text. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}

function jsonErrorLocation(text: string): { line?: number; column?: number } {
  const at = jsonErrorOffset(text);
  return at < 0 ? {} : lineColumn(text, at);
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

function zodIssues(file: string, issues: readonly z.core.$ZodIssue[]): InputIssue[] {
  return issues.map((i) => {
    if (i.code === 'unrecognized_keys') {
      const where = i.path.length ? ` in ${issuePath(i.path)}` : '';
      return { file, reason: `unknown key(s) ${i.keys.map((k) => JSON.stringify(k)).join(', ')}${where}` };
    }
    return { file, columnName: issuePath(i.path), reason: i.message };
  });
}

/**
 * Parses the text of a policy.json: bad JSON is reported with its line and column, a bad value
 * with its key path and what was expected, an unknown key by name (a typo must not silently drop
 * a constraint), and, when `known` is given, a channel or product id the dataset does not have.
 * All problems are reported together in one InputError.
 */
export function parsePolicy(text: string, file = 'policy.json', known: KnownIds = {}): Policy {
  let raw: unknown;
  // A UTF-8 byte-order mark is not JSON, but editors write it: drop it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new InputError([{ file, ...jsonErrorLocation(text), reason: `invalid JSON: ${message}` }]);
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) throw new InputError(zodIssues(file, parsed.error.issues));
  const policy = parsed.data;
  const issues: InputIssue[] = [];
  const crossCheck = (
    key: string,
    map: Record<string, number> | undefined,
    ids: readonly string[] | undefined,
  ) => {
    if (map === undefined || ids === undefined) return;
    const set = new Set(ids);
    for (const id of Object.keys(map)) {
      if (!set.has(id)) {
        issues.push({
          file,
          columnName: `${key}.${id}`,
          reason: `unknown id "${id}"; known: ${ids.join(', ')}`,
        });
      }
    }
  };
  crossCheck('maxContactsPerClientPerChannel', policy.maxContactsPerClientPerChannel, known.channels);
  crossCheck('channelDailyCapacity', policy.channelDailyCapacity, known.channels);
  crossCheck('productQuota', policy.productQuota, known.products);
  if (issues.length > 0) throw new InputError(issues);
  return policy;
}

/** Reads and parses a policy.json file (see parsePolicy). A missing file is an InputError too. */
export async function loadPolicy(path: string, known: KnownIds = {}): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const reason = e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'file not found' : String(e);
    throw new InputError([{ file: path, reason }]);
  }
  return parsePolicy(text, path, known);
}
