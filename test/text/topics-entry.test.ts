import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTextModel } from '../../scripts/text-model/install.mjs';
import { createEmbedder, defaultModelsDir, type Embedder } from '../../src/text/embed.js';
import { findTopics, topicsOfEmbeddings } from '../../src/text/topics.js';

const TEXTS = [
  'Ma carte bancaire a été bloquée au distributeur.',
  'Carte refusée en magasin, la carte ne passe plus.',
  'J’attends ma nouvelle carte depuis deux semaines.',
  'L’application mobile plante à chaque connexion.',
  'Application lente, impossible de consulter mes comptes.',
  'La mise à jour de l’application a tout cassé.',
  'Mon prêt immobilier a été accepté rapidement.',
  'Le taux du prêt auto est trop élevé.',
  'Dossier de prêt perdu deux fois par l’agence.',
];

describe('findTopics', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    const modelsDir = defaultModelsDir();
    await ensureTextModel({ modelsDir });
    embedder = await createEmbedder({ modelsDir });
  }, 300_000);

  it('clusters and names the three themes', async () => {
    const t = await findTopics(embedder, TEXTS, { k: 3, seed: 1 });
    expect(t.k).toBe(3);
    // measured: 8/9 in their theme (the lost-file loan complaint joins the card cluster)
    expect(Array.from(t.assignment)).toEqual([2, 2, 2, 0, 0, 0, 1, 1, 2]);
    expect(t.topics.map((x) => x.terms[0]?.term)).toEqual(['application', 'pret', 'carte']);
  });

  it('chooses k by the rule when not given', async () => {
    expect((await findTopics(embedder, TEXTS)).k).toBe(2);
  });

  it.each([
    [['une seule'], {}, /at least 2/],
    [['a', 'b'], { k: 3 }, /exceeds/],
  ] as const)('rejects bad input %#', async (texts, opts, msg) => {
    await expect(findTopics(embedder, texts, opts)).rejects.toThrow(msg);
  });

  it.each([
    [['a'], 1, /at least 2 verbatims, got 1/],
    [['a', 'b', 'c'], 2, /3 texts but 2 embeddings/],
  ] as const)('topicsOfEmbeddings rejects bad input %#', (texts, n, msg) => {
    const rows = Array.from({ length: n }, () => new Float32Array(384));
    expect(() => topicsOfEmbeddings(texts, rows)).toThrow(msg);
  });

  it('gives the same topics from precomputed embeddings as findTopics', async () => {
    const t = topicsOfEmbeddings(TEXTS, await embedder.embed(TEXTS), { k: 3, seed: 1 });
    expect(Array.from(t.assignment)).toEqual([2, 2, 2, 0, 0, 0, 1, 1, 2]);
  });
});
