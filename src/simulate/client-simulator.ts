import type { Rng } from '../rng.js';
import { writeBalances } from './balances.js';
import type { BranchNetwork } from './branch-network.js';
import type { Calendar } from './calendar.js';
import { C, CHANNELS, N_CHANNELS, N_PRODUCTS, P, PRODUCTS } from './catalog.js';
import { type ClientProfile, drawClientProfile, RESPONSE_TYPES, SLEEPING_DOG } from './client-profile.js';
import { ClientRows, num } from './client-rows.js';
import { WORLD } from './config.js';
import { HoldingBook } from './holding-book.js';
import { JourneyState } from './journeys.js';
import { drawLifeEvents, type LifeEvents, needAt } from './life-events.js';
import type { LoggingPolicy } from './logging-policy.js';
import {
  conversionWithContact,
  conversionWithoutContact,
  refusalProbability,
  spontaneousHazard,
} from './response-model.js';
import { VerbatimPlan } from './verbatim-writer.js';
import type { WorldFamily } from './world-family.js';

const CHANNEL_IDS = CHANNELS.map((ch) => ch.id);
const RISK_RANK: Readonly<Record<string, number>> = { unknown: 0, prudent: 1, balanced: 2, dynamic: 3 };
const S = WORLD.satisfaction;
const V = WORLD.verbatims;

/** Everything shared by all clients of one world (read-only during the run). */
export interface WorldContext {
  readonly cal: Calendar;
  readonly branches: BranchNetwork;
  readonly policy: LoggingPolicy;
  readonly root: Rng;
  /** The world family: response mechanics, targeting parameters, channel affinity by client. */
  readonly family: WorldFamily;
  /** Start day and length (days) of each decision round; the last round starts at the evaluation date. */
  readonly roundStart: Int32Array;
  readonly roundLength: Int32Array;
  readonly evalRound: number;
  readonly horizonDays: number;
  /** Campaign id of (round, product, channel): index (r * N_PRODUCTS + p) * N_CHANNELS + c. */
  readonly campaignIds: readonly string[];
  readonly hidePropensities: boolean;
}

export function campaignIndex(r: number, p: number, c: number): number {
  return (r * N_PRODUCTS + p) * N_CHANNELS + c;
}

/**
 * Simulates one client from its own random stream (root.fork(index), then one fork per aspect,
 * so that a client's output does not depend on any other client and adding draws to one aspect
 * does not shift the others). Returns the client's CSV lines; scratch buffers are reused.
 */
export class ClientSimulator {
  readonly rows = new ClientRows();
  private readonly journey = new JourneyState();
  private readonly book = new HoldingBook();
  private readonly need = new Float64Array(N_PRODUCTS);
  private readonly held = new Uint8Array(N_PRODUCTS);
  private readonly eligible = new Uint8Array(N_PRODUCTS);
  private readonly consent = new Uint8Array(N_CHANNELS);
  private readonly p0 = new Float64Array(N_PRODUCTS);
  private readonly p0h = new Float64Array(N_PRODUCTS);
  private readonly hazard = new Float64Array(N_PRODUCTS);
  private readonly p1 = new Float64Array(N_PRODUCTS * N_CHANNELS);
  private readonly p1row = new Float64Array(N_CHANNELS);
  private readonly p1blind = new Float64Array(N_CHANNELS);
  private readonly mu = new Float64Array(N_PRODUCTS * N_CHANNELS);
  private readonly convertDay = new Int32Array(N_PRODUCTS);
  private readonly contactDays: number[] = [];
  private readonly verbatim = new VerbatimPlan();
  /** The client's latent satisfaction, in [0, 1], as the rounds go. */
  private sat = 0;
  /** Solicitations written for the client so far (their ids count up). */
  private nSolicitations = 0;

  constructor(private readonly ctx: WorldContext) {}

