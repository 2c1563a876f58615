import { EVENT_TYPES, OUTCOMES, SEGMENTS } from '../domain/enums.js';
import { CONSENT_GRANTED, CONSENT_NONE, consentAllows, productAllowed } from './contactable.js';
import { CHANNEL_FEATURES, featureSchema } from './feature-schema.js';
import { heldAt } from './held-at.js';
import type { FeatureHistory } from './record-store.js';
import { monthOfDay, yearOfDay } from './records.js';

/** "Days since" features are capped here, and take this value when nothing happened. */
export const DAYS_CAP = 365;
/** Months since the last opening: cap and fill. */
export const MONTHS_CAP = 120;
/** Verbatim score (0..10) when the client wrote none (the neutral middle). */
export const NEUTRAL_SCORE = 5;
/** Fatigue time constant, days: Σ exp(−Δ/45) over past contacts (the simulator's). */
export const FATIGUE_DAYS = 45;

/**
 * Strength of a journey event in the decayed signals Σ strength × exp(−Δ/τ): a form abandon says
 * most about a need, then a simulation, a form start, a page view or a search. Login and form
 * submit carry none (a submit is a conversion, already in the holdings).
 */
const STRENGTH: Readonly<Record<(typeof EVENT_TYPES)[number], number>> = {
  login: 0,
  page_view: 0.3,
  search: 0.3,
  simulation: 0.7,
  form_start: 0.5,
  form_abandon: 1,
  form_submit: 0,
};
const STRENGTHS = Float64Array.from(EVENT_TYPES, (t) => STRENGTH[t]);
const SIMULATION = EVENT_TYPES.indexOf('simulation');
const ABANDON = EVENT_TYPES.indexOf('form_abandon');
const CONVERTED = OUTCOMES.indexOf('converted');
const REFUSED = OUTCOMES.indexOf('refused');
const CURRENT = 0;
const SAVINGS = 1;
const CREDIT = 2;

/** sign(x) · ln(1 + |x|): money on a log scale that keeps the sign (overdrafts, falls). */
export const signedLog = (x: number): number => (x < 0 ? -Math.log1p(-x) : Math.log1p(x));
const cap = (days: number): number => Math.min(days, DAYS_CAP);

/**
 * Computes the features of a client's pairs at a decision day t from its history, strictly from
 * records dated before t (a solicitation's outcome counts once known: at `outcome_at`, or at
 * `sent_at` when the data has no outcome time; monthly balances of months before t's month).
 * Usage: `at(i, t)` once per (client, day), then `pair(p, x, offset)`, `channels(p, xc, offset)`
 * and `contactable(p, out, offset)` for each product. Scratch arrays are reused: no allocation
 * per row. Feature names, meaning and fill values: featureSchema() and docs/features.md.
 */
export class FeatureComputer {
  readonly nFeatures: number;
  readonly nChannelFeatures = CHANNEL_FEATURES.length;
  private readonly P: number;
  private readonly C: number;
  private i = -1;
  private t = 0;
  private year = 0;
  // client-level block (written once per at())
  private readonly common: Float64Array;
  private readonly held: Uint8Array;
  private readonly heldBefore: Uint8Array;
  // per product
  private readonly sess7: Float64Array;
  private readonly sess30: Float64Array;
  private readonly sess90: Float64Array;
  private readonly lastSim: Float64Array;
  private readonly lastAbandon: Float64Array;
  private readonly sig3: Float64Array;
  private readonly sig7: Float64Array;
  private readonly sig30: Float64Array;
  private readonly vCount: Float64Array;
  private readonly vSum: Float64Array;
  private readonly vScored: Float64Array;
  private readonly c90: Float64Array;
  private readonly c365: Float64Array;
  private readonly lastRefusal: Float64Array;
  // per channel
  private readonly consent: Int8Array;
  private readonly optedOut: Uint8Array;
  /** 1 once granted by a decision before t, 2 when refused after such a grant. */
  private readonly grantThenRefusal: Uint8Array;
  private readonly cc90: Float64Array;
  private readonly cLastRefusal: Float64Array;
  private readonly cConv: Float64Array;
  private readonly cvSum: Float64Array;
  private readonly cvScored: Float64Array;
  /** per (channel, product): contacts in 365 days, index c·P + p */
  private readonly cp365: Float64Array;
  // scalars of the client at t, laid out after the per-product flags
  private heldCount = 0;
  private monthsSinceOpening = 0;
  private readonly balance = new Float64Array(10);
  private readonly journey = new Float64Array(5);
  private verbatims = 0;
  private verbatimScore = 0;
  private daysSinceVerbatim = 0;
  private readonly contacts = new Float64Array(4);
  private daysSinceContact = 0;
  private daysSinceRefusal = 0;
  private conversions = 0;

