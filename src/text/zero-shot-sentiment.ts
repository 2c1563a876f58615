/**
 * Zero-shot sentiment on E5 embeddings: score(t) = mean_p cos(t, p) − mean_n cos(t, n) over a few
 * positive and negative prototype phrases (written for retail banking, in French); positive when
 * score > bias. No labelled data needed; used when verbatims carry no client score. Because E5
 * cosines share a narrow band, only the difference of the two means carries the signal.
 */
import { ErrorCode, NbgError } from '../errors.js';
import type { Embedder } from './embed.js';

export const POSITIVE_PROTOTYPES: readonly string[] = [
  'Je suis très satisfait, le service est excellent.',
  'Conseiller compétent et à l’écoute, je recommande.',
  'Rapide, simple et efficace, merci beaucoup.',
  'Tout s’est très bien passé, je suis ravi.',
  'Une banque réactive et agréable, bravo.',
];
export const NEGATIVE_PROTOTYPES: readonly string[] = [
  'Je suis très mécontent, le service est déplorable.',
  'Personne ne répond, aucun suivi, c’est inadmissible.',
  'Frais abusifs et erreurs à répétition, je vais partir.',
  'Tout s’est très mal passé, je suis déçu.',
  'Une banque lente et incompétente, c’est scandaleux.',
];

export const ZERO_SHOT_DEFAULTS = Object.freeze({ bias: 0 });

export interface ZeroShotSentiment {
  /** Score per text: mean cosine to positive prototypes minus mean cosine to negative ones. */
  scores(embeddings: readonly Float32Array[]): Float64Array;
  /** 1 = positive, 0 = negative, per text. */
  classify(embeddings: readonly Float32Array[]): Uint8Array;
}

function meanRow(rows: readonly Float32Array[]): Float32Array {
  const first = rows[0];
  if (!first) throw new NbgError(ErrorCode.BAD_INPUT, 'zero-shot sentiment: no prototype phrases');
  const m = new Float32Array(first.length);
  for (const r of rows)
    for (let i = 0; i < m.length; i++) m[i] = (m[i] as number) + (r[i] as number) / rows.length;
  return m;
}

/** Embeds the prototypes once. mean_p cos(t,p) = cos(t, mean_p p) for unit t, so one dot each. */
export async function createZeroShotSentiment(
  embedder: Embedder,
  options: { positive?: readonly string[]; negative?: readonly string[]; bias?: number } = {},
): Promise<ZeroShotSentiment> {
  const bias = options.bias ?? ZERO_SHOT_DEFAULTS.bias;
  const pos = meanRow(await embedder.embed(options.positive ?? POSITIVE_PROTOTYPES));
  const neg = meanRow(await embedder.embed(options.negative ?? NEGATIVE_PROTOTYPES));
  const diff = new Float32Array(pos.length);
  for (let i = 0; i < diff.length; i++) diff[i] = (pos[i] as number) - (neg[i] as number);
  const scores = (embeddings: readonly Float32Array[]): Float64Array => {
    const out = new Float64Array(embeddings.length);
    embeddings.forEach((e, k) => {
      if (e.length !== diff.length)
        throw new NbgError(
          ErrorCode.BAD_INPUT,
          `zero-shot sentiment: embedding ${k} has ${e.length} dims, expected ${diff.length}`,
        );
      let s = 0;
      for (let i = 0; i < diff.length; i++) s += (e[i] as number) * (diff[i] as number);
      out[k] = s;
    });
    return out;
  };
  return {
    scores,
    classify: (embeddings) => Uint8Array.from(scores(embeddings), (s) => (s > bias ? 1 : 0)),
  };
}
