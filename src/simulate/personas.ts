import type { RiskProfile, Segment } from '../domain/enums.js';

/**
 * Latent personas: hidden client types that drive age, segment, income, digital habits, the
 * products held at the start, the needs that follow, and channel preferences. They are the
 * community structure a graph method should find again from holdings and journeys (the truth
 * lists each client's persona in truth/clients.csv). Vectors are indexed like PRODUCTS / CHANNELS.
 */
export interface PersonaDef {
  readonly id: string;
  /** Share of the client base (weights, normalised). */
  readonly weight: number;
  /** Age at the start date: mean, standard deviation, bounds. */
  readonly age: readonly [mean: number, sd: number, min: number, max: number];
  /** Weights over SEGMENTS order: mass, affluent, private, professional, young. */
  readonly segments: readonly [number, number, number, number, number];
  /** Weights over income bands 1..5. */
  readonly income: readonly [number, number, number, number, number];
  /** Weights over RISK_PROFILES order: unknown, prudent, balanced, dynamic. */
  readonly risk: readonly [number, number, number, number];
  readonly fragileRate: number;
  /** Probability of using the mobile app (digital journeys, app_push consent). */
  readonly appUser: number;
  /** Probability of holding each product at the start (life stage). */
  readonly holds: readonly number[];
  /** Baseline need for each product (0..1) when not held. */
  readonly needs: readonly number[];
  /** Channel affinity (branch, phone, email, sms, app_push): scales uplift by channel. */
  readonly channelAffinity: readonly [number, number, number, number, number];
  /** Mean latent satisfaction at the start (0..1). */
  readonly satisfaction: number;
  /** Monthly savings rate (share of the salary). */
  readonly savingsRate: number;
  /** Probabilities of life events in or around the window. */
  readonly housePurchase: number;
  readonly childBirth: number;
}