  constructor(private readonly h: FeatureHistory) {
    const P = h.catalog.products.length;
    const C = h.catalog.channels.length;
    this.P = P;
    this.C = C;
    this.nFeatures = featureSchema(h.catalog.products.map((p) => p.id)).pair.length;
    this.common = new Float64Array(10);
    this.held = new Uint8Array(P);
    this.heldBefore = new Uint8Array(P);
    const fp = (): Float64Array => new Float64Array(P);
    this.sess7 = fp();
    this.sess30 = fp();
    this.sess90 = fp();
    this.lastSim = fp();
    this.lastAbandon = fp();
    this.sig3 = fp();
    this.sig7 = fp();
    this.sig30 = fp();
    this.vCount = fp();
    this.vSum = fp();
    this.vScored = fp();
    this.c90 = fp();
    this.c365 = fp();
    this.lastRefusal = fp();
    this.consent = new Int8Array(C);
    this.optedOut = new Uint8Array(C);
    this.grantThenRefusal = new Uint8Array(C);
    this.cc90 = new Float64Array(C);
    this.cLastRefusal = new Float64Array(C);
    this.cConv = new Float64Array(C);
    this.cvSum = new Float64Array(C);
    this.cvScored = new Float64Array(C);
    this.cp365 = new Float64Array(C * P);
  }

  /** Whether client i holds product p at the last at() day (opened before t, not closed before t). */
  holds(p: number): boolean {
    return this.held[p] === 1;
  }

  /** Prepares the features of client i (index into history.clientIds) at day t (whole days). */
  at(i: number, t: number): void {
    this.i = i;
    this.t = t;
    this.year = yearOfDay(t);
    this.clientBlock(i, t);
    this.holdingsBlock(i, t);
    this.balanceBlock(i, t);
    this.journeyBlock(i, t);
    this.verbatimBlock(i, t);
    this.solicitationBlock(i, t);
    this.consentBlock(i, t);
  }

  private clientBlock(i: number, t: number): void {
    const h = this.h;
    const c = this.common;
    c.fill(0);
    c[0] = this.year - h.birthYear[i]!;
    c[1 + h.segment[i]!] = 1;
    c[1 + SEGMENTS.length] = h.incomeBand[i]!;
    c[2 + SEGMENTS.length] = h.riskProfile[i]!;
    c[3 + SEGMENTS.length] = h.fragile[i]!;
    c[4 + SEGMENTS.length] = Math.min(50, Math.max(0, (t - h.customerSince[i]!) / 365.25));
  }

  private holdingsBlock(i: number, t: number): void {
    const last = heldAt(this.h, i, t, this.held, this.heldBefore);
    let n = 0;
    for (let p = 0; p < this.P; p++) n += this.held[p]!;
    this.heldCount = n;
    this.monthsSinceOpening =
      last === Number.NEGATIVE_INFINITY ? MONTHS_CAP : Math.min(MONTHS_CAP, (t - last) / 30.4375);
  }

