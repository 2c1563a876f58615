import { N_CHANNELS, N_PRODUCTS } from './catalog.js';
import type { ClientProfile } from './client-profile.js';
import { type LoggingPolicyKind, WORLD } from './config.js';
import type { LoggingMechanics } from './world-family.js';

/**
 * The historical targeting that produced solicitations.csv. In each round it makes at most one
 * contact per client, drawn from mu(p, c | client, t) (index p * N_CHANNELS + c), with
 * mu(none) = 1 - sum mu. Three kinds:
 * The parameters are the world family's (docs/simulator.md gives both families').
 * - biased: mu_b(p, c) = sigma(intercept + segment + age + income) * pi(p) * kappa(c), where
 *   pi(p) is proportional to p0_30(p)^propensityPower over eligible products (a naive per-product
 *   propensity score: it favours clients who convert anyway) and kappa(c) is a channel mix that
 *   depends on whether the client is favoured (older, affluent, private), over consented channels;
 *   mixed with exploration: mu = (1 - eps) mu_b + eps mu_u;
 * - random: mu_u(p, c) = uniformContactRate / |eligible pairs|;
 * - mixed: mu = (mu_b + mu_u) / 2.
 * The exact mu of the drawn action is written as logging_propensity.
 */
export class LoggingPolicy {
  private readonly weights = new Float64Array(N_PRODUCTS);
  private readonly chan = new Float64Array(N_CHANNELS);

  constructor(
    readonly kind: LoggingPolicyKind,
    readonly exploration: number,
    /** The world family's targeting parameters (the default world's when omitted). */
    private readonly L: LoggingMechanics = WORLD.logging,
  ) {}

  /**
   * sum_{p,c} mu(p, c) without building mu: (1 - eps) sigma(...) + eps * uniformContactRate when
   * some product is eligible and some channel consented, else 0 (every weight is then positive).
   * Lets the simulator skip the full distribution in rounds where the draw says "no contact".
   */
  contactProbability(
    client: ClientProfile,
    ageNow: number,
    eligible: Uint8Array,
    consent: Uint8Array,
  ): number {
    let nElig = 0;
    let nCons = 0;
    for (let p = 0; p < N_PRODUCTS; p++) nElig += eligible[p]!;
    for (let c = 0; c < N_CHANNELS; c++) nCons += consent[c]!;
    if (nElig === 0 || nCons === 0) return 0;
    const wB = this.biasedWeight();
    return wB * this.biasedContact(client, ageNow) + (1 - wB) * this.L.uniformContactRate;
  }

  private biasedWeight(): number {
    return this.kind === 'random' ? 0 : this.kind === 'mixed' ? 0.5 : 1 - this.exploration;
  }

  /** sigma(intercept + segment boost + age term + income term). */
  private biasedContact(client: ClientProfile, ageNow: number): number {
    const L = this.L;
    const logit =
      L.intercept +
      L.segmentBoost[client.segment] +
      (L.agePerFifteenYears * (ageNow - 45)) / 15 +
      L.perIncomeBand * (client.incomeBand - 3);
    return 1 / (1 + Math.exp(-logit));
  }

  /**
   * Fills `mu` (length N_PRODUCTS * N_CHANNELS) and returns its sum (the probability of a contact).
   * eligible[p] = 1 when the product may be offered (not held, age and risk profile allow it);
   * consent[c] = 1 when the channel may be used; p0Horizon[p] is the 30-day conversion without contact.
   */
  probabilities(
    mu: Float64Array,
    client: ClientProfile,
    ageNow: number,
    eligible: Uint8Array,
    consent: Uint8Array,
    p0Horizon: Float64Array,
  ): number {
    mu.fill(0);
    let nElig = 0;
    let nCons = 0;
    for (let p = 0; p < N_PRODUCTS; p++) nElig += eligible[p]!;
    for (let c = 0; c < N_CHANNELS; c++) nCons += consent[c]!;
    if (nElig === 0 || nCons === 0) return 0;
    const wB = this.biasedWeight();
    const wU = 1 - wB;
    if (wB > 0) {
      const contact = this.biasedContact(client, ageNow);
      let sw = 0;
      for (let p = 0; p < N_PRODUCTS; p++) {
        const w = eligible[p] ? (p0Horizon[p]! + 1e-4) ** this.L.propensityPower : 0;
        this.weights[p] = w;
        sw += w;
      }
      const mix = client.favoured ? this.L.channelMixFavoured : this.L.channelMixOthers;
      let sc = 0;
      for (let c = 0; c < N_CHANNELS; c++) {
        const w = consent[c] ? mix[c]! : 0;
        this.chan[c] = w;
        sc += w;
      }
      if (sw > 0 && sc > 0) {
        const k = (wB * contact) / (sw * sc);
        for (let p = 0; p < N_PRODUCTS; p++) {
          const wp = this.weights[p]!;
          if (wp === 0) continue;
          for (let c = 0; c < N_CHANNELS; c++) mu[p * N_CHANNELS + c] = k * wp * this.chan[c]!;
        }
      }
    }
    if (wU > 0) {
      const u = (wU * this.L.uniformContactRate) / (nElig * nCons);
      for (let p = 0; p < N_PRODUCTS; p++) {
        if (!eligible[p]) continue;
        for (let c = 0; c < N_CHANNELS; c++) if (consent[c]) mu[p * N_CHANNELS + c]! += u;
      }
    }
    let total = 0;
    for (let i = 0; i < mu.length; i++) total += mu[i]!;
    return total;
  }
}
