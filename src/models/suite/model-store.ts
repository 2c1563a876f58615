import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, NbgError } from '../../errors.js';

/**
 * Where trained model suites live: `<data dir>/models/<version>/`, one folder per `nbg train`, with a
 * `suite.json` (what was trained, on which window, with which feature schema, its metrics) beside
 * one sub-folder per model. A suite is written into a temporary folder and renamed into place, so a
 * folder with a suite.json is always complete; an interrupted training leaves no half-model behind.
 */
export interface SuiteManifest {
  readonly version: string;
  readonly createdAt: string;
  readonly featureSchemaVersion: string;
  readonly featureSchema: { readonly pair: readonly string[]; readonly channel: readonly string[] };
  /** Decision dates of the training rows: first and last (YYYY-MM-DD). */
  readonly windowFrom: string;
  readonly windowTo: string;
  readonly trainingRows: number;
  /** Model name → kind (its sub-folder is the name). */
  readonly models: Readonly<Record<string, string>>;
  /** Which model ranks actions (the others are baselines). */
  readonly primary: string;
  readonly metrics: Readonly<Record<string, number>>;
}

export const SUITE_FILE = 'suite.json';

export function modelsRoot(dataDir: string): string {
  return join(dataDir, 'models');
}

/** A sortable version: UTC time to the second, then 8 hex digits of what was trained. */
export function suiteVersion(createdAt: Date, fingerprint: string): string {
  const t = createdAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const h = createHash('sha256').update(fingerprint).digest('hex').slice(0, 8);
  return `m${t}-${h}`;
}

/**
 * Writes a suite: `writeModels(tmp)` saves every model into the temporary folder, then the manifest is
 * written and the folder renamed to `<root>/<version>`. Returns the final folder.
 */
export async function writeSuite(
  root: string,
  manifest: SuiteManifest,
  writeModels: (tmpDir: string) => Promise<void>,
): Promise<string> {
  mkdirSync(root, { recursive: true });
  const final = join(root, manifest.version);
  const tmp = join(root, `.tmp-${manifest.version}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await writeModels(tmp);
    writeFileSync(join(tmp, SUITE_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return final;
}

export function readSuiteManifest(dir: string): SuiteManifest {
  const file = join(dir, SUITE_FILE);
  if (!existsSync(file)) {
    throw new NbgError(ErrorCode.NOT_FOUND, `no trained model in ${dir} (${SUITE_FILE} is missing)`, {
      hint: 'run `nbg train` first',
    });
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SuiteManifest;
  } catch (err) {
    throw new NbgError(ErrorCode.BAD_INPUT, `${file}: not valid JSON (${(err as Error).message})`);
  }
}

/** The newest complete suite under `root` (versions sort by time), or undefined. */
export function latestSuiteDir(root: string): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(join(root, e.name, SUITE_FILE)))
    .map((e) => e.name)
    .sort();
  const last = versions.at(-1);
  return last === undefined ? undefined : join(root, last);
}