  /** Balances of months strictly before t's month, per account type (sorted by type, month). */
  private balanceBlock(i: number, t: number): void {
    const { off, type, month, balance } = this.h.balances;
    const b = this.balance;
    b.fill(0);
    const mT = monthOfDay(t);
    const start = off[i]!;
    const end = off[i + 1]!;
    for (let ty = CURRENT; ty <= CREDIT; ty++) {
      // the last entry of this type before mT
      let lo = -1;
      let hi = -1;
      for (let r = start; r < end; r++) {
        if (type[r]! !== ty) continue;
        if (lo < 0) lo = r;
        if (month[r]! < mT) hi = r;
      }
      if (hi < 0) continue;
      const n = hi - lo + 1;
      const last = balance[hi]!;
      if (ty === CREDIT) {
        b[2] = Math.log1p(Math.max(0, -last));
        continue;
      }
      const change = n >= 2 ? last - balance[hi - 1]! : 0;
      let trend = 0;
      if (n >= 6) {
        trend =
          (balance[hi]! +
            balance[hi - 1]! +
            balance[hi - 2]! -
            balance[hi - 3]! -
            balance[hi - 4]! -
            balance[hi - 5]!) /
          3;
      }
      if (ty === SAVINGS) {
        b[1] = Math.log1p(Math.max(0, last));
        b[4] = signedLog(trend);
        b[7] = signedLog(change);
        continue;
      }
      b[0] = signedLog(last);
      b[3] = signedLog(trend);
      b[6] = signedLog(change);
      const k = Math.min(6, n);
      if (k >= 2) {
        let s = 0;
        for (let r = hi - k + 1; r <= hi; r++) s += balance[r]!;
        const mean = s / k;
        let v = 0;
        for (let r = hi - k + 1; r <= hi; r++) v += (balance[r]! - mean) ** 2;
        b[5] = Math.log1p(Math.sqrt(v / (k - 1)));
      }
      let overdraft = 0;
      for (let r = Math.max(lo, hi - 11); r <= hi; r++) if (balance[r]! < 0) overdraft++;
      b[8] = overdraft;
      b[9] = Math.min(24, n);
    }
  }

  private journeyBlock(i: number, t: number): void {
    const { off, at, type, product, first } = this.h.events;
    for (const a of [this.sess7, this.sess30, this.sess90, this.sig3, this.sig7, this.sig30]) a.fill(0);
    this.lastSim.fill(Number.NEGATIVE_INFINITY);
    this.lastAbandon.fill(Number.NEGATIVE_INFINITY);
    let s7 = 0;
    let s30 = 0;
    let s90 = 0;
    let sig = 0;
    let lastSession = Number.NEGATIVE_INFINITY;
    for (let r = off[i]!; r < off[i + 1]!; r++) {
      const e = at[r]!;
      if (e >= t) break; // sorted by time
      const d = t - e;
      const f = first[r]!;
      const p = product[r]!;
      const ty = type[r]!;
      const w = STRENGTHS[ty]!;
      if (f & 1) {
        lastSession = e;
        if (d <= 90) s90++;
        if (d <= 30) s30++;
        if (d <= 7) s7++;
      }
      if (w > 0) sig += w * Math.exp(-d / 7);
      if (p < 0) continue;
      if (f & 2) {
        if (d <= 90) this.sess90[p]!++;
        if (d <= 30) this.sess30[p]!++;
        if (d <= 7) this.sess7[p]!++;
      }
      if (ty === SIMULATION) this.lastSim[p] = e;
      else if (ty === ABANDON) this.lastAbandon[p] = e;
      if (w > 0) {
        this.sig3[p]! += w * Math.exp(-d / 3);
        this.sig7[p]! += w * Math.exp(-d / 7);
        this.sig30[p]! += w * Math.exp(-d / 30);
      }
    }
    const j = this.journey;
    j[0] = Math.log1p(s7);
    j[1] = Math.log1p(s30);
    j[2] = Math.log1p(s90);
    j[3] = sig;
    j[4] = cap(t - lastSession);
  }

