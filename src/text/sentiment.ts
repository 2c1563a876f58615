/**
 * Verbatim sentiment, one entry point: a logistic regression on E5 embeddings trained on the
 * verbatims that carry a client score (score ≤ 4 → negative, ≥ 7 → positive, 5–6 left out) when
 * there are at least `minTrain` of them with both classes present; zero-shot prototypes otherwise
 * (a bank export without scores). The verdict is the whole text's: the regression learns from the
 * scores how this bank's clients weigh the parts of a text, so no rule of thumb decides it.
 * Mixed verbatims: a text with a contrast marker (« mais », « par contre », « cependant »,
 * « toutefois », « pourtant ») is also split into clauses, each clause classified by the same
 * model; `mixed` is true when the clauses disagree.
 */
import { ErrorCode, NbgError } from '../errors.js';
import type { Embedder } from './embed.js';
import { fitLogistic } from './logistic-regression.js';
import { createZeroShotSentiment } from './zero-shot-sentiment.js';

export interface SentimentOptions {
  /** Fewest usable scored verbatims (both classes present) to train the regression. */
  minTrain: number;
  /** Most scored verbatims trained on (the first ones in input order): bounds the fitting time. */
  maxTrain: number;
  negativeMaxScore: number;
  positiveMinScore: number;
  /** Embed the clauses of texts with a contrast marker to flag mixed verbatims. */
  flagMixed: boolean;
}
export const SENTIMENT_DEFAULTS: Readonly<SentimentOptions> = Object.freeze({
  minTrain: 30,
  maxTrain: 20_000,
  negativeMaxScore: 4,
  positiveMinScore: 7,
  flagMixed: true,
});

export interface SentimentResult {
  /** 1 = positive, 0 = negative. */
  readonly label: 0 | 1;
  readonly mixed: boolean;
  readonly method: 'logistic' | 'zero-shot';
}

export interface ScoredText {
  readonly text: string;
  readonly score?: number | undefined;
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

/** Embeds the texts, then `classifyEmbeddedSentiment`. */
export async function classifySentiment(
  embedder: Embedder,
  verbatims: readonly ScoredText[],
  options: Partial<SentimentOptions> = {},
): Promise<SentimentResult[]> {
  checkOptions({ ...SENTIMENT_DEFAULTS, ...options });
  const rows = await embedder.embed(verbatims.map((v) => v.text));
  return classifyEmbeddedSentiment(embedder, verbatims, rows, options);
}

function checkOptions(o: SentimentOptions): void {
  if (o.negativeMaxScore >= o.positiveMinScore)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `sentiment: negativeMaxScore ${o.negativeMaxScore} must be below positiveMinScore ${o.positiveMinScore}`,
    );
  if (!Number.isInteger(o.minTrain) || o.minTrain < 2 || o.maxTrain < o.minTrain)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `sentiment: need 2 ≤ minTrain ≤ maxTrain, got minTrain ${o.minTrain}, maxTrain ${o.maxTrain}`,
    );
}

/**
 * Sentiment of verbatims whose whole-text embeddings are already computed (`rows[i]` is the E5
 * embedding of `verbatims[i].text`); the embedder is used only for the zero-shot prototypes and
 * the clauses of texts with a contrast marker.
 */
export async function classifyEmbeddedSentiment(
  embedder: Embedder,
  verbatims: readonly ScoredText[],
  rows: readonly Float32Array[],
  options: Partial<SentimentOptions> = {},
): Promise<SentimentResult[]> {
  const o = { ...SENTIMENT_DEFAULTS, ...options };
  checkOptions(o);
  if (rows.length !== verbatims.length)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `sentiment: ${verbatims.length} verbatims but ${rows.length} embeddings`,
    );
  const trainX: Float32Array[] = [];
  const trainY: number[] = [];
  verbatims.forEach((v, i) => {
    const s = v.score;
    if (trainX.length >= o.maxTrain || s === undefined || !Number.isFinite(s)) return;
    if (s <= o.negativeMaxScore || s >= o.positiveMinScore) {
      trainX.push(rows[i] as Float32Array);
      trainY.push(s >= o.positiveMinScore ? 1 : 0);
    }
  });
  let predict: (x: readonly Float32Array[]) => ArrayLike<number>;
  let method: SentimentResult['method'];
  if (trainY.length >= o.minTrain && trainY.includes(0) && trainY.includes(1)) {
    const m = fitLogistic(trainX, trainY);
    predict = (x) => Uint8Array.from(x, (r) => (m.probability(r) > 0.5 ? 1 : 0));
    method = 'logistic';
  } else {
    const zs = await createZeroShotSentiment(embedder);
    predict = (x) => zs.classify(x);
    method = 'zero-shot';
  }
  const labels = predict(rows);
  const mixed = new Uint8Array(verbatims.length);
  if (o.flagMixed) {
    const clauses = verbatims.map((v) => splitClauses(v.text));
    const split = clauses.flatMap((c, i) => (c.length > 1 ? [i] : []));
    const clauseLabels = predict(await embedder.embed(split.flatMap((i) => clauses[i] as string[])));
    let pos = 0;
    for (const i of split) {
      const n = (clauses[i] as string[]).length;
      let pos1 = 0;
      for (let j = pos; j < pos + n; j++) pos1 += clauseLabels[j] as number;
      mixed[i] = pos1 > 0 && pos1 < n ? 1 : 0;
      pos += n;
    }
  }
  return Array.from(labels, (l, i) => ({ label: l === 1 ? 1 : 0, mixed: mixed[i] === 1, method }));
}