  run(index: number): ClientRows {
    const { cal, root } = this.ctx;
    const rows = this.rows;
    rows.reset();
    this.journey.reset();
    this.book.reset();
    this.contactDays.length = 0;
    const rng = root.fork(index);
    const c = drawClientProfile(
      rng.fork('profile'),
      index,
      cal.totalDays,
      cal.startYear,
      this.ctx.branches,
      this.ctx.family,
    );
    const ev = drawLifeEvents(rng.fork('life'), c, cal.totalDays);
    const idNum = c.id.slice(1);
    rows.client(
      c.id,
      c.birthYear,
      c.segment,
      c.incomeBand,
      c.region,
      c.branch,
      c.advisor,
      c.risk,
      c.fragile,
      cal.date(c.sinceDay),
    );
    this.initialHoldings(rng.fork('holdings'), c, ev);
    this.initialConsents(rng.fork('consents'), c);
    const satisfaction = this.rounds(rng.fork('rounds'), c, ev, idNum);
    for (let i = 0; i < this.book.size; i++) {
      const closed = this.book.closed[i]!;
      rows.holding(
        c.id,
        PRODUCTS[this.book.product[i]!]!.id,
        cal.date(this.book.opened[i]!),
        Number.isNaN(closed) || closed >= cal.totalDays ? '' : cal.date(closed),
      );
    }
    writeBalances(rng.fork('balances'), rows, cal, c, ev, this.book);
    rows.truthClient(c.id, c.persona.id, satisfaction);
    return rows;
  }

  /** Products held at the start, consistent with persona, age and past life events. */
  private initialHoldings(rng: Rng, c: ClientProfile, ev: LifeEvents): void {
    const since = c.sinceDay;
    const adultDay = -Math.round((c.age - 18) * 365.25);
    const from = Math.max(since, adultDay);
    const isNew = since >= 0;
    this.book.add(P.current, since, Number.NaN);
    for (let p = 1; p < N_PRODUCTS; p++) {
      const def = PRODUCTS[p]!;
      if (def.minAge !== undefined && c.age < def.minAge) continue;
      if (def.maxAge !== undefined && c.age > def.maxAge + 10) continue;
      let prob = c.persona.holds[p]!;
      if (isNew) prob *= 0.4;
      const boughtHouse = !Number.isNaN(ev.house) && ev.house < 0;
      if (p === P.mortgage || p === P.homeInsurance) {
        if (boughtHouse) prob = p === P.mortgage ? 0.9 : 0.95;
        else if (!Number.isNaN(ev.house)) prob = p === P.mortgage ? 0 : prob;
      }
      if (p === P.mortgage && c.age < 24) prob = 0;
      if (!rng.bernoulli(prob)) continue;
      let opened = isNew ? since : from + rng.int(Math.max(1, -from));
      if ((p === P.mortgage || p === P.homeInsurance) && boughtHouse) opened = Math.max(from, ev.house);
      let closed = Number.NaN;
      if (p === P.consumerCredit) closed = opened + 720 + rng.int(1100);
      this.book.add(p, opened, closed);
    }
  }

  /** Consent rows at joining: opt-out for email, opt-in for phone and sms, app push for app users. */
  private initialConsents(rng: Rng, c: ClientProfile): void {
    const at = this.ctx.cal.timestamp(c.sinceDay, 600 + rng.int(480));
    const K = WORLD.consents;
    const rows = this.rows;
    this.consent.fill(0);
    this.consent[C.branch] = 1;
    const email = rng.bernoulli(K.emailGranted);
    rows.consent(c.id, 'email', email ? 'granted' : 'refused', at);
    this.consent[C.email] = email ? 1 : 0;
    if (rng.bernoulli(K.phoneGranted + (c.favoured ? 0.15 : 0))) {
      rows.consent(c.id, 'phone', 'granted', at);
      this.consent[C.phone] = 1;
    }
    if (rng.bernoulli(K.smsGranted)) {
      rows.consent(c.id, 'sms', 'granted', at);
      this.consent[C.sms] = 1;
    }
    rows.consent(c.id, 'app_push', c.appUser ? 'granted' : 'refused', at);
    this.consent[C.appPush] = c.appUser ? 1 : 0;
  }

  private fatigue(t: number): number {
    let f = 0;
    const days = this.ctx.family.response.fatigueDays;
    for (const d of this.contactDays) f += Math.exp(-(t - d) / days);
    return f;
  }

