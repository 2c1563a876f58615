import { ErrorCode, NbgError } from '../errors.js';

export const LOGGING_POLICIES = ['biased', 'random', 'mixed'] as const;
export type LoggingPolicyKind = (typeof LOGGING_POLICIES)[number];

/** The families of worlds `nbg simulate --world` can build (docs/simulator.md, "World families"). */
export const WORLD_FAMILIES = ['default', 'mild-bias'] as const;
export type WorldFamilyId = (typeof WORLD_FAMILIES)[number];

/** What a caller chooses (CLI flags map one to one). */
export interface SimulateOptions {
  /** Output folder (created; existing files of the contract are overwritten). */
  readonly out: string;
  readonly clients?: number;
  readonly seed?: number | string;
  /** Length of the history in months (balances are monthly over it). */
  readonly months?: number;
  /** First day of the history, `YYYY-MM-01`. */
  readonly startDate?: string;
  readonly loggingPolicy?: LoggingPolicyKind;
  /** Share of the biased policy's probability mass spread uniformly (exploration), 0..1. */
  readonly exploration?: number;
  /** Leave solicitations.logging_propensity empty (truth/ keeps it). */
  readonly hidePropensities?: boolean;
  /** Which family of worlds: its response model, logging policy and campaign rhythm. */
  readonly world?: WorldFamilyId;
  /** Called every few hundred clients with the number done. */
  readonly onProgress?: (clientsDone: number) => void;
}

export const DEFAULTS = {
  clients: 2000,
  seed: 42,
  months: 24,
  startDate: '2024-01-01',
  loggingPolicy: 'biased' as LoggingPolicyKind,
  exploration: 0.05,
  hidePropensities: false,
  world: 'default' as WorldFamilyId,
} as const;

/**
 * Every parameter of the world's mechanics, in one place (docs/simulator.md explains each).
 * Products, channels and personas live in catalog.ts and personas.ts.
 */
export const WORLD = {
  /** Days between two decision rounds of the logging policy. */
  roundDays: 14,
  /** Conversion horizon at the evaluation date (truth/meta.json horizonDays). */
  horizonDays: 30,
  /** Share of clients who joined during the window (the rest joined before the start). */
  newClientShare: 0.08,
  /** Clients per branch, advisors per branch. */
  clientsPerBranch: 1500,
  advisorsPerBranch: 6,
  response: {
    /** Response types: persuadable, sure thing, lost cause, sleeping dog. */
    typeMixFavoured: [0.12, 0.3, 0.3, 0.28],
    typeMixOthers: [0.45, 0.07, 0.42, 0.06],
    /** Multiplier of the spontaneous hazard per type. */
    hazardMultiplier: [0.4, 6, 0.15, 2],
    /** Uplift multiplier per type (sure things gain almost nothing; lost causes nothing). */
    upliftMultiplier: [1, 0.08, 0, 0],
    /** A sleeping dog's conversion with contact: p1 = p0 * (1 - dogDrop - dogDropPower * power). */
    dogDrop: 0.25,
    dogDropPower: 0.45,
    /** The need's effect on uplift: (needFloor + needSlope * need). */
    needFloor: 0.3,
    needSlope: 0.7,
    /** Uplift gain per unit of journey signal (capped at signalCap) and its effect on p0. */
    signalUplift: 1.5,
    signalHazard: 0.4,
    signalCap: 3,
    /** Fatigue: uplift *= exp(-fatigue / fatigueScale); fatigue = sum of exp(-age/fatigueDays). */
    fatigueScale: 1.5,
    fatigueDays: 45,
    /** Uplift ceiling of one contact. */
    maxUplift: 0.8,
    /** Refusal given no conversion: base + per unit of fatigue (+ sleepingDog for dogs). */
    refusalBase: 0.015,
    refusalFatigue: 0.015,
    refusalSleepingDog: 0.15,
    /** Opt-out of the channel given a refusal (branch contacts never opt out). */
    optOutGivenRefusal: 0.3,
    optOutGivenRefusalDog: 0.55,
  },
  logging: {
    /** logit of the per-round contact probability: intercept + segment + age + income terms. */
    intercept: -3.1,
    segmentBoost: { mass: 0, affluent: 1.7, private: 2.1, professional: 0.5, young: -1.2 },
    agePerFifteenYears: 0.55,
    perIncomeBand: 0.15,
    /** Product choice: weight = p0_30^propensityPower (the naive model favours sure things). */
    propensityPower: 1.3,
    /** Channel mix for favoured (older / affluent / private) and other clients. */
    channelMixFavoured: [0.12, 0.25, 0.5, 0.05, 0.08],
    channelMixOthers: [0.03, 0.04, 0.6, 0.2, 0.13],
    /** Age from which a client counts as "older" for the channel mix and response types. */
    olderAge: 58,
    /** Contact probability per round of the uniform (exploration / random) policy. */
    uniformContactRate: 0.1,
  },
  journeys: {
    /** Product sessions per day = appFactor * (base + perNeed2 * need^2). */
    productSessionBase: 0.0001,
    productSessionPerNeed2: 0.025,
    /** Sessions with no product (login, accounts page) per day. */
    genericSessionRate: 0.003,
    /** Share of product sessions that start with a login event (the others resume a session). */
    loginShare: 0.35,
    /** Non-app clients browse the website at this fraction of the app users' rate. */
    webOnlyFactor: 0.3,
    /** Signal strength per event type, and its decay (days). */
    signalPageView: 0.3,
    signalSimulation: 0.7,
    signalFormStart: 0.5,
    signalFormAbandon: 1,
    signalDecayDays: 6,
  },
  satisfaction: {
    sd: 0.12,
    contactCost: 0.012,
    overSolicitationFatigue: 1,
    refusalCost: 0.04,
    optOutCost: 0.03,
    conversionGain: 0.02,
    reversionPerRound: 0.08,
  },
  verbatims: {
    spontaneousPerRound: 0.01,
    afterRefusal: 0.2,
    afterContactWhenFatigued: 0.08,
    afterConversion: 0.06,
    missingScore: 0.25,
    typoRate: 0.08,
  },
  consents: {
    emailGranted: 0.85,
    phoneGranted: 0.45,
    smsGranted: 0.4,
  },
} as const;

