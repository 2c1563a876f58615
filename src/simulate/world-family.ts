import type { Segment } from '../domain/enums.js';
import { ErrorCode, NbgError } from '../errors.js';
import { C } from './catalog.js';
import type { ClientProfile } from './client-profile.js';
import { MILD_BIAS, WORLD, type WorldFamilyId } from './config.js';
import { PERSONAS } from './personas.js';

/**
 * When the logging policy's decision rounds start: every `roundDays` days from the start date
 * (`fixed-days`, the default world's 14) or on the 1st of each calendar month (`monthly`).
 */
export type CampaignRhythm = 'fixed-days' | 'monthly';

/** The response model's parameters (WORLD.response documents each). */
export interface ResponseMechanics {
  readonly typeMixFavoured: readonly number[];
  readonly typeMixOthers: readonly number[];
  readonly hazardMultiplier: readonly number[];
  readonly upliftMultiplier: readonly number[];
  readonly dogDrop: number;
  readonly dogDropPower: number;
  readonly needFloor: number;
  readonly needSlope: number;
  readonly signalUplift: number;
  readonly signalHazard: number;
  readonly signalCap: number;
  readonly fatigueScale: number;
  readonly fatigueDays: number;
  readonly maxUplift: number;
  readonly refusalBase: number;
  readonly refusalFatigue: number;
  readonly refusalSleepingDog: number;
  readonly optOutGivenRefusal: number;
  readonly optOutGivenRefusalDog: number;
}

/** The historical targeting's parameters (WORLD.logging documents each). */
export interface LoggingMechanics {
  readonly intercept: number;
  readonly segmentBoost: Readonly<Record<Segment, number>>;
  readonly agePerFifteenYears: number;
  readonly perIncomeBand: number;
  readonly propensityPower: number;
  readonly channelMixFavoured: readonly number[];
  readonly channelMixOthers: readonly number[];
  readonly olderAge: number;
  readonly uniformContactRate: number;
}

/**
 * One family of worlds: what the response model, the logging policy and the round schedule read.
 * The machinery (clients, holdings, journeys, verbatims, consents, truth/) is shared by all.
 */
export interface WorldFamily {
  readonly id: WorldFamilyId;
  readonly campaignRhythm: CampaignRhythm;
  /** Days between round starts with the fixed-days rhythm; null when rounds follow calendar months. */
  readonly roundDays: number | null;
  readonly response: ResponseMechanics;
  readonly logging: LoggingMechanics;
  /** The client's channel affinity (indexed like CHANNELS; negative: the channel hurts). */
  channelAffinity(c: ClientProfile): readonly number[];
}

export const DEFAULT_FAMILY: WorldFamily = {
  id: 'default',
  campaignRhythm: 'fixed-days',
  roundDays: WORLD.roundDays,
  response: WORLD.response,
  logging: WORLD.logging,
  channelAffinity: (c) => c.persona.channelAffinity,
};

/** Per persona index: the mild-bias affinity for app users and for the others (no app push effect). */
const mildAffinity: readonly (readonly [readonly number[], readonly number[]])[] = PERSONAS.map((p) => {
  const row = MILD_BIAS.channelAffinity[p.id];
  if (row === undefined) {
    throw new NbgError(
      ErrorCode.INTERNAL,
      `simulate/world-family: MILD_BIAS.channelAffinity has no row for persona ${p.id}`,
    );
  }
  const noApp = row.slice();
  noApp[C.appPush] = 0;
  return [row, noApp];
});

export const MILD_BIAS_FAMILY: WorldFamily = {
  id: 'mild-bias',
  campaignRhythm: 'monthly',
  roundDays: null,
  response: MILD_BIAS.response,
  logging: MILD_BIAS.logging,
  channelAffinity: (c) => mildAffinity[c.personaIndex]![c.appUser ? 0 : 1]!,
};

export function worldFamily(id: WorldFamilyId): WorldFamily {
  return id === 'mild-bias' ? MILD_BIAS_FAMILY : DEFAULT_FAMILY;
}

/** The logging policy's decision rounds over a history: start day and length of each round. */
export interface DecisionRounds {
  readonly roundStart: Int32Array;
  readonly roundLength: Int32Array;
  /** The last round, which starts at the evaluation date D and lasts the horizon. */
  readonly evalRound: number;
}

/**
 * Round starts by the family's rhythm (every roundDays days from day 0, or each month's first day
 * from monthStartDay); D is the last start with D + horizonDays <= totalDays. Earlier rounds last
 * until the next start, the round at D the horizon. Returns evalRound = -1 when no start fits.
 */
export function decisionRounds(
  family: WorldFamily,
  monthStartDay: Int32Array,
  totalDays: number,
  horizonDays: number,
): DecisionRounds {
  const starts: number[] = [];
  if (family.roundDays !== null) {
    const evalRound = Math.floor((totalDays - horizonDays) / family.roundDays);
    for (let r = 0; r <= evalRound; r++) starts.push(r * family.roundDays);
  } else {
    for (let m = 0; m < monthStartDay.length && monthStartDay[m]! + horizonDays <= totalDays; m++) {
      starts.push(monthStartDay[m]!);
    }
  }
  const evalRound = starts.length - 1;
  const roundStart = Int32Array.from(starts);
  const roundLength = new Int32Array(starts.length);
  for (let r = 0; r <= evalRound; r++) {
    roundLength[r] = r === evalRound ? horizonDays : starts[r + 1]! - starts[r]!;
  }
  return { roundStart, roundLength, evalRound };
}
