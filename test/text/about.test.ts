import { describe, expect, it } from 'vitest';
import { attributeAbout, type CatalogEntry } from '../../src/text/about.js';

const PRODUCTS: CatalogEntry[] = [
  { id: 'P_CURRENT_ACCOUNT', name: 'Compte courant' },
  { id: 'P_LIVRET_A', name: 'Livret A' },
  { id: 'P_LDDS', name: 'LDDS (Livret de développement durable et solidaire)', keywords: ['ldds'] },
  { id: 'P_MORTGAGE', name: 'Prêt immobilier', keywords: ['immo'] },
];
const CHANNELS: CatalogEntry[] = [
  { id: 'branch', name: 'Rendez-vous en agence', keywords: ['agence'] },
  { id: 'app_push', name: 'Notification appli', keywords: ['appli', 'application'] },
];

describe('text/about', () => {
  it.each([
    [
      { text: 'Très bien', product_id: 'P_LIVRET_A', channel_id: 'branch' },
      'P_LIVRET_A',
      'branch',
      'column',
      'column',
    ],
    [{ text: 'Mon prêt immobilier traîne, l’agence ne répond pas' }, 'P_MORTGAGE', 'branch', 'text', 'text'],
    [{ text: 'Le LDDS rapporte peu, appli correcte' }, 'P_LDDS', 'app_push', 'text', 'text'],
    [{ text: 'Frais sur mon COMPTE COURANT' }, 'P_CURRENT_ACCOUNT', undefined, 'text', 'none'],
    [{ text: 'Rien à dire', product_id: '', channel_id: '' }, undefined, undefined, 'none', 'none'],
  ] as const)('%j', (v, product, channel, pf, cf) => {
    expect(attributeAbout(v, PRODUCTS, CHANNELS)).toEqual({
      productId: product,
      channelId: channel,
      productFrom: pf,
      channelFrom: cf,
    });
  });
});