/**
 * The mild-bias family (`--world mild-bias`): a world where the classic per-product propensity
 * approach is strong. The same need drives p0 and the uplift (needFloor 0, the journey signal
 * raises both alike), nine pairs in ten are responsive (persuadable) whatever the segment, the old
 * targeting favours affluent and older clients only mildly, campaigns are monthly, and the channel
 * response depends strongly on the persona, some channels hurting (docs/simulator.md, "World
 * families"). Everything not listed is WORLD's.
 */
export const MILD_BIAS = {
  response: {
    ...WORLD.response,
    typeMixFavoured: [0.91, 0.03, 0.03, 0.03],
    typeMixOthers: [0.91, 0.03, 0.03, 0.03],
    hazardMultiplier: [1, 5, 0.15, 1],
    needFloor: 0,
    needSlope: 1,
    signalUplift: 0.6,
    signalHazard: 0.6,
  },
  logging: {
    ...WORLD.logging,
    intercept: -1.3,
    segmentBoost: { mass: 0, affluent: 0.3, private: 0.4, professional: 0.1, young: -0.1 },
    agePerFifteenYears: 0.08,
    perIncomeBand: 0.04,
    channelMixFavoured: [0.1, 0.2, 0.45, 0.1, 0.15],
    channelMixOthers: [0.05, 0.12, 0.5, 0.15, 0.18],
  },
  /**
   * Channel response by persona (branch, phone, email, sms, app_push), in place of the personas'
   * channelAffinity. Positive: uplift multiplier (times the channel's power) as in the default world;
   * negative: the contact lowers conversion, p1 = p0 (1 + power_c a) for every response type but
   * sleeping dogs (their own drop). App push moves app users only (0 for the others).
   */
  channelAffinity: {
    etudiant: [0.1, -0.6, 0.5, 0.6, 1],
    jeune_actif: [0.2, -0.5, 0.6, 0.5, 1],
    projet_immobilier: [0.5, 0.5, 0.6, 0.3, 0.6],
    famille_installee: [0.4, 0.5, 0.7, 0.4, 0.5],
    epargnant_patrimonial: [1, 0.7, 0.4, -0.5, 0.2],
    retraite: [1, 0.8, 0.3, -0.6, 0.05],
    independant: [0.3, 0.8, 0.6, 0.3, 0.5],
    budget_serre: [0.2, -0.3, 0.5, 0.7, 0.7],
  } as Readonly<Record<string, readonly [number, number, number, number, number]>>,
} as const;

export interface ResolvedOptions {
  readonly out: string;
  readonly clients: number;
  readonly seed: number | string;
  readonly months: number;
  readonly startDate: string;
  readonly loggingPolicy: LoggingPolicyKind;
  readonly exploration: number;
  readonly hidePropensities: boolean;
  readonly world: WorldFamilyId;
}

/** Fills defaults and checks ranges; throws BAD_CONFIG naming the option and its limit. */
export function resolveOptions(o: SimulateOptions): ResolvedOptions {
  const r: ResolvedOptions = {
    out: o.out,
    clients: o.clients ?? DEFAULTS.clients,
    seed: o.seed ?? DEFAULTS.seed,
    months: o.months ?? DEFAULTS.months,
    startDate: o.startDate ?? DEFAULTS.startDate,
    loggingPolicy: o.loggingPolicy ?? DEFAULTS.loggingPolicy,
    exploration: o.exploration ?? DEFAULTS.exploration,
    hidePropensities: o.hidePropensities ?? DEFAULTS.hidePropensities,
    world: o.world ?? DEFAULTS.world,
  };
  const bad = (what: string): never => {
    throw new NbgError(ErrorCode.BAD_CONFIG, `simulate: ${what}`);
  };
  if (typeof r.out !== 'string' || r.out === '') bad('out must be a folder path');
  if (!Number.isInteger(r.clients) || r.clients < 1 || r.clients > 20_000_000) {
    bad(`clients must be an integer from 1 to 20,000,000, got ${r.clients}`);
  }
  if (!Number.isInteger(r.months) || r.months < 3 || r.months > 120) {
    bad(`months must be an integer from 3 to 120, got ${r.months}`);
  }
  if (!LOGGING_POLICIES.includes(r.loggingPolicy)) {
    bad(
      `loggingPolicy must be one of ${LOGGING_POLICIES.join(', ')}, got ${JSON.stringify(r.loggingPolicy)}`,
    );
  }
  if (!WORLD_FAMILIES.includes(r.world)) {
    bad(`world must be one of ${WORLD_FAMILIES.join(', ')}, got ${JSON.stringify(r.world)}`);
  }
  if (!(r.exploration >= 0 && r.exploration <= 1)) {
    bad(`exploration must be a number from 0 to 1, got ${r.exploration}`);
  }
  if (typeof r.seed === 'number' && !Number.isFinite(r.seed)) bad(`seed must be finite, got ${r.seed}`);
  return r;
}
