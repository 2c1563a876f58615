import type { Rng } from '../rng.js';
import type { Calendar } from './calendar.js';
import { N_PRODUCTS, PRODUCTS } from './catalog.js';
import type { ClientRows } from './client-rows.js';
import { WORLD } from './config.js';

const J = WORLD.journeys;

/** Hour-of-day weights of digital sessions (0..23): evenings and lunch breaks. */
const HOURS = Float64Array.from([
  0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 1, 1.5, 1.6, 1.5, 1.6, 2.4, 2.3, 1.5, 1.4, 1.4, 1.6, 2.2, 2.8, 3, 2.6,
  1.6, 0.7,
]);

/**
 * A client's digital journeys and the need signal they leave. Sessions about a product arrive as
 * a Poisson process with daily rate appFactor * (base + perNeed2 * need^2) (drawn as one superposed
 * process, each session's product by its share of the rate); each has a page view,
 * and with probabilities rising with need a simulation and a form start that is abandoned. The
 * signal of product p is S_p(t) = sum over its sessions s < t of strength_s * exp(-(t - s) / tau).
 * A conversion by a digital client leaves a session that ends in form_submit.
 */
export class JourneyState {
  readonly signal = new Float64Array(N_PRODUCTS);
  readonly signalDay = new Float64Array(N_PRODUCTS);
  private readonly rate = new Float64Array(N_PRODUCTS);
  private sessions = 0;
  private minute = 0;
  private events = 0;
  // Sessions of one window, sorted by start: day, minute, product (-1: generic).
  private readonly sDay: number[] = [];
  private readonly sMinute: number[] = [];
  private readonly sProduct: number[] = [];

  reset(): void {
    this.signal.fill(0);
    this.signalDay.fill(0);
    this.sessions = 0;
    this.events = 0;
  }

  private push(rng: Rng, day: number, product: number): void {
    this.sDay.push(day);
    this.sMinute.push(rng.weighted(HOURS) * 60 + rng.int(50));
    this.sProduct.push(product);
  }

  // The session being written (set by session()).
  private out: { rows: ClientRows; cal: Calendar; clientId: string; clientNum: string } | undefined;
  private sid = '';
  private day = 0;

  private emit(rng: Rng, type: string, page: string, product: string): void {
    const o = this.out!;
    const at = o.cal.timestamp(this.day, this.minute);
    o.rows.event(`E${o.clientNum}-${++this.events}`, o.clientId, this.sid, at, type, page, product);
    this.minute = Math.min(1439, this.minute + 1 + rng.int(3));
  }

  /** S_p at day t. */
  signalAt(p: number, t: number): number {
    const s = this.signal[p]!;
    return s === 0 ? 0 : s * Math.exp(-(t - this.signalDay[p]!) / J.signalDecayDays);
  }

  private addSignal(p: number, day: number, strength: number): void {
    this.signal[p] = this.signalAt(p, day) + strength;
    this.signalDay[p] = day;
  }

  /**
   * Draws and writes the sessions of days [from, to). `need` and `held` are read at `from`;
   * `convertDay[p]` (or -1) is the day product p converts in this window: its sessions stop then.
   */
  window(
    rng: Rng,
    rows: ClientRows,
    cal: Calendar,
    clientId: string,
    clientNum: string,
    appUser: boolean,
    from: number,
    to: number,
    need: Float64Array,
    held: Uint8Array,
    convertDay: Int32Array,
  ): void {
    const days = to - from;
    const factor = appUser ? 1 : J.webOnlyFactor;
    this.sDay.length = 0;
    this.sMinute.length = 0;
    this.sProduct.length = 0;
    const nGeneric = rng.poisson(factor * J.genericSessionRate * days);
    for (let k = 0; k < nGeneric; k++) this.push(rng, from + rng.int(days), -1);
    // Superposition: one Poisson count for all products, then each session's product by its rate.
    let total = 0;
    for (let p = 0; p < N_PRODUCTS; p++) {
      const n = need[p]!;
      const lambda = held[p] ? 0 : factor * (J.productSessionBase + J.productSessionPerNeed2 * n * n) * days;
      this.rate[p] = lambda;
      total += lambda;
    }
    const k = total > 0 ? rng.poisson(total) : 0;
    for (let i = 0; i < k; i++) {
      const p = rng.weighted(this.rate);
      const d = from + rng.int(days);
      if (convertDay[p]! < 0 || d < convertDay[p]!) this.push(rng, d, p);
    }
    if (this.sDay.length === 0) return;
    const order = this.sDay.map((_, i) => i);
    order.sort((a, b) => this.sDay[a]! - this.sDay[b]! || this.sMinute[a]! - this.sMinute[b]!);
    for (const i of order) {
      this.session(
        rng,
        rows,
        cal,
        clientId,
        clientNum,
        this.sDay[i]!,
        this.sMinute[i]!,
        this.sProduct[i]!,
        need,
      );
    }
  }

  private session(
    rng: Rng,
    rows: ClientRows,
    cal: Calendar,
    clientId: string,
    clientNum: string,
    day: number,
    minute0: number,
    p: number,
    need: Float64Array,
  ): void {
    this.sid = `W${clientNum}-${++this.sessions}`;
    this.minute = minute0;
    this.day = day;
    this.out = { rows, cal, clientId, clientNum };
    if (p < 0 || rng.bernoulli(J.loginShare)) this.emit(rng, 'login', '', '');
    if (p < 0) {
      this.emit(rng, 'page_view', '/comptes/synthese', '');
      if (rng.bernoulli(0.4)) this.emit(rng, 'page_view', '/comptes/operations', '');
      return;
    }
    const prod = PRODUCTS[p]!;
    const n = need[p]!;
    let strength = 0;
    if (rng.bernoulli(0.15)) this.emit(rng, 'search', `/recherche?q=${prod.page.split('/').pop()}`, prod.id);
    this.emit(rng, 'page_view', prod.page, prod.id);
    strength += J.signalPageView;
    if (rng.bernoulli(0.15 + 0.5 * n)) {
      this.emit(rng, 'simulation', `${prod.page}/simulateur`, prod.id);
      strength += J.signalSimulation;
    }
    if (rng.bernoulli(0.05 + 0.35 * n)) {
      this.emit(rng, 'form_start', `${prod.page}/souscription`, prod.id);
      this.emit(rng, 'form_abandon', `${prod.page}/souscription`, prod.id);
      strength += J.signalFormStart + J.signalFormAbandon;
    }
    this.addSignal(p, day, strength);
  }

  /** The session of a digital conversion: page view, form start, form submit. */
  conversion(
    rng: Rng,
    rows: ClientRows,
    cal: Calendar,
    clientId: string,
    clientNum: string,
    day: number,
    p: number,
  ): void {
    const sid = `W${clientNum}-${++this.sessions}`;
    let minute = rng.weighted(HOURS) * 60 + rng.int(50);
    const prod = PRODUCTS[p]!;
    for (const [type, page] of [
      ['login', ''],
      ['page_view', prod.page],
      ['form_start', `${prod.page}/souscription`],
      ['form_submit', `${prod.page}/souscription`],
    ] as const) {
      rows.event(
        `E${clientNum}-${++this.events}`,
        clientId,
        sid,
        cal.timestamp(day, minute),
        type,
        page,
        page === '' ? '' : prod.id,
      );
      minute = Math.min(1439, minute + 1 + rng.int(4));
    }
  }
}
