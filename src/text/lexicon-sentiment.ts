/**
 * Lexicon baseline for French sentiment: a small hand-made polarity list for retail-banking
 * verbatims (word stems matched as prefixes of accent-free, lower-cased tokens), with negation
 * (« ne … pas », « pas », « jamais », « aucun », « sans », « rien » flip the polarity of the next
 * NEGATION_WINDOW tokens) and clause weighting (after « mais », « par contre », « cependant » the
 * clause counts double: the last word is usually the verdict). score = Σ polarity; positive when > 0,
 * ties count as negative (complaints dominate neutral-sounding verbatims). The approach follows the
 * classic lexicon methods (Hu & Liu 2004; Taboada et al. 2011, "Lexicon-based methods for sentiment
 * analysis", negation as polarity shift); the word list is written for this project.
 */

const POSITIVE_STEMS = [
  'satisf',
  'ravi',
  'content',
  'excellent',
  'parfait',
  'super',
  'top',
  'bravo',
  'merci',
  'efficac',
  'rapide',
  'rapidement',
  'reactif',
  'simple',
  'facil',
  'clair',
  'agreabl',
  'aimabl',
  'adorabl',
  'souriant',
  'disponibl',
  'ecoute',
  'competent',
  'pro',
  'serieux',
  'honnete',
  'recommand',
  'genial',
  'pratique',
  'fluide',
  'impeccabl',
  'exemplair',
  'chapeau',
  'rassur',
  'epaul',
  'sauve',
  'resolu',
  'bien',
  'bon',
  'bonne',
  'chaleureux',
  'courtois',
  'humanit',
  'tact',
  'enfin',
  'surpris',
  'regle',
];
const NEGATIVE_STEMS = [
  'nul',
  'mauvais',
  'decu',
  'decev',
  'mecontent',
  'inadmissibl',
  'scandal',
  'honte',
  'honteux',
  'insupportabl',
  'lent',
  'bloqu',
  'impossibl',
  'plante',
  'bug',
  'erreur',
  'perdu',
  'frais',
  'agios',
  'attend',
  'attente',
  'abandon',
  'injoignabl',
  'glacial',
  'incompetent',
  'lourd',
  'cache',
  'rejet',
  'probleme',
  'pars',
  'partir',
  'cloture',
  'manque',
  'annul',
  'ferme',
  'augment',
  'double',
  'bout',
  'boucle',
  'debrouill',
  'derange',
  'pousse',
  'facture',
  'deconnect',
  'retard',
  'toujours rien',
  'litige',
  'fraude',
  'vole',
  'avale',
  'morte',
  'plus aucun',
  'cher',
  'eleve',
  'abusif',
  'deplorabl',
];
const NEGATORS = new Set(['pas', 'jamais', 'aucun', 'aucune', 'sans', 'rien', 'plus', 'ni', 'personne']);
const CONTRAST = new Set(['mais', 'cependant', 'pourtant', 'toutefois']);

export interface LexiconOptions {
  negationWindow: number;
  contrastWeight: number;
}

export const LEXICON_DEFAULTS: Readonly<LexiconOptions> = Object.freeze({
  negationWindow: 3,
  contrastWeight: 2,
});

/** Lower-case, accents removed, split on anything that is not a letter or digit. */
export function tokenizeFrench(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

function polarity(token: string): number {
  // longest stem wins; short stems ('pro', 'top', 'nul', 'bon', 'bien') must match the whole word
  let best = 0;
  let bestLen = 0;
  for (const [stems, sign] of [
    [POSITIVE_STEMS, 1],
    [NEGATIVE_STEMS, -1],
  ] as const) {
    for (const s of stems) {
      if (s.includes(' ')) continue;
      const match =
        s.length <= 4 ? token === s || token === `${s}s` || token === `${s}ne` : token.startsWith(s);
      if (match && s.length > bestLen) {
        best = sign;
        bestLen = s.length;
      }
    }
  }
  return best;
}

/** Lexicon score of one text (> 0 positive). */
export function lexiconScore(text: string, options: Partial<LexiconOptions> = {}): number {
  const o = { ...LEXICON_DEFAULTS, ...options };
  const tokens = tokenizeFrench(text);
  let score = 0;
  let negLeft = 0;
  let weight = 1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (CONTRAST.has(t) || (t === 'par' && tokens[i + 1] === 'contre')) {
      weight = o.contrastWeight;
      negLeft = 0;
      continue;
    }
    if (NEGATORS.has(t)) {
      negLeft = o.negationWindow;
      continue;
    }
    const p = polarity(t);
    if (p !== 0) score += weight * (negLeft > 0 ? -p : p);
    if (negLeft > 0) negLeft--;
  }
  return score;
}

/** 1 = positive, 0 = negative. */
export function lexiconClassify(texts: readonly string[]): Uint8Array {
  return Uint8Array.from(texts, (t) => (lexiconScore(t) > 0 ? 1 : 0));
}
