import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTextModel } from '../../scripts/text-model/install.mjs';
import { classTfIdf } from '../../src/text/class-tfidf.js';
import { createEmbedder, defaultModelsDir } from '../../src/text/embed.js';
import { centerRows, chooseK, kmeans } from '../../src/text/kmeans.js';

const THEMES: ReadonlyArray<readonly [string, readonly string[]]> = [
  [
    'carte',
    [
      'Ma carte bancaire a été bloquée au distributeur.',
      'Carte refusée en magasin, la carte ne passe plus.',
      'J’attends ma nouvelle carte depuis deux semaines.',
    ],
  ],
  [
    'application',
    [
      'L’application mobile plante à chaque connexion.',
      'Application lente, impossible de consulter mes comptes.',
      'La mise à jour de l’application a tout cassé.',
    ],
  ],
  [
    'pret',
    [
      'Mon prêt immobilier a été accepté rapidement.',
      'Le taux du prêt auto est trop élevé.',
      'Dossier de prêt perdu deux fois par l’agence.',
    ],
  ],
];

describe('topics: k-means on embeddings + class-based TF-IDF', () => {
  const texts = THEMES.flatMap(([, t]) => t);
  let rows: Float32Array[];
  beforeAll(async () => {
    const modelsDir = defaultModelsDir();
    await ensureTextModel({ modelsDir });
    rows = await (await createEmbedder({ modelsDir })).embed(texts);
  }, 300_000);

  // purity: share of texts whose cluster's majority theme is their own theme
  const purity = (assignment: Uint32Array): number => {
    let ok = 0;
    for (let c = 0; c < 3; c++) {
      const counts = THEMES.map((_, t) => [0, 1, 2].filter((j) => assignment[3 * t + j] === c).length);
      ok += Math.max(...counts);
    }
    return ok / texts.length;
  };

  it('clusters the centred embeddings by theme with purity at least 8/9 (seed 1)', () => {
    const { assignment } = kmeans(centerRows(rows), 3, { seed: 1 });
    // measured 8/9 on one machine, 9/9 on another: int8 kernels differ by CPU, so a border text
    // may change sides
    expect(purity(assignment)).toBeGreaterThanOrEqual(8 / 9);
  });

  it('names classes by their distinctive word (c-TF-IDF)', () => {
    const labels = Uint32Array.from(texts, (_, i) => Math.floor(i / 3));
    const named = classTfIdf(texts, labels, { topTerms: 2 });
    expect(named.map((c) => c.terms[0]?.term)).toEqual(['carte', 'application', 'pret']);
    expect(named.map((c) => c.size)).toEqual([3, 3, 3]);
  });

  it('recovers well-separated synthetic clusters exactly', () => {
    const synth = [0, 1, 2].flatMap((c) =>
      [0, 1, 2, 3].map((j) => {
        const v = new Float32Array(4);
        v[c] = 1;
        v[3] = 0.1 * j;
        const n = Math.hypot(...v);
        return v.map((x) => x / n);
      }),
    );
    const { assignment } = kmeans(synth, 3, { seed: 3 });
    for (let c = 0; c < 3; c++) expect(new Set(assignment.slice(4 * c, 4 * c + 4)).size).toBe(1);
    expect(new Set(assignment).size).toBe(3);
  });

  it('is deterministic for a seed', () => {
    expect(kmeans(rows, 3, { seed: 5 }).assignment).toEqual(kmeans(rows, 3, { seed: 5 }).assignment);
  });

  it.each([
    [0, /positive integer/],
    [1.5, /positive integer/],
    [20, /9 rows cannot make 20 clusters/],
  ] as const)('rejects k = %s', (k, msg) => {
    expect(() => kmeans(rows, k)).toThrow(msg);
  });

  it('chooses k by round(sqrt(n/2)) within [2, 12]', () => {
    expect([1, 9, 50, 200, 10_000].map(chooseK)).toEqual([2, 2, 5, 10, 12]);
  });
});
