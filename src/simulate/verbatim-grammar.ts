import type { Rng } from '../rng.js';
import { WORLD } from './config.js';

/**
 * A small generative grammar of French satisfaction verbatims. A text is
 *   [opening] main clause [« mais » contrast] [closing] [signature]
 * where clauses are chosen by topic and polarity, slots ({P} product, {C} channel, {I}
 * intensifier, {A} adverb of time) are filled at random, a contrast clause of the opposite
 * polarity sometimes follows « mais », and occasional typos, quotes, commas and line breaks
 * appear, as in real survey answers. Sentiment follows the latent satisfaction passed in.
 */
export const VERBATIM_TOPICS = [
  'solicitation',
  'channel',
  'product',
  'advisor',
  'fees',
  'app',
  'general',
] as const;
export type VerbatimTopic = (typeof VERBATIM_TOPICS)[number];

const PRODUCT_PHRASES: Readonly<Record<string, readonly string[]>> = {
  P_CURRENT_ACCOUNT: ['mon compte courant', 'le compte', 'mon compte joint'],
  P_LIVRET_A: ['le Livret A', 'mon livret A', 'le livret'],
  P_LDDS: ['le LDDS', 'mon LDDS', 'le livret développement durable'],
  P_PEL: ['le PEL', "mon plan d'épargne logement", 'le PEL pour notre projet'],
  P_ASSURANCE_VIE: ["l'assurance-vie", "mon contrat d'assurance vie", "l'assurance vie"],
  P_PEA: ['le PEA', 'mon PEA', 'le plan actions'],
  P_CONSUMER_CREDIT: ['le crédit conso', 'mon prêt personnel', 'le crédit à la consommation'],
  P_MORTGAGE: ['le crédit immobilier', 'notre prêt immo', 'le dossier de prêt immobilier'],
  P_HOME_INSURANCE: ["l'assurance habitation", "l'assurance du logement", 'mon assurance habitation'],
  P_PROVIDENT: ['la prévoyance', "l'assurance prévoyance", 'le contrat prévoyance'],
  P_PREMIUM_CARD: ['la carte Visa Premier', 'ma carte premium', 'la carte haut de gamme'],
  P_BUDGET_APP: ["l'appli Budget+", 'le service Budget+', "l'outil de gestion de budget"],
};
const ANY_PRODUCT = ['vos produits', 'vos offres', 'un nouveau produit', 'vos placements'];

const CHANNEL_PHRASES: Readonly<Record<string, readonly string[]>> = {
  branch: ["à l'agence", 'en agence', 'au guichet'],
  phone: ['par téléphone', 'au téléphone', 'par des appels'],
  email: ['par mail', 'par e-mail', 'dans ma boîte mail'],
  sms: ['par SMS', 'par texto', 'par des SMS'],
  app_push: ["par les notifications de l'appli", 'par notification', "sur mon téléphone via l'appli"],
};
const ANY_CHANNEL = ['de toutes les façons', 'par tous les canaux', 'sans cesse'];

const INTENSIFIERS = [
  'vraiment',
  'très',
  'franchement',
  'plutôt',
  'assez',
  'extrêmement',
  'tellement',
  'super',
];
const TIMES = ['encore', 'toujours', 'depuis des mois', 'à chaque fois', 'ces derniers temps', 'souvent'];

const OPENINGS_POS = [
  'Bonjour,',
  'Rien à redire.',
  'Merci !',
  'Très bonne expérience.',
  'Globalement,',
  'Honnêtement,',
];
const OPENINGS_NEG = [
  'Bonjour,',
  'Déçu.',
  'Franchement,',
  'Pas content.',
  'Encore une fois,',
  'Je le dis clairement :',
];
const OPENINGS_NEUTRAL = ['Bonjour,', 'Bof.', 'Globalement,', 'Pour être honnête,', 'Mitigé.'];

