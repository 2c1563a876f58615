import type { AccountType, ProductFamily, RiskProfile } from '../domain/enums.js';

/**
 * The simulated bank's offer: twelve products a French retail bank sells, and five contact
 * channels. Margins (`unitValue`, EUR per conversion) and channel costs are orders of magnitude
 * chosen for plausibility, not a real bank's figures (docs/simulator.md).
 */
export interface ProductDef {
  readonly id: string;
  readonly name: string;
  readonly family: ProductFamily;
  readonly isCredit: boolean;
  readonly minAge?: number;
  readonly maxAge?: number;
  readonly requiredRiskProfile?: RiskProfile;
  readonly unitValue: number;
  /** Which monthly balance series the product feeds (undefined: none). */
  readonly account?: AccountType;
  /** Spontaneous conversion hazard per day at need 1 (before the response type's multiplier). */
  readonly baseHazard: number;
  /** Uplift scale of one contact (before channel power, affinity, need, signal and fatigue). */
  readonly upliftScale: number;
  /** Web page of the product (journeys). */
  readonly page: string;
}

export const PRODUCTS: readonly ProductDef[] = [
  {
    id: 'P_CURRENT_ACCOUNT',
    name: 'Compte courant',
    family: 'account',
    isCredit: false,
    unitValue: 150,
    account: 'current',
    baseHazard: 0.0008,
    upliftScale: 0.1,
    page: '/comptes/compte-courant',
  },
  {
    id: 'P_LIVRET_A',
    name: 'Livret A',
    family: 'savings',
    isCredit: false,
    unitValue: 40,
    account: 'savings',
    baseHazard: 0.002,
    upliftScale: 0.16,
    page: '/epargne/livret-a',
  },
  {
    id: 'P_LDDS',
    name: 'LDDS (Livret de développement durable et solidaire)',
    family: 'savings',
    isCredit: false,
    unitValue: 30,
    account: 'savings',
    baseHazard: 0.0015,
    upliftScale: 0.14,
    page: '/epargne/ldds',
  },
  {
    id: 'P_PEL',
    name: "PEL (Plan d'épargne logement)",
    family: 'savings',
    isCredit: false,
    unitValue: 120,
    account: 'savings',
    baseHazard: 0.0012,
    upliftScale: 0.14,
    page: '/epargne/pel',
  },
  {
    id: 'P_ASSURANCE_VIE',
    name: 'Assurance-vie',
    family: 'investment',
    isCredit: false,
    requiredRiskProfile: 'prudent',
    unitValue: 600,
    account: 'savings',
    baseHazard: 0.0008,
    upliftScale: 0.12,
    page: '/placements/assurance-vie',
  },
  {
    id: 'P_PEA',
    name: "PEA (Plan d'épargne en actions)",
    family: 'investment',
    isCredit: false,
    minAge: 18,
    requiredRiskProfile: 'balanced',
    unitValue: 250,
    account: 'savings',
    baseHazard: 0.0008,
    upliftScale: 0.12,
    page: '/placements/pea',
  },
  {
    id: 'P_CONSUMER_CREDIT',
    name: 'Crédit à la consommation',
    family: 'credit',
    isCredit: true,
    minAge: 18,
    maxAge: 75,
    unitValue: 400,
    account: 'credit',
    baseHazard: 0.0012,
    upliftScale: 0.14,
    page: '/credits/pret-personnel',
  },
  {
    id: 'P_MORTGAGE',
    name: 'Crédit immobilier',
    family: 'credit',
    isCredit: true,
    minAge: 18,
    maxAge: 70,
    unitValue: 1800,
    account: 'credit',
    baseHazard: 0.0015,
    upliftScale: 0.12,
    page: '/credits/credit-immobilier',
  },
  {
    id: 'P_HOME_INSURANCE',
    name: 'Assurance habitation',
    family: 'insurance',
    isCredit: false,
    unitValue: 180,
    baseHazard: 0.0012,
    upliftScale: 0.14,
    page: '/assurances/habitation',
  },
  {
    id: 'P_PROVIDENT',
    name: 'Assurance prévoyance',
    family: 'insurance',
    isCredit: false,
    minAge: 18,
    maxAge: 65,
    unitValue: 250,
    baseHazard: 0.0008,
    upliftScale: 0.14,
    page: '/assurances/prevoyance',
  },
  {
    id: 'P_PREMIUM_CARD',
    name: 'Carte Visa Premier',
    family: 'service',
    isCredit: false,
    minAge: 18,
    unitValue: 120,
    baseHazard: 0.001,
    upliftScale: 0.14,
    page: '/cartes/visa-premier',
  },
  {
    id: 'P_BUDGET_APP',
    name: 'Service Budget+ (application de gestion de budget)',
    family: 'service',
    isCredit: false,
    unitValue: 30,
    baseHazard: 0.0015,
    upliftScale: 0.2,
    page: '/services/budget-plus',
  },
];

/** Product indexes by role, used by the life-event and balance models. */
export const P = {
  current: 0,
  livretA: 1,
  ldds: 2,
  pel: 3,
  assuranceVie: 4,
  pea: 5,
  consumerCredit: 6,
  mortgage: 7,
  homeInsurance: 8,
  provident: 9,
  premiumCard: 10,
  budgetApp: 11,
} as const;

export const N_PRODUCTS = PRODUCTS.length;

export interface ChannelDef {
  readonly id: string;
  readonly name: string;
  /** EUR per contact. */
  readonly cost: number;
  /** Contacts per day per 100,000 clients (undefined: unlimited); scaled with the world's size. */
  readonly capacityPer100k?: number;
  /** How much one contact through this channel can move a decision (multiplies uplift). */
  readonly power: number;
  /** How much one contact annoys (multiplies the satisfaction cost of a contact). */
  readonly irritation: number;
  /** Probability that an unconverted, unrefused contact is at least opened / clicked. */
  readonly openRate: number;
  readonly clickRate: number;
}

export const CHANNELS: readonly ChannelDef[] = [
  {
    id: 'branch',
    name: 'Rendez-vous en agence',
    cost: 25,
    capacityPer100k: 300,
    power: 1,
    irritation: 0.5,
    openRate: 0.8,
    clickRate: 0.3,
  },
  {
    id: 'phone',
    name: 'Appel du conseiller',
    cost: 8,
    capacityPer100k: 1200,
    power: 0.7,
    irritation: 1.5,
    openRate: 0.55,
    clickRate: 0.15,
  },
  { id: 'email', name: 'E-mail', cost: 0.1, power: 0.22, irritation: 0.3, openRate: 0.3, clickRate: 0.06 },
  { id: 'sms', name: 'SMS', cost: 0.05, power: 0.18, irritation: 1, openRate: 0.5, clickRate: 0.05 },
  {
    id: 'app_push',
    name: "Notification dans l'application",
    cost: 0.02,
    power: 0.28,
    irritation: 0.6,
    openRate: 0.35,
    clickRate: 0.1,
  },
];

export const C = { branch: 0, phone: 1, email: 2, sms: 3, appPush: 4 } as const;
export const N_CHANNELS = CHANNELS.length;
