import { describe, expect, it } from 'vitest';
import { CHANNELS, P, PRODUCTS } from '../../src/simulate/catalog.js';
import { LOST_CAUSE, PERSUADABLE, SLEEPING_DOG, SURE_THING } from '../../src/simulate/client-profile.js';
import { WORLD } from '../../src/simulate/config.js';
import {
  conversionWithContact,
  conversionWithoutContact,
  refusalProbability,
  spontaneousHazard,
} from '../../src/simulate/response-model.js';

const livretA = PRODUCTS[P.livretA]!;
const affinity = [1, 1, 1, 1, 1];

function p1(type: number, p0: number, signal = 0, fatigue = 0, need = 0.5): Float64Array {
  const out = new Float64Array(CHANNELS.length);
  conversionWithContact(out, p0, livretA, affinity, need, signal, type, fatigue);
  return out;
}

describe('simulate/response-model', () => {
  it('p0 = 1 - exp(-h0 * days) with h0 = base * need * multiplier * (1 + 0.4 signal)', () => {
    const h = spontaneousHazard(livretA, 0.5, 1, PERSUADABLE);
    expect(h).toBeCloseTo(0.002 * 0.5 * WORLD.response.hazardMultiplier[PERSUADABLE] * 1.4, 12);
    expect(conversionWithoutContact(h, 30)).toBeCloseTo(1 - Math.exp(-h * 30), 12);
    expect(spontaneousHazard(livretA, 0.5, 10, PERSUADABLE)).toBeCloseTo(
      spontaneousHazard(livretA, 0.5, WORLD.response.signalCap, PERSUADABLE),
      12,
    );
    expect(
      spontaneousHazard(livretA, 0.5, 0, SURE_THING) / spontaneousHazard(livretA, 0.5, 0, PERSUADABLE),
    ).toBe(15);
  });

  it('persuadables gain most, through the strongest channel; branch uplift matches the formula', () => {
    const p0 = 0.01;
    const out = p1(PERSUADABLE, p0);
    const u = livretA.upliftScale * (0.3 + 0.7 * 0.5);
    expect(out[0]).toBeCloseTo(1 - (1 - p0) * (1 - u), 10);
    expect(out[0]!).toBeGreaterThan(out[2]!);
    const sure = p1(SURE_THING, p0);
    expect(sure[0]! - p0).toBeCloseTo((out[0]! - p0) * WORLD.response.upliftMultiplier[SURE_THING], 10);
  });

  it('lost causes do not move; sleeping dogs convert less when contacted', () => {
    expect([...p1(LOST_CAUSE, 0.02)]).toEqual([0.02, 0.02, 0.02, 0.02, 0.02]);
    const dog = p1(SLEEPING_DOG, 0.1);
    for (const x of dog) expect(x).toBeLessThan(0.1);
    expect(dog[0]).toBeCloseTo(0.1 * (1 - WORLD.response.dogDrop - WORLD.response.dogDropPower), 12);
  });

  it('a journey signal raises uplift and fatigue shrinks it', () => {
    const base = p1(PERSUADABLE, 0.01)[2]! - 0.01;
    expect(p1(PERSUADABLE, 0.01, 1)[2]! - 0.01).toBeCloseTo(base * 2.5 * 0.99 + 0, 2);
    expect(p1(PERSUADABLE, 0.01, 0, 3)[2]! - 0.01).toBeLessThan(base * 0.2);
  });

  it('refusal rises with fatigue, is much higher for sleeping dogs, and is capped at 0.9', () => {
    expect(refusalProbability(PERSUADABLE, 0)).toBeCloseTo(WORLD.response.refusalBase, 12);
    expect(refusalProbability(SLEEPING_DOG, 0)).toBeGreaterThan(5 * refusalProbability(PERSUADABLE, 0));
    expect(refusalProbability(SLEEPING_DOG, 1000)).toBe(0.9);
  });
});