  /** Fills p1row with the conversion after one contact about product p through each channel. */
  private contactResponse(c: ClientProfile, p: number, t: number, fatigue: number): void {
    const signal = this.journey.signalAt(p, t);
    const def = PRODUCTS[p]!;
    const { family } = this.ctx;
    conversionWithContact(
      this.p1row,
      this.p0[p]!,
      def,
      family.channelAffinity(c),
      this.need[p]!,
      signal,
      c.responseType[p]!,
      fatigue,
      family.response,
    );
  }

  /**
   * The type-blind truth of one (client, product) at the evaluation round: the conversion without
   * contact (returned) and after one contact through each channel (p1blind) averaged over the
   * response type's distribution for this client (typeMix) instead of read at its drawn type. Every
   * other input is the world's own (need, journey signal, channel affinity, fatigue), so a policy
   * ranking by it is the best one that knows everything but the type. Overwrites p1row; draws no
   * random numbers, so the world is the same with or without it.
   */
  private typeBlindResponse(c: ClientProfile, p: number, t: number, days: number, fatigue: number): number {
    const def = PRODUCTS[p]!;
    const signal = this.journey.signalAt(p, t);
    const need = this.need[p]!;
    const { response: R } = this.ctx.family;
    const affinity = this.ctx.family.channelAffinity(c);
    let p0 = 0;
    this.p1blind.fill(0);
    for (let k = 0; k < c.typeMix.length; k++) {
      const w = c.typeMix[k]!;
      if (w === 0) continue;
      const p0k = conversionWithoutContact(spontaneousHazard(def, need, signal, k, R), days);
      conversionWithContact(this.p1row, p0k, def, affinity, need, signal, k, fatigue, R);
      p0 += w * p0k;
      for (let ch = 0; ch < N_CHANNELS; ch++) this.p1blind[ch]! += w * this.p1row[ch]!;
    }
    return p0;
  }

  /** The decision rounds; returns the latent satisfaction at the evaluation date. */
  private rounds(rng: Rng, c: ClientProfile, ev: LifeEvents, idNum: string): number {
    const ctx = this.ctx;
    const jr = rng.fork('journeys');
    const vr = rng.fork('verbatims');
    this.sat = c.satisfactionBase;
    let satAtEval = this.sat;
    this.nSolicitations = 0;
    this.verbatim.resetClient();
    for (let r = 0; r <= ctx.evalRound; r++) {
      if (ctx.roundStart[r]! < c.sinceDay) continue;
      if (r === ctx.evalRound) satAtEval = this.sat;
      this.round(r, rng, jr, vr, c, ev, idNum);
    }
    return satAtEval;
  }

  /**
   * One decision round r: the client's state, the logging policy's draw (and the truth at the
   * evaluation round), the contact's outcome, spontaneous conversions, journeys and verbatims, then
   * satisfaction reverts a step towards its base. Random draws, in order: the policy's uniform, the
   * contact's, the spontaneous conversions' (rng), then journeys (jr) and verbatims (vr).
   */
  private round(
    r: number,
    rng: Rng,
    jr: Rng,
    vr: Rng,
    c: ClientProfile,
    ev: LifeEvents,
    idNum: string,
  ): void {
    const ctx = this.ctx;
    const { mu, held, eligible, consent, p0h, hazard } = this;
    const t = ctx.roundStart[r]!;
    const L = ctx.roundLength[r]!;
    const ageNow = c.age + t / 365.25;
    this.roundState(c, ev, t, L);
    const F = this.fatigue(t);
    // mu and p1 are only needed when the draw contacts, and at the evaluation date (truth).
    const isEval = r === ctx.evalRound;
    const total = ctx.policy.contactProbability(c, ageNow, eligible, consent);
    const u = rng.next();
    if (isEval || u < total) {
      // The naive score reads the 30-day p0 (a fixed horizon, whatever the round's length).
      for (let p = 0; p < N_PRODUCTS; p++)
        p0h[p] = held[p] ? 0 : conversionWithoutContact(hazard[p]!, ctx.horizonDays);
      ctx.policy.probabilities(mu, c, ageNow, eligible, consent, p0h);
    }
    if (isEval) this.writeTruth(c, t, L, F);
    // The logging policy's draw: at most one (product, channel), or none.
    let action = -1;
    if (u < total) {
      let acc = 0;
      for (let i = 0; i < mu.length; i++) {
        acc += mu[i]!;
        if (u < acc && mu[i]! > 0) {
          action = i;
          break;
        }
      }
    }
    this.convertDay.fill(-1);
    this.verbatim.clear();
    if (action >= 0) this.contact(rng, c, idNum, r, action, F);
    this.spontaneousConversions(rng, t, L, action >= 0 ? Math.floor(action / N_CHANNELS) : -1);
    this.journeysAndVerbatims(jr, vr, c, idNum, t, L);
    this.sat += S.reversionPerRound * (c.satisfactionBase - this.sat);
    this.sat = this.sat < 0 ? 0 : Math.min(this.sat, 1);
  }