type Clauses = Readonly<Record<VerbatimTopic, readonly string[]>>;

const POSITIVE: Clauses = {
  solicitation: [
    "on m'a proposé {P} au bon moment",
    'la proposition reçue {C} était {I} pertinente',
    "le conseiller m'a présenté {P} sans insister",
    'les offres {C} correspondent à mes besoins',
  ],
  channel: [
    'le contact {C} est {I} pratique',
    'on me répond vite {C}',
    'les échanges {C} sont clairs et rapides',
  ],
  product: [
    'je suis {I} satisfait de {P}',
    "l'ouverture de {P} s'est faite en quelques minutes",
    '{P} correspond exactement à ce que je cherchais',
    'les conditions de {P} sont {I} intéressantes',
  ],
  advisor: [
    "mon conseiller est {I} disponible et à l'écoute",
    'ma conseillère connaît bien mon dossier',
    "le conseiller a pris le temps de tout m'expliquer",
  ],
  fees: ['les frais sont raisonnables', 'les tarifs restent corrects pour le service rendu'],
  app: ["l'application est {I} simple à utiliser", "l'appli marche bien, je fais tout depuis mon téléphone"],
  general: ['je suis client depuis longtemps et {I} content', 'service {I} efficace', 'une banque sérieuse'],
};

const NEGATIVE: Clauses = {
  solicitation: [
    'je suis {A} sollicité {C} pour {P}',
    'trop de relances {C}, ça devient du harcèlement',
    'on me propose {A} {P} alors que je ne veux rien',
    'arrêtez de me démarcher {C} !',
    "trois contacts en quinze jours pour {P}, c'est {I} trop",
    'je ne supporte plus ces offres commerciales {C}',
  ],
  channel: [
    "les appels à l'heure du dîner sont {I} pénibles",
    'je reçois {A} des messages {C} sans intérêt',
    "impossible de joindre quelqu'un {C}",
    'les messages {C} sont {I} intrusifs',
  ],
  product: [
    "{P} ne correspond pas à ce qu'on m'avait promis",
    'les conditions de {P} sont {I} décevantes',
    'le dossier pour {P} a pris {I} trop de temps',
    "on m'a vendu {P} sans bien m'expliquer",
  ],
  advisor: [
    'mon conseiller change tout le temps',
    'le conseiller ne rappelle jamais',
    "on ne m'écoute pas, on cherche juste à vendre",
  ],
  fees: [
    'les frais bancaires sont {I} élevés',
    'encore des frais prélevés sans explication',
    'tarifs abusifs',
  ],
  app: ["l'application plante {A}", "l'appli est {I} lente", "impossible de me connecter à l'appli"],
  general: ['service client {I} décevant', 'je pense à changer de banque', 'la qualité baisse {A}'],
};

const CLOSINGS_POS = ['Merci.', 'Continuez comme ça !', 'Je recommande.', 'Bonne journée.', ''];
const CLOSINGS_NEG = ["Merci d'en tenir compte.", 'Je réfléchis à partir.', 'À revoir.', 'Cordialement.', ''];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)]!;
}

function fill(
  rng: Rng,
  template: string,
  productId: string | undefined,
  channelId: string | undefined,
): string {
  return template
    .replace('{P}', () =>
      productId ? pick(rng, PRODUCT_PHRASES[productId] ?? ANY_PRODUCT) : pick(rng, ANY_PRODUCT),
    )
    .replace('{C}', () =>
      channelId ? pick(rng, CHANNEL_PHRASES[channelId] ?? ANY_CHANNEL) : pick(rng, ANY_CHANNEL),
    )
    .replace('{I}', () => pick(rng, INTENSIFIERS))
    .replace('{A}', () => pick(rng, TIMES));
}

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

const ACCENTS: Readonly<Record<string, string>> = { é: 'e', è: 'e', ê: 'e', à: 'a', ç: 'c', ô: 'o' };

