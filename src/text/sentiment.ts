/**
 * Verbatim sentiment, one entry point: a logistic regression on E5 embeddings trained on the
 * verbatims that carry a client score (score ≤ 4 → negative, ≥ 7 → positive, 5–6 left out) when
 * there are at least `minTrain` of them with both classes present; zero-shot prototypes otherwise.
 * Mixed verbatims: a text with a contrast marker (« mais », « par contre », « cependant »,
 * « toutefois », « pourtant ») is split into clauses, each clause classified; `mixed` is true when
 * the clauses disagree, and the verdict is then the last clause's (what follows « mais » is usually
 * the point).
 */
import { NbgError } from '../errors.js';
import type { Embedder } from './embed.js';
import { fitLogistic } from './logistic-regression.js';
import { createZeroShotSentiment } from './zero-shot-sentiment.js';

export interface SentimentOptions {
  minTrain: number;
  negativeMaxScore: number;
  positiveMinScore: number;
}
export const SENTIMENT_DEFAULTS: Readonly<SentimentOptions> = Object.freeze({
  minTrain: 30,
  negativeMaxScore: 4,
  positiveMinScore: 7,
});

export interface SentimentResult {
  /** 1 = positive, 0 = negative. */
  readonly label: 0 | 1;
  readonly mixed: boolean;
  readonly method: 'logistic' | 'zero-shot';
}

const CONTRAST = /\s*(?:,|;)?\s*\b(?:mais|par contre|cependant|toutefois|pourtant)\b\s*/iu;

/** Clauses split at contrast markers (empty pieces dropped); the whole text when there is none. */
export function splitClauses(text: string): string[] {
  const parts = text
    .split(CONTRAST)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return parts.length > 0 ? parts : [text];
}

export async function classifySentiment(
  embedder: Embedder,
  verbatims: readonly { readonly text: string; readonly score?: number | undefined }[],
  options: Partial<SentimentOptions> = {},
): Promise<SentimentResult[]> {
  const o = { ...SENTIMENT_DEFAULTS, ...options };
  if (o.negativeMaxScore >= o.positiveMinScore)
    throw new NbgError(
      'BAD_INPUT',
      `sentiment: negativeMaxScore ${o.negativeMaxScore} must be below positiveMinScore ${o.positiveMinScore}`,
    );
  // every clause of every verbatim, embedded once
  const clauses = verbatims.map((v) => splitClauses(v.text));
  const flat = clauses.flat();
  const emb = await embedder.embed(flat);
  const whole = new Map<number, Float32Array>();
  const trainX: Float32Array[] = [];
  const trainY: number[] = [];
  let pos = 0;
  verbatims.forEach((v, i) => {
    const cl = clauses[i] as string[];
    let row: Float32Array | undefined;
    if (cl.length === 1) row = emb[pos];
    pos += cl.length;
    if (row) whole.set(i, row);
    const s = v.score;
    if (
      row &&
      s !== undefined &&
      Number.isFinite(s) &&
      (s <= o.negativeMaxScore || s >= o.positiveMinScore)
    ) {
      trainX.push(row);
      trainY.push(s >= o.positiveMinScore ? 1 : 0);
    }
  });
  const both = trainY.includes(0) && trainY.includes(1);
  let predict: (rows: Float32Array[]) => number[];
  let method: SentimentResult['method'];
  if (trainY.length >= o.minTrain && both) {
    const m = fitLogistic(trainX, trainY);
    predict = (rows) => rows.map((r) => (m.probability(r) > 0.5 ? 1 : 0));
    method = 'logistic';
  } else {
    const zs = await createZeroShotSentiment(embedder);
    predict = (rows) => Array.from(zs.classify(rows));
    method = 'zero-shot';
  }
  const labels = predict(emb);
  const out: SentimentResult[] = [];
  pos = 0;
  for (const cl of clauses) {
    const ls = labels.slice(pos, pos + cl.length);
    pos += cl.length;
    const last = ls[ls.length - 1] === 1 ? 1 : 0;
    out.push({ label: last, mixed: new Set(ls).size > 1, method });
  }
  return out;
}
