import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_FILES, type FileSpec, POLICY_FILE, TRUTH_DIR } from '../domain/contract.js';
import type { InputIssue } from '../errors.js';

export interface DatasetFiles {
  readonly dir: string;
  /** Contract files present in the folder, in dependency order. */
  readonly present: readonly FileSpec[];
  /** Contract files absent (treated as empty). */
  readonly absent: readonly FileSpec[];
  readonly policyPath: string | undefined;
  /** Files and folders the contract does not know (ignored with a warning). */
  readonly ignored: readonly string[];
  /** Missing required files, a path that is not a folder. */
  readonly issues: readonly InputIssue[];
}

/** Looks at a dataset folder: which contract files are there, which are missing or unknown. */
export function inspectDataset(dir: string): DatasetFiles {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return {
      dir,
      present: [],
      absent: [...CONTRACT_FILES],
      policyPath: undefined,
      ignored: [],
      issues: [{ file: dir, reason: 'not a folder: a dataset is a folder of CSV files and a policy.json' }],
    };
  }
  const entries = new Set(readdirSync(dir));
  const present: FileSpec[] = [];
  const absent: FileSpec[] = [];
  const issues: InputIssue[] = [];
  for (const spec of CONTRACT_FILES) {
    if (entries.has(spec.file)) present.push(spec);
    else {
      absent.push(spec);
      if (spec.required) issues.push({ file: spec.file, reason: `required file is missing from ${dir}` });
    }
  }
  const known = new Set<string>([...CONTRACT_FILES.map((s) => s.file), POLICY_FILE, TRUTH_DIR]);
  const ignored = [...entries].filter((e) => !known.has(e) && !e.startsWith('.')).sort();
  return {
    dir,
    present,
    absent,
    policyPath: entries.has(POLICY_FILE) ? join(dir, POLICY_FILE) : undefined,
    ignored,
    issues,
  };
}
