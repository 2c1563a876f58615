import type { Rng } from '../rng.js';
import type { Calendar } from './calendar.js';
import { C, CHANNELS, N_CHANNELS, PRODUCTS } from './catalog.js';
import type { ClientRows } from './client-rows.js';
import { WORLD } from './config.js';
import type { HoldingBook } from './holding-book.js';
import { composeVerbatimDetailed, type VerbatimTopic } from './verbatim-grammar.js';

const V = WORLD.verbatims;
const SPONTANEOUS_TOPICS: readonly VerbatimTopic[] = [
  'advisor',
  'fees',
  'app',
  'general',
  'product',
  'channel',
];

/**
 * At most one verbatim per client and round: a trigger (refusal, over-solicitation, conversion)
 * sets it during the round, or a spontaneous one may come; `write` turns it into a row whose
 * polarity is 2 * satisfaction - 1 + the trigger's shift, and whose score (0..10, sometimes
 * missing) is round(5 + 5 * polarity + N(0, 1)); and its truth row (truth/verbatims.csv): the
 * satisfaction and polarity it was written from, the tone it was written in, and whether a « mais »
 * clause of the other polarity follows.
 */
export class VerbatimPlan {
  topic: VerbatimTopic | undefined;
  product = -1;
  channel = -1;
  shift = 0;
  day = 0;
  private count = 0;

  /** Forgets the client's counter (call once per client). */
  resetClient(): void {
    this.count = 0;
  }

  /** Clears the round's plan. */
  clear(): void {
    this.topic = undefined;
    this.product = -1;
    this.channel = -1;
    this.shift = 0;
  }

  set(topic: VerbatimTopic, product: number, channel: number, shift: number, day: number): void {
    this.topic = topic;
    this.product = product;
    this.channel = channel;
    this.shift = shift;
    this.day = day;
  }

  /** A spontaneous verbatim in days [from, from + days) when nothing triggered one. */
  maybeSpontaneous(rng: Rng, book: HoldingBook, from: number, days: number): void {
    if (this.topic !== undefined || !rng.bernoulli(V.spontaneousPerRound)) return;
    const topic = SPONTANEOUS_TOPICS[rng.int(SPONTANEOUS_TOPICS.length)]!;
    const product = topic === 'product' ? book.product[rng.int(book.size)]! : -1;
    const channel = topic === 'channel' ? rng.int(N_CHANNELS) : topic === 'app' ? C.appPush : -1;
    this.set(topic, product, channel, 0, from + rng.int(days));
  }

  write(
    rng: Rng,
    rows: ClientRows,
    cal: Calendar,
    clientId: string,
    idNum: string,
    satisfaction: number,
  ): void {
    if (this.topic === undefined) return;
    const polarity = Math.max(-1, Math.min(1, 2 * satisfaction - 1 + this.shift));
    const productId = this.product >= 0 ? PRODUCTS[this.product]!.id : '';
    const channelId = this.channel >= 0 ? CHANNELS[this.channel]!.id : '';
    const { text, tone, contrast } = composeVerbatimDetailed(rng, {
      topic: this.topic,
      sentiment: polarity,
      ...(productId ? { productId } : {}),
      ...(channelId ? { channelId } : {}),
    });
    const score = rng.bernoulli(V.missingScore)
      ? ''
      : String(Math.max(0, Math.min(10, Math.round(5 + 5 * polarity + rng.normal()))));
    const at = cal.timestamp(this.day, 480 + rng.int(900));
    const id = `V${idNum}-${++this.count}`;
    rows.verbatim(id, clientId, at, channelId, productId, score, text);
    rows.truthVerbatim(id, clientId, satisfaction, polarity, tone, contrast);
  }
}