/** One typo: a dropped accent, two swapped letters, a doubled letter, or a missing letter. */
function typo(rng: Rng, s: string): string {
  const i = 1 + rng.int(Math.max(1, s.length - 2));
  const ch = s[i]!;
  switch (rng.int(4)) {
    case 0: {
      const j = s.search(/[éèêàçô]/);
      return j < 0 ? s : s.slice(0, j) + ACCENTS[s[j]!]! + s.slice(j + 1);
    }
    case 1:
      return /[a-z]/.test(ch) && /[a-z]/.test(s[i + 1] ?? '')
        ? s.slice(0, i) + s[i + 1] + ch + s.slice(i + 2)
        : s;
    case 2:
      return /[a-z]/.test(ch) ? s.slice(0, i) + ch + s.slice(i) : s;
    default:
      return /[a-z]/.test(ch) ? s.slice(0, i) + s.slice(i + 1) : s;
  }
}

export interface VerbatimRequest {
  readonly topic: VerbatimTopic;
  /** Polarity in [-1, 1] (negative: complaint). */
  readonly sentiment: number;
  readonly productId?: string;
  readonly channelId?: string;
}

/**
 * The tone a verbatim was written in: its main clause (and opening, closing) is `positive` when
 * the noisy polarity s + N(0, 0.25²) is above 0.15, `negative` below −0.15, and `mixed` in between
 * (a lukewarm text: a complaint, usually followed by « mais » and praise).
 */
export type VerbatimTone = 'positive' | 'negative' | 'mixed';

export interface ComposedVerbatim {
  readonly text: string;
  readonly tone: VerbatimTone;
  /** True when a « mais » clause of the other polarity follows the main clause. */
  readonly contrast: boolean;
}

/** Composes one verbatim and says how it was written (the simulator's per-verbatim truth). */
export function composeVerbatimDetailed(rng: Rng, req: VerbatimRequest): ComposedVerbatim {
  const noisy = req.sentiment + 0.25 * rng.normal();
  const positive = noisy > 0.15;
  const negative = noisy < -0.15;
  const main = positive ? POSITIVE : NEGATIVE;
  const parts: string[] = [];
  if (rng.bernoulli(0.55)) {
    parts.push(pick(rng, positive ? OPENINGS_POS : negative ? OPENINGS_NEG : OPENINGS_NEUTRAL));
  }
  let clause = fill(rng, pick(rng, main[req.topic]), req.productId, req.channelId);
  if (rng.bernoulli(0.12)) clause = `le conseiller m'a dit "${clause}"`;
  const contrast = rng.bernoulli(!positive && !negative ? 0.85 : 0.2);
  if (contrast) {
    const other = positive ? NEGATIVE : POSITIVE;
    const otherTopic = rng.bernoulli(0.5) ? req.topic : pick(rng, VERBATIM_TOPICS);
    clause += `, mais ${fill(rng, pick(rng, other[otherTopic]), req.productId, req.channelId)}`;
  }
  const lastEnd = parts.length > 0 ? parts[parts.length - 1]!.slice(-1) : '.';
  parts.push(
    `${lastEnd === ',' ? clause : capitalise(clause)}${negative && rng.bernoulli(0.3) ? ' !' : '.'}`,
  );
  const closing = pick(rng, positive ? CLOSINGS_POS : CLOSINGS_NEG);
  if (closing !== '') parts.push(closing);
  let text = parts.join(rng.bernoulli(0.08) ? '\n' : ' ');
  if (rng.bernoulli(WORLD.verbatims.typoRate)) text = typo(rng, text);
  if (rng.bernoulli(0.05)) text = text.toLowerCase();
  return { text, tone: positive ? 'positive' : negative ? 'negative' : 'mixed', contrast };
}

/** Composes one verbatim text. */
export function composeVerbatim(rng: Rng, req: VerbatimRequest): string {
  return composeVerbatimDetailed(rng, req).text;
}
