/**
 * Class-based TF-IDF (Grootendorst 2022, "BERTopic", arXiv:2203.05794): all documents of a class
 * are joined into one, and term t in class c weighs W(t,c) = tf(t,c) · log(1 + A / f(t)), with
 * tf(t,c) the count of t in c divided by the number of words in c, f(t) the count of t over all
 * classes and A the average number of words per class. Terms: accent-folded lower-case words of
 * at least 3 letters, minus a short French stop-word list.
 */
import { tokenizeFrench } from './lexicon-sentiment.js';

/** Frequent French function words and banking-verbatim filler (accent-folded). */
export const FRENCH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'les des une est pas que qui pour par sur dans avec sans mais tout tous tres plus moins ses son sa ' +
    'mon mes ma ton tes nos vos leur leurs cette ces cet aux elle ils elles nous vous etait ete avoir ' +
    'etre fait faire comme bien encore deja aussi alors donc car quand depuis fois avait sont ont suis ' +
    'jai apres avant entre chez rien merci bonjour bonne journee cela ceci celle celui dont'
  ).split(' '),
);

export interface ClassTerms {
  readonly label: number;
  readonly size: number;
  readonly terms: readonly { readonly term: string; readonly weight: number }[];
}

export function classTfIdf(
  texts: readonly string[],
  labels: ArrayLike<number>,
  options: { topTerms?: number; stopWords?: ReadonlySet<string> } = {},
): ClassTerms[] {
  const top = options.topTerms ?? 5;
  const stop = options.stopWords ?? FRENCH_STOP_WORDS;
  const perClass = new Map<number, { size: number; words: number; counts: Map<string, number> }>();
  const total = new Map<string, number>();
  texts.forEach((t, i) => {
    const label = labels[i] as number;
    let c = perClass.get(label);
    if (!c) {
      c = { size: 0, words: 0, counts: new Map() };
      perClass.set(label, c);
    }
    c.size++;
    for (const w of tokenizeFrench(t)) {
      if (w.length < 3 || stop.has(w) || /^\d+$/.test(w)) continue;
      c.words++;
      c.counts.set(w, (c.counts.get(w) ?? 0) + 1);
      total.set(w, (total.get(w) ?? 0) + 1);
    }
  });
  const classes = [...perClass.entries()].sort((a, b) => a[0] - b[0]);
  const avgWords = classes.reduce((s, [, c]) => s + c.words, 0) / Math.max(1, classes.length);
  return classes.map(([label, c]) => {
    const terms = [...c.counts.entries()]
      .map(([term, n]) => ({
        term,
        weight: (n / c.words) * Math.log(1 + avgWords / (total.get(term) as number)),
      }))
      .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1))
      .slice(0, top);
    return { label, size: c.size, terms };
  });
}
