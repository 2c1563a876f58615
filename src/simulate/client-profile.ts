import type { RiskProfile, Segment } from '../domain/enums.js';
import type { Rng } from '../rng.js';
import type { BranchNetwork } from './branch-network.js';
import { N_PRODUCTS } from './catalog.js';
import { WORLD } from './config.js';
import { PERSONAS, type PersonaDef, RISK_ORDER, SEGMENT_ORDER } from './personas.js';
import type { WorldFamily } from './world-family.js';

/** Response types of a (client, product) pair. */
export const PERSUADABLE = 0;
export const SURE_THING = 1;
export const LOST_CAUSE = 2;
export const SLEEPING_DOG = 3;
export const RESPONSE_TYPES = ['persuadable', 'sure_thing', 'lost_cause', 'sleeping_dog'] as const;

/** Net monthly income (EUR) by income band 1..5. */
const SALARY_BY_BAND = [1250, 1900, 2700, 3900, 7500] as const;

/** One client's static attributes and latent traits (one object per client, reused nowhere else). */
export interface ClientProfile {
  readonly index: number;
  readonly id: string;
  readonly personaIndex: number;
  readonly persona: PersonaDef;
  /** Age at the start date, in years (fractional). */
  readonly age: number;
  readonly birthYear: number;
  readonly segment: Segment;
  readonly incomeBand: number;
  readonly region: string;
  readonly branch: string;
  readonly advisor: string;
  readonly risk: RiskProfile;
  readonly fragile: boolean;
  /** Day the client joined (negative: before the start). */
  readonly sinceDay: number;
  readonly appUser: boolean;
  /** Favoured by the historical targeting (older, affluent or private): channel mix and response types. */
  readonly favoured: boolean;
  /** Net monthly income, EUR. */
  readonly salary: number;
  readonly satisfactionBase: number;
  /** Baseline need per product, 0..1. */
  readonly needBase: Float64Array;
  /** Response type per product (PERSUADABLE..SLEEPING_DOG). */
  readonly responseType: Uint8Array;
  /** The distribution each product's response type was drawn from (the same for every product). */
  readonly typeMix: Float64Array;
}

export function clientId(index: number): string {
  return `C${String(index + 1).padStart(6, '0')}`;
}

const personaWeights = Float64Array.from(PERSONAS.map((p) => p.weight));

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : Math.min(x, hi);
}

/**
 * Draws a client: persona first, then attributes conditional on it (age, segment, income, risk,
 * fragility, app use), the baseline needs (persona needs with multiplicative noise) and the
 * response type of each product, drawn from the family's mix for favoured and other clients (in the
 * default world it shifts towards sure things and sleeping dogs where the old targeting looks).
 * `family` defaults to the default world's mechanics.
 */
export function drawClientProfile(
  rng: Rng,
  index: number,
  totalDays: number,
  startYear: number,
  branches: BranchNetwork,
  family: Pick<WorldFamily, 'response' | 'logging'> = WORLD,
): ClientProfile {
  const personaIndex = rng.weighted(personaWeights);
  const persona = PERSONAS[personaIndex]!;
  const [am, asd, amin, amax] = persona.age;
  const age = clamp(am + asd * rng.normal(), amin, amax);
  let segment = SEGMENT_ORDER[rng.weighted(persona.segments)]!;
  if (segment === 'young' && age >= 30) segment = 'mass';
  let incomeBand = rng.weighted(persona.income) + 1;
  if (segment === 'affluent') incomeBand = Math.max(incomeBand, 4);
  else if (segment === 'private') incomeBand = 5;
  else if (segment === 'young') incomeBand = Math.min(incomeBand, 2);
  const risk = RISK_ORDER[rng.weighted(persona.risk)]!;
  const fragile = rng.bernoulli(persona.fragileRate) && incomeBand <= 3;
  const appUser = rng.bernoulli(persona.appUser);
  const place = branches.assign(
    rng,
    segment === 'affluent' || segment === 'private'
      ? 'wealth'
      : segment === 'professional'
        ? 'professional'
        : 'general',
  );
  let sinceDay: number;
  if (rng.bernoulli(WORLD.newClientShare)) {
    sinceDay = rng.int(Math.max(1, totalDays - 120));
  } else {
    const maxYears = Math.max(0.5, age - 17);
    const years = Math.min(maxYears, 0.3 + -Math.log(1 - rng.next()) * 11);
    sinceDay = -Math.max(1, Math.round(years * 365.25));
  }
  const olderAge = family.logging.olderAge;
  const favoured = segment === 'affluent' || segment === 'private' || age >= olderAge;
  const salary =
    (persona.id === 'etudiant' ? 800 : SALARY_BY_BAND[incomeBand - 1]!) * Math.exp(0.18 * rng.normal());
  const satisfactionBase = clamp(persona.satisfaction + WORLD.satisfaction.sd * rng.normal(), 0.05, 0.98);

  const needBase = new Float64Array(N_PRODUCTS);
  for (let p = 0; p < N_PRODUCTS; p++) {
    needBase[p] = clamp(persona.needs[p]! * Math.exp(0.35 * rng.normal()), 0, 1);
  }
  let f = segment === 'affluent' || segment === 'private' ? 1 : segment === 'professional' ? 0.4 : 0;
  if (age >= olderAge) f = Math.min(1, f + 0.6);
  const mix = new Float64Array(4);
  for (let k = 0; k < 4; k++) {
    mix[k] = f * family.response.typeMixFavoured[k]! + (1 - f) * family.response.typeMixOthers[k]!;
  }
  const responseType = new Uint8Array(N_PRODUCTS);
  for (let p = 0; p < N_PRODUCTS; p++) responseType[p] = rng.weighted(mix);

  return {
    index,
    id: clientId(index),
    personaIndex,
    persona,
    age,
    birthYear: startYear - Math.floor(age),
    segment,
    incomeBand,
    region: place.region,
    branch: place.branch,
    advisor: place.advisor,
    risk,
    fragile,
    sinceDay,
    appUser,
    favoured,
    salary,
    satisfactionBase,
    needBase,
    responseType,
    typeMix: mix,
  };
}