  /** The client at day t: needs, held and eligible products, conversion without contact over L days. */
  private roundState(c: ClientProfile, ev: LifeEvents, t: number, L: number): void {
    const { cal } = this.ctx;
    const { need, held, eligible, p0, hazard, book } = this;
    const rank = RISK_RANK[c.risk]!;
    // The bank knows only the birth year: like the age-limits rule of src/constraints, its
    // targeting treats the client as (year − birth year − 1) to (year − birth year) years old.
    const oldest = Number(cal.date(t).slice(0, 4)) - c.birthYear;
    const youngest = oldest - 1;
    needAt(c, ev, t, cal.calendarMonth(cal.monthOfDay(t)), need);
    for (let p = 0; p < N_PRODUCTS; p++) {
      const def = PRODUCTS[p]!;
      held[p] = book.held(p, t) ? 1 : 0;
      eligible[p] =
        !held[p] &&
        (def.minAge === undefined || youngest >= def.minAge) &&
        (def.maxAge === undefined || oldest <= def.maxAge) &&
        (def.requiredRiskProfile === undefined || rank >= RISK_RANK[def.requiredRiskProfile]!)
          ? 1
          : 0;
      if (held[p]) continue;
      const h = spontaneousHazard(
        def,
        need[p]!,
        this.journey.signalAt(p, t),
        c.responseType[p]!,
        this.ctx.family.response,
      );
      p0[p] = conversionWithoutContact(h, L);
      hazard[p] = h;
    }
  }

  /** The truth rows of the evaluation round: p0, p1 per channel, mu, the response type and the type-blind truth. */
  private writeTruth(c: ClientProfile, t: number, L: number, F: number): void {
    const { p0, p1, p1row, mu, held } = this;
    for (let p = 0; p < N_PRODUCTS; p++) {
      if (held[p]) continue;
      this.contactResponse(c, p, t, F);
      p1.set(p1row, p * N_CHANNELS);
      const type = RESPONSE_TYPES[c.responseType[p]!]!;
      const p0Blind = this.typeBlindResponse(c, p, t, L, F);
      this.rows.responses(
        c.id,
        PRODUCTS[p]!.id,
        p0[p]!,
        p1,
        mu,
        p * N_CHANNELS,
        CHANNEL_IDS,
        type,
        p0Blind,
        this.p1blind,
      );
    }
  }

