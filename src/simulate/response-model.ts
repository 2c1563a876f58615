import { CHANNELS, type ProductDef } from './catalog.js';
import { PERSUADABLE, SLEEPING_DOG } from './client-profile.js';
import { WORLD } from './config.js';
import type { ResponseMechanics } from './world-family.js';

/**
 * Spontaneous conversion hazard per day of one (client, product):
 *   h0 = baseHazard_p * need * hazardMultiplier[type] * (1 + signalHazard * min(signal, cap)).
 * Piecewise constant over a decision round (need and signal are read at the round's start).
 * `R` is the world family's response mechanics (the default world's when omitted).
 */
export function spontaneousHazard(
  product: ProductDef,
  need: number,
  signal: number,
  type: number,
  R: ResponseMechanics = WORLD.response,
): number {
  const s = Math.min(signal, R.signalCap);
  return product.baseHazard * need * R.hazardMultiplier[type]! * (1 + R.signalHazard * s);
}

/** Conversion within `days` without contact: p0 = 1 - exp(-h0 * days). */
export function conversionWithoutContact(hazard: number, days: number): number {
  return 1 - Math.exp(-hazard * days);
}

/**
 * Conversion within the same window after one contact through each channel, written into `p1`
 * (length N_CHANNELS):
 * - sleeping dogs: p1 = p0 * (1 - dogDrop - dogDropPower * power_c) (the contact puts them off);
 * - a channel the client dislikes (affinity a_c <= 0): p1 = p0 * (1 + power_c * a_c), whatever the
 *   type (a_c = 0: no effect; only the mild-bias family has such channels);
 * - lost causes: p1 = p0;
 * - persuadables and sure things: p1 = 1 - (1 - p0)(1 - u), with
 *   u = min(maxUplift, upliftScale_p * upliftMultiplier[type] * power_c * a_c
 *           * (needFloor + needSlope * need) * (1 + signalUplift * min(signal, cap))
 *           * exp(-fatigue / fatigueScale)), the signal term for persuadables only.
 * Assumption: one contact per (client, round); its effect lasts the round's window.
 */
export function conversionWithContact(
  p1: Float64Array,
  p0: number,
  product: ProductDef,
  affinity: readonly number[],
  need: number,
  signal: number,
  type: number,
  fatigue: number,
  R: ResponseMechanics = WORLD.response,
): void {
  if (type === SLEEPING_DOG) {
    for (let c = 0; c < CHANNELS.length; c++) {
      p1[c] = p0 * (1 - R.dogDrop - R.dogDropPower * CHANNELS[c]!.power);
    }
    return;
  }
  const m = R.upliftMultiplier[type]!;
  const s = Math.min(signal, R.signalCap);
  const base =
    m === 0
      ? 0
      : product.upliftScale *
        m *
        (R.needFloor + R.needSlope * need) *
        (1 + (type === PERSUADABLE ? R.signalUplift : 0) * s) *
        Math.exp(-fatigue / R.fatigueScale);
  for (let c = 0; c < CHANNELS.length; c++) {
    const a = affinity[c]!;
    if (a <= 0) {
      p1[c] = p0 * Math.max(0, 1 + CHANNELS[c]!.power * a);
      continue;
    }
    if (m === 0) {
      p1[c] = p0;
      continue;
    }
    let u = base * CHANNELS[c]!.power * a;
    if (u > R.maxUplift) u = R.maxUplift;
    p1[c] = 1 - (1 - p0) * (1 - u);
  }
}

/** Probability that an unconverted contact ends in a refusal. */
export function refusalProbability(
  type: number,
  fatigue: number,
  R: ResponseMechanics = WORLD.response,
): number {
  const p = R.refusalBase + R.refusalFatigue * fatigue + (type === SLEEPING_DOG ? R.refusalSleepingDog : 0);
  return Math.min(p, 0.9);
}
