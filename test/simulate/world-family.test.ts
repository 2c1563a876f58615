import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/simulate/calendar.js';
import { C, CHANNELS, P, PRODUCTS } from '../../src/simulate/catalog.js';
import { LOST_CAUSE, PERSUADABLE, SLEEPING_DOG, SURE_THING } from '../../src/simulate/client-profile.js';
import { MILD_BIAS } from '../../src/simulate/config.js';
import { simulate } from '../../src/simulate/index.js';
import { PERSONAS } from '../../src/simulate/personas.js';
import { conversionWithContact } from '../../src/simulate/response-model.js';
import {
  DEFAULT_FAMILY,
  decisionRounds,
  MILD_BIAS_FAMILY,
  type WorldFamily,
} from '../../src/simulate/world-family.js';

/** sha256 over every file of a world but truth/meta.json, in sorted path order. */
function worldHash(dir: string): string {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (!p.endsWith('meta.json')) files.push(p);
    }
  };
  walk(dir);
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(f));
  return h.digest('hex');
}

describe('simulate/world-family: the default world is unchanged', () => {
  it('a 300-client, 12-month world (seed 7) has the bytes it had before world families existed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nbg-sim-gold-'));
    try {
      await simulate({ out: dir, clients: 300, seed: 7, months: 12 });
      // Measured on the simulator before `--world` (commit b0d1fcf): any change to the default
      // world's draws or arithmetic changes this hash.
      expect(worldHash(dir)).toBe('880bb75d33bcaca02c750018a2235eff6aad325248b86d16c097c3b2d767c605');
      const meta = JSON.parse(readFileSync(join(dir, 'truth/meta.json'), 'utf8'));
      expect(meta).toMatchObject({
        evaluationDate: '2024-12-02',
        roundDays: 14,
        world: 'default',
        campaignRhythm: 'fixed-days',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('simulate/world-family: a mild-bias world is deterministic', () => {
  it('the same seed gives the same bytes, another seed other bytes', async () => {
    const base = await mkdtemp(join(tmpdir(), 'nbg-sim-mild-det-'));
    try {
      const hashes: string[] = [];
      for (const [name, seed] of [
        ['a', 5],
        ['b', 5],
        ['c', 6],
      ] as const) {
        await simulate({ out: join(base, name), clients: 200, seed, months: 12, world: 'mild-bias' });
        hashes.push(worldHash(join(base, name)));
      }
      expect(hashes[1]).toBe(hashes[0]);
      expect(hashes[2]).not.toBe(hashes[0]);
      // Not the default world's bytes either.
      await simulate({ out: join(base, 'd'), clients: 200, seed: 5, months: 12 });
      expect(worldHash(join(base, 'd'))).not.toBe(hashes[0]);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe('simulate/world-family: decision rounds', () => {
  const cal = new Calendar('2024-01-01', 24);
  it('fixed-days: every 14 days; D the last start with D + 30 inside the history', () => {
    const r = decisionRounds(DEFAULT_FAMILY, cal.monthStartDay, cal.totalDays, 30);
    expect(r.evalRound).toBe(50);
    expect(r.roundStart[50]).toBe(700);
    expect([...r.roundLength.slice(0, 3)]).toEqual([14, 14, 14]);
    expect(r.roundLength[50]).toBe(30);
  });

  it('monthly: the 1st of each month; earlier rounds last their month, the round at D the horizon', () => {
    const r = decisionRounds(MILD_BIAS_FAMILY, cal.monthStartDay, cal.totalDays, 30);
    expect(r.evalRound).toBe(23);
    expect([...r.roundStart].map((d) => cal.date(d).slice(8))).toEqual(Array(24).fill('01'));
    expect(cal.date(r.roundStart[23]!)).toBe('2025-12-01');
    expect([...r.roundLength.slice(0, 3)]).toEqual([31, 29, 31]);
    expect(r.roundLength[23]).toBe(30);
    // A history ending on 2025-12-20 (D + 30 past its end for December): D is 2025-11-01.
    const short = decisionRounds(MILD_BIAS_FAMILY, cal.monthStartDay, 719, 30);
    expect(cal.date(short.roundStart[short.evalRound]!)).toBe('2025-11-01');
    expect(short.roundLength[short.evalRound - 1]).toBe(31);
  });
});

describe('simulate/world-family: the mild-bias response model', () => {
  const R = MILD_BIAS.response;
  const livretA = PRODUCTS[P.livretA]!;
  const student = MILD_BIAS.channelAffinity.etudiant!;
  const retiree = MILD_BIAS.channelAffinity.retraite!;
  function p1(affinity: readonly number[], type: number, p0: number, need = 0.5): Float64Array {
    const out = new Float64Array(CHANNELS.length);
    conversionWithContact(out, p0, livretA, affinity, need, 0, type, 0, R);
    return out;
  }

  it('a disliked channel lowers conversion by power x affinity, for every type but sleeping dogs', () => {
    const drop = 1 + CHANNELS[C.phone]!.power * student[C.phone]!;
    expect(drop).toBeCloseTo(0.58, 12);
    for (const type of [PERSUADABLE, SURE_THING, LOST_CAUSE]) {
      expect(p1(student, type, 0.02)[C.phone]).toBeCloseTo(0.02 * drop, 12);
    }
    expect(p1(student, SLEEPING_DOG, 0.02)[C.phone]).toBeLessThan(0.02);
    // SMS slightly hurts retirees; their branch and phone help.
    const r = p1(retiree, PERSUADABLE, 0.02);
    expect(r[C.sms]).toBeCloseTo(0.02 * (1 - 0.18 * 0.6), 12);
    expect(r[C.branch]!).toBeGreaterThan(r[C.phone]!);
    expect(r[C.phone]!).toBeGreaterThan(0.02);
  });

  it('uplift is proportional to the need (needFloor 0), like p0', () => {
    const u = (need: number): number => p1(retiree, PERSUADABLE, 0, need)[C.branch]!;
    expect(u(0)).toBe(0);
    expect(u(0.4) / u(0.2)).toBeCloseTo(2, 10);
    expect(u(0.2)).toBeCloseTo(livretA.upliftScale * 0.2, 12);
  });

  it('app push moves app users only', () => {
    const family: WorldFamily = MILD_BIAS_FAMILY;
    const persona = PERSONAS.findIndex((p) => p.id === 'etudiant');
    const client = (appUser: boolean) =>
      ({ personaIndex: persona, persona: PERSONAS[persona]!, appUser }) as Parameters<
        WorldFamily['channelAffinity']
      >[0];
    expect(family.channelAffinity(client(true))[C.appPush]).toBe(1);
    expect(family.channelAffinity(client(false))[C.appPush]).toBe(0);
    expect(p1(family.channelAffinity(client(false)), PERSUADABLE, 0.03)[C.appPush]).toBe(0.03);
  });
});