//                current livA  ldds  pel   av    pea   cons  mort  home  prov  prem  budg
export const PERSONAS: readonly PersonaDef[] = [
  {
    id: 'etudiant',
    weight: 0.1,
    age: [21, 2, 18, 26],
    segments: [0.1, 0, 0, 0, 0.9],
    income: [0.85, 0.15, 0, 0, 0],
    risk: [0.6, 0.3, 0.08, 0.02],
    fragileRate: 0.08,
    appUser: 0.92,
    holds: [1, 0.6, 0.03, 0.02, 0, 0, 0.02, 0, 0.3, 0, 0.02, 0.7],
    needs: [0, 0.4, 0.05, 0.03, 0.01, 0.03, 0.1, 0, 0.35, 0.01, 0.05, 0.6],
    channelAffinity: [0.3, 0.2, 0.5, 0.6, 1],
    satisfaction: 0.68,
    savingsRate: 0.03,
    housePurchase: 0,
    childBirth: 0,
  },
  {
    id: 'jeune_actif',
    weight: 0.16,
    age: [29, 3.5, 22, 38],
    segments: [0.5, 0.05, 0, 0, 0.45],
    income: [0.1, 0.45, 0.35, 0.1, 0],
    risk: [0.25, 0.3, 0.3, 0.15],
    fragileRate: 0.05,
    appUser: 0.85,
    holds: [1, 0.45, 0.15, 0.05, 0.02, 0.25, 0.55, 0.03, 0.55, 0.05, 0.15, 0.55],
    needs: [0, 0.25, 0.3, 0.15, 0.05, 0.45, 0.5, 0.05, 0.25, 0.1, 0.35, 0.45],
    channelAffinity: [0.4, 0.3, 0.6, 0.5, 1],
    satisfaction: 0.64,
    savingsRate: 0.06,
    housePurchase: 0.12,
    childBirth: 0.12,
  },
  {
    id: 'projet_immobilier',
    weight: 0.11,
    age: [34, 4, 25, 46],
    segments: [0.6, 0.3, 0.02, 0.03, 0.05],
    income: [0, 0.2, 0.45, 0.3, 0.05],
    risk: [0.15, 0.45, 0.3, 0.1],
    fragileRate: 0.03,
    appUser: 0.75,
    holds: [1, 0.85, 0.3, 0.85, 0.05, 0.03, 0.08, 0, 0.35, 0.15, 0.05, 0.05],
    needs: [0, 0.35, 0.3, 0.5, 0.05, 0.03, 0.05, 0.35, 0.45, 0.45, 0.05, 0.05],
    channelAffinity: [1, 0.7, 0.6, 0.4, 0.6],
    satisfaction: 0.66,
    savingsRate: 0.12,
    housePurchase: 0.85,
    childBirth: 0.25,
  },
  {
    id: 'famille_installee',
    weight: 0.17,
    age: [46, 5, 35, 60],
    segments: [0.62, 0.28, 0.02, 0.06, 0.02],
    income: [0.02, 0.2, 0.45, 0.28, 0.05],
    risk: [0.1, 0.45, 0.35, 0.1],
    fragileRate: 0.06,
    appUser: 0.6,
    holds: [1, 0.55, 0.3, 0.1, 0.15, 0.05, 0.35, 0.92, 0.92, 0.65, 0.1, 0.05],
    needs: [0, 0.15, 0.2, 0.05, 0.3, 0.05, 0.5, 0.02, 0.3, 0.5, 0.15, 0.1],
    channelAffinity: [0.7, 0.6, 0.7, 0.5, 0.5],
    satisfaction: 0.6,
    savingsRate: 0.06,
    housePurchase: 0.04,
    childBirth: 0.1,
  },
  {
    id: 'epargnant_patrimonial',
    weight: 0.11,
    age: [58, 8, 42, 80],
    segments: [0.1, 0.5, 0.38, 0.02, 0],
    income: [0, 0, 0.1, 0.45, 0.45],
    risk: [0.03, 0.27, 0.45, 0.25],
    fragileRate: 0,
    appUser: 0.35,
    holds: [1, 0.6, 0.6, 0.15, 0.92, 0.75, 0.03, 0.2, 0.7, 0.2, 0.75, 0.02],
    needs: [0, 0.05, 0.25, 0.03, 0.5, 0.5, 0.03, 0.03, 0.15, 0.15, 0.5, 0.02],
    channelAffinity: [1, 0.9, 0.4, 0.2, 0.2],
    satisfaction: 0.62,
    savingsRate: 0.15,
    housePurchase: 0.02,
    childBirth: 0,
  },
  {
    id: 'retraite',
    weight: 0.16,
    age: [72, 6, 62, 92],
    segments: [0.62, 0.33, 0.05, 0, 0],
    income: [0.1, 0.35, 0.35, 0.15, 0.05],
    risk: [0.15, 0.7, 0.13, 0.02],
    fragileRate: 0.07,
    appUser: 0.18,
    holds: [1, 0.92, 0.8, 0.02, 0.55, 0.03, 0.03, 0.02, 0.85, 0.03, 0.08, 0.02],
    needs: [0, 0.15, 0.4, 0.01, 0.4, 0.02, 0.03, 0, 0.2, 0.03, 0.03, 0.03],
    channelAffinity: [1, 0.8, 0.3, 0.3, 0.05],
    satisfaction: 0.7,
    savingsRate: 0.04,
    housePurchase: 0,
    childBirth: 0,
  },
  {
    id: 'independant',
    weight: 0.09,
    age: [44, 8, 26, 66],
    segments: [0.05, 0.12, 0.03, 0.8, 0],
    income: [0.1, 0.2, 0.3, 0.25, 0.15],
    risk: [0.1, 0.2, 0.4, 0.3],
    fragileRate: 0.06,
    appUser: 0.7,
    holds: [1, 0.35, 0.1, 0.03, 0.15, 0.3, 0.3, 0.25, 0.35, 0.75, 0.75, 0.2],
    needs: [0, 0.1, 0.1, 0.03, 0.2, 0.35, 0.45, 0.05, 0.2, 0.55, 0.5, 0.3],
    channelAffinity: [0.6, 0.8, 0.6, 0.4, 0.5],
    satisfaction: 0.55,
    savingsRate: 0.05,
    housePurchase: 0.05,
    childBirth: 0.05,
  },
  {
    id: 'budget_serre',
    weight: 0.1,
    age: [38, 11, 20, 70],
    segments: [0.92, 0, 0, 0.02, 0.06],
    income: [0.6, 0.35, 0.05, 0, 0],
    risk: [0.5, 0.45, 0.05, 0],
    fragileRate: 0.6,
    appUser: 0.6,
    holds: [1, 0.25, 0.02, 0, 0, 0, 0.6, 0.03, 0.4, 0.02, 0, 0.35],
    needs: [0, 0.15, 0.03, 0, 0, 0, 0.6, 0, 0.25, 0.03, 0, 0.55],
    channelAffinity: [0.5, 0.3, 0.5, 0.7, 0.7],
    satisfaction: 0.5,
    savingsRate: 0.01,
    housePurchase: 0,
    childBirth: 0.05,
  },
];

export const SEGMENT_ORDER: readonly Segment[] = ['mass', 'affluent', 'private', 'professional', 'young'];
export const RISK_ORDER: readonly RiskProfile[] = ['unknown', 'prudent', 'balanced', 'dynamic'];