  private verbatimBlock(i: number, t: number): void {
    const { off, at, product, channel, score } = this.h.verbatims;
    this.vCount.fill(0);
    this.vSum.fill(0);
    this.vScored.fill(0);
    this.cvSum.fill(0);
    this.cvScored.fill(0);
    let n = 0;
    let sum = 0;
    let scored = 0;
    let last = Number.NEGATIVE_INFINITY;
    for (let r = off[i]!; r < off[i + 1]!; r++) {
      const v = at[r]!;
      if (v >= t) break;
      n++;
      last = v;
      const p = product[r]!;
      const c = channel[r]!;
      const s = score[r]!;
      if (p >= 0) this.vCount[p]!++;
      if (Number.isNaN(s)) continue;
      sum += s;
      scored++;
      if (p >= 0) {
        this.vSum[p]! += s;
        this.vScored[p]!++;
      }
      if (c >= 0) {
        this.cvSum[c]! += s;
        this.cvScored[c]!++;
      }
    }
    this.verbatims = Math.log1p(n);
    this.verbatimScore = scored > 0 ? sum / scored : NEUTRAL_SCORE;
    this.daysSinceVerbatim = cap(t - last);
  }

  private solicitationBlock(i: number, t: number): void {
    const { off, product, channel, sent, outcome, outcomeAt } = this.h.solicitations;
    this.c90.fill(0);
    this.c365.fill(0);
    this.lastRefusal.fill(Number.NEGATIVE_INFINITY);
    this.cc90.fill(0);
    this.cLastRefusal.fill(Number.NEGATIVE_INFINITY);
    this.cConv.fill(0);
    this.cp365.fill(0);
    const k = this.contacts;
    k.fill(0);
    let lastContact = Number.NEGATIVE_INFINITY;
    let lastRefusal = Number.NEGATIVE_INFINITY;
    let conversions = 0;
    const P = this.P;
    for (let r = off[i]!; r < off[i + 1]!; r++) {
      const s = sent[r]!;
      if (s >= t) break; // sorted by sending time
      const d = t - s;
      const p = product[r]!;
      const c = channel[r]!;
      lastContact = s;
      k[3]! += Math.exp(-d / FATIGUE_DAYS);
      if (d <= 365) {
        k[2]!++;
        this.c365[p]!++;
        this.cp365[c * P + p]!++;
        if (d <= 90) {
          k[1]!++;
          this.c90[p]!++;
          this.cc90[c]!++;
          if (d <= 30) k[0]!++;
        }
      }
      const o = outcomeAt[r]!;
      const known = Number.isNaN(o) ? s : o;
      if (known >= t) continue;
      if (outcome[r] === REFUSED) {
        if (known > lastRefusal) lastRefusal = known;
        if (known > this.lastRefusal[p]!) this.lastRefusal[p] = known;
        if (known > this.cLastRefusal[c]!) this.cLastRefusal[c] = known;
      } else if (outcome[r] === CONVERTED) {
        conversions++;
        this.cConv[c]!++;
      }
    }
    this.daysSinceContact = cap(t - lastContact);
    this.daysSinceRefusal = cap(t - lastRefusal);
    this.conversions = conversions;
  }

  /** The decision in force before t per channel (latest; later row on equal times), and opt-outs. */
  private consentBlock(i: number, t: number): void {
    const { off, channel, at, granted } = this.h.consents;
    this.consent.fill(CONSENT_NONE);
    const g = this.grantThenRefusal;
    g.fill(0);
    for (let r = off[i]!; r < off[i + 1]!; r++) {
      if (at[r]! >= t) continue; // sorted by channel, then time
      const c = channel[r]!;
      this.consent[c] = granted[r]!;
      if (granted[r] === 1) g[c] = 1;
      else if (g[c]! >= 1) g[c] = 2;
    }
    for (let c = 0; c < this.C; c++) {
      this.optedOut[c] = g[c] === 2 && this.consent[c] !== CONSENT_GRANTED ? 1 : 0;
    }
  }