  /**
   * The logged contact of round r about `action` (product × channel): converted, refused (maybe an
   * opt-out) or a channel response; its cost to satisfaction, a possible verbatim, the solicitation row.
   */
  private contact(rng: Rng, c: ClientProfile, idNum: string, r: number, action: number, F: number): void {
    const ctx = this.ctx;
    const { cal } = ctx;
    const { rows, book, consent, verbatim } = this;
    const t = ctx.roundStart[r]!;
    const L = ctx.roundLength[r]!;
    const isEval = r === ctx.evalRound;
    const p = Math.floor(action / N_CHANNELS);
    const ch = action - p * N_CHANNELS;
    const def = PRODUCTS[p]!;
    const channel = CHANNELS[ch]!;
    const type = c.responseType[p]!;
    if (!isEval) this.contactResponse(c, p, t, F);
    const pContact = isEval ? this.p1[action]! : this.p1row[ch]!;
    const sentMinute = 8 * 60 + rng.int(11 * 60);
    const sentAt = cal.timestamp(t, sentMinute);
    let outcome: string;
    let outcomeAt = '';
    if (rng.bernoulli(pContact)) {
      const day = t + Math.min(L - 1, Math.floor(-Math.log(1 - rng.next()) * 4));
      outcome = 'converted';
      outcomeAt = cal.timestamp(
        day,
        day === t ? Math.min(1439, sentMinute + 30 + rng.int(120)) : 540 + rng.int(600),
      );
      this.convertDay[p] = day;
      book.add(p, day, p === P.consumerCredit ? day + 720 + rng.int(1100) : Number.NaN);
      this.sat += S.conversionGain;
      if (rng.bernoulli(V.afterConversion)) verbatim.set('product', p, -1, 0.3, day);
    } else if (rng.bernoulli(refusalProbability(type, F, ctx.family.response))) {
      outcome = 'refused';
      outcomeAt = cal.timestamp(t, Math.min(1439, sentMinute + 5 + rng.int(240)));
      this.sat -= S.refusalCost;
      const R = ctx.family.response;
      const optOut = type === SLEEPING_DOG ? R.optOutGivenRefusalDog : R.optOutGivenRefusal;
      if (ch !== C.branch && rng.bernoulli(optOut)) {
        consent[ch] = 0;
        rows.consent(c.id, channel.id, 'refused', outcomeAt);
        this.sat -= S.optOutCost;
      }
      if (rng.bernoulli(V.afterRefusal)) {
        const topic = rng.bernoulli(0.5) ? 'solicitation' : 'channel';
        verbatim.set(topic, p, ch, -0.6, t + rng.int(Math.min(L, 5)));
      }
    } else {
      const x = rng.next();
      outcome = x < channel.clickRate ? 'clicked' : x < channel.openRate ? 'opened' : 'no_response';
      if (outcome !== 'no_response')
        outcomeAt = cal.timestamp(t, Math.min(1439, sentMinute + 1 + rng.int(300)));
    }
    if (verbatim.topic === undefined && F >= 2 && rng.bernoulli(V.afterContactWhenFatigued)) {
      verbatim.set('solicitation', p, ch, -0.5, t + rng.int(Math.min(L, 5)));
    }
    this.sat -= S.contactCost * channel.irritation * (1 + S.overSolicitationFatigue * Math.max(0, F - 1));
    this.contactDays.push(t);
    rows.solicitation(
      `S${idNum}-${++this.nSolicitations}`,
      c.id,
      def.id,
      channel.id,
      ctx.campaignIds[campaignIndex(r, p, ch)]!,
      sentAt,
      ctx.hidePropensities ? '' : num(this.mu[action]!),
      outcome,
      outcomeAt,
    );
  }

  /** Spontaneous conversions over [t, t + L) of the products not held and not offered this round. */
  private spontaneousConversions(rng: Rng, t: number, L: number, offered: number): void {
    const { held, p0, convertDay, book } = this;
    for (let p = 0; p < N_PRODUCTS; p++) {
      if (held[p] || p === offered) continue;
      if (!rng.bernoulli(p0[p]!)) continue;
      const day = t + rng.int(L);
      convertDay[p] = day;
      book.add(p, day, p === P.consumerCredit ? day + 720 + rng.int(1100) : Number.NaN);
    }
  }

  /** Digital journeys (after conversions, and the round's browsing) and the round's verbatim. */
  private journeysAndVerbatims(
    jr: Rng,
    vr: Rng,
    c: ClientProfile,
    idNum: string,
    t: number,
    L: number,
  ): void {
    const { cal } = this.ctx;
    const { rows, convertDay } = this;
    for (let p = 0; p < N_PRODUCTS; p++) {
      if (convertDay[p]! >= 0 && jr.bernoulli(c.appUser ? 0.5 : 0.15)) {
        this.journey.conversion(jr, rows, cal, c.id, idNum, convertDay[p]!, p);
      }
    }
    this.journey.window(jr, rows, cal, c.id, idNum, c.appUser, t, t + L, this.need, this.held, convertDay);
    this.verbatim.maybeSpontaneous(vr, this.book, t, L);
    this.verbatim.write(vr, rows, cal, c.id, idNum, this.sat);
  }
}
