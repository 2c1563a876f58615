import type { Rng } from '../rng.js';
import { P } from './catalog.js';
import type { ClientProfile } from './client-profile.js';

/**
 * Life events of one client, as day indexes (NaN: none). A planned house purchase builds savings
 * needs (PEL, Livret A) a year or so before, then a mortgage need around the purchase and a home
 * insurance need at the move; a birth raises provident and savings needs; retirement raises
 * assurance-vie; a first job raises card, consumer credit and savings needs.
 */
export interface LifeEvents {
  readonly house: number;
  readonly child: number;
  readonly retirement: number;
  readonly firstJob: number;
}

export function drawLifeEvents(rng: Rng, c: ClientProfile, totalDays: number): LifeEvents {
  const span = (lo: number, hi: number): number => lo + rng.int(Math.max(1, hi - lo));
  const house = rng.bernoulli(c.persona.housePurchase) ? span(-400, totalDays + 400) : Number.NaN;
  const child = rng.bernoulli(c.persona.childBirth) ? span(-200, totalDays + 200) : Number.NaN;
  const retireAge = c.segment === 'professional' ? 64 : 62;
  const yearsToRetire = retireAge - c.age;
  const retirement =
    yearsToRetire > -0.5 && yearsToRetire * 365.25 < totalDays
      ? Math.round(yearsToRetire * 365.25)
      : Number.NaN;
  const firstJob =
    c.persona.id === 'etudiant' && c.age >= 20.5 && rng.bernoulli(0.6) ? span(0, totalDays) : Number.NaN;
  return { house, child, retirement, firstJob };
}

/** 1 inside [a, b], linear ramps of `ramp` days on both sides, 0 outside (0 when a is NaN). */
export function plateau(t: number, a: number, b: number, ramp: number): number {
  if (Number.isNaN(a)) return 0;
  if (t < a - ramp || t > b + ramp) return 0;
  if (t < a) return (t - (a - ramp)) / ramp;
  if (t > b) return (b + ramp - t) / ramp;
  return 1;
}

/**
 * Need of each product at day t (0..1): baseline + life-event bumps + seasonality, written into
 * `out` (length N_PRODUCTS). `calendarMonth` is 0 for January.
 */
export function needAt(
  c: ClientProfile,
  ev: LifeEvents,
  t: number,
  calendarMonth: number,
  out: Float64Array,
): void {
  out.set(c.needBase);
  const h = ev.house;
  if (!Number.isNaN(h)) {
    const saving = plateau(t, h - 540, h - 150, 60);
    out[P.pel]! += 0.45 * saving;
    out[P.livretA]! += 0.2 * saving;
    out[P.mortgage]! += 0.85 * plateau(t, h - 100, h + 10, 30);
    out[P.homeInsurance]! += 0.6 * plateau(t, h - 20, h + 45, 10);
    out[P.provident]! += 0.3 * plateau(t, h - 60, h + 60, 20);
  }
  const b = ev.child;
  if (!Number.isNaN(b)) {
    out[P.provident]! += 0.35 * plateau(t, b - 120, b + 120, 30);
    const after = plateau(t, b, b + 180, 30);
    out[P.livretA]! += 0.25 * after;
    out[P.ldds]! += 0.15 * after;
  }
  const r = ev.retirement;
  if (!Number.isNaN(r)) {
    const w = plateau(t, r - 90, r + 240, 30);
    out[P.assuranceVie]! += 0.4 * w;
    out[P.ldds]! += 0.2 * w;
    out[P.pea]! += 0.1 * w;
  }
  const j = ev.firstJob;
  if (!Number.isNaN(j)) {
    const w = plateau(t, j, j + 200, 30);
    out[P.premiumCard]! += 0.3 * w;
    out[P.consumerCredit]! += 0.25 * w;
    out[P.budgetApp]! += 0.15 * w;
    out[P.ldds]! += 0.2 * w;
  }
  if (calendarMonth === 4 || calendarMonth === 5 || calendarMonth === 10 || calendarMonth === 11) {
    out[P.consumerCredit]! += 0.12;
  }
  if (calendarMonth === 7 || calendarMonth === 8) out[P.homeInsurance]! += 0.1;
  for (let p = 0; p < out.length; p++) if (out[p]! > 1) out[p] = 1;
}