  /** Writes the F pair features of product p at the prepared (client, day) into x[offset…]. */
  pair(p: number, x: Float32Array, offset: number): void {
    let o = offset;
    const P = this.P;
    for (let j = 0; j < this.common.length; j++) x[o++] = this.common[j]!;
    x[o++] = this.heldCount;
    for (let q = 0; q < P; q++) x[o++] = this.held[q]!;
    x[o++] = this.monthsSinceOpening;
    x[o++] = this.heldBefore[p]!;
    for (let j = 0; j < this.balance.length; j++) x[o++] = this.balance[j]!;
    const t = this.t;
    x[o++] = Math.log1p(this.sess7[p]!);
    x[o++] = Math.log1p(this.sess30[p]!);
    x[o++] = Math.log1p(this.sess90[p]!);
    x[o++] = cap(t - this.lastSim[p]!);
    x[o++] = cap(t - this.lastAbandon[p]!);
    x[o++] = this.sig3[p]!;
    x[o++] = this.sig7[p]!;
    x[o++] = this.sig30[p]!;
    for (let j = 0; j < this.journey.length; j++) x[o++] = this.journey[j]!;
    x[o++] = this.verbatims;
    x[o++] = this.verbatimScore;
    x[o++] = Math.log1p(this.vCount[p]!);
    x[o++] = this.vScored[p]! > 0 ? this.vSum[p]! / this.vScored[p]! : NEUTRAL_SCORE;
    x[o++] = this.daysSinceVerbatim;
    const k = this.contacts;
    x[o++] = k[0]!;
    x[o++] = k[1]!;
    x[o++] = k[2]!;
    x[o++] = k[3]!;
    x[o++] = this.c90[p]!;
    x[o++] = this.c365[p]!;
    x[o++] = this.daysSinceContact;
    x[o++] = this.daysSinceRefusal;
    x[o++] = cap(t - this.lastRefusal[p]!);
    x[o++] = this.conversions;
    if (o - offset !== this.nFeatures) {
      throw new Error(
        `features/feature-computer: wrote ${o - offset} pair features, the schema has ${this.nFeatures}`,
      );
    }
  }

  /** Writes the C × K channel features of product p into xc[offset…] (index c·K + j). */
  channels(p: number, xc: Float32Array, offset: number): void {
    const K = this.nChannelFeatures;
    const ids = this.h.catalog.channels;
    for (let c = 0; c < this.C; c++) {
      const o = offset + c * K;
      xc[o] = consentAllows(this.consent[c]!, ids[c]!.id) ? 1 : 0;
      xc[o + 1] = this.cc90[c]!;
      xc[o + 2] = cap(this.t - this.cLastRefusal[c]!);
      xc[o + 3] = this.optedOut[c]!;
      xc[o + 4] = this.cConv[c]!;
      xc[o + 5] = this.cp365[c * this.P + p]!;
      xc[o + 6] = this.cvScored[c]! > 0 ? this.cvSum[c]! / this.cvScored[c]! : NEUTRAL_SCORE;
    }
  }

  /** Writes the C contactable flags of product p (consent in force, age limits, risk profile). */
  contactable(p: number, out: Uint8Array, offset: number): void {
    const h = this.h;
    const ok = productAllowed(
      this.year,
      h.birthYear[this.i]!,
      h.riskProfile[this.i]!,
      h.catalog.products[p]!,
    );
    const ids = h.catalog.channels;
    for (let c = 0; c < this.C; c++)
      out[offset + c] = ok && consentAllows(this.consent[c]!, ids[c]!.id) ? 1 : 0;
  }
}
