import { csvField } from '../csv/writer.js';

/**
 * Decimal text of a probability x in [0, 1] with 9 decimals, built from an integer (much cheaper
 * than formatting a double); values below 5e-10 fall back to 6 significant digits so that a
 * positive propensity never prints as 0.
 */
export function num(x: number): string {
  if (x >= 1) return x === 1 ? '1' : String(x);
  const v = Math.round(x * 1e9);
  if (v === 0) return x === 0 ? '0' : String(Number(x.toPrecision(6)));
  return `0.${String(v).padStart(9, '0')}`;
}

/** Whole euros (balances are monthly snapshots; cents add nothing). */
export function eur(x: number): string {
  return String(Math.round(x));
}

/**
 * The CSV lines one client contributes to each output file, built as strings (one buffer per
 * file, reset for every client) so that no array or object is made per row. Column orders are
 * those of src/domain/contract.ts; the simulator's test checks that every line parses with the
 * contract's schemas.
 */
export class ClientRows {
  clients = '';
  holdings = '';
  consents = '';
  solicitations = '';
  events = '';
  balances = '';
  verbatims = '';
  truthResponse = '';
  truthClients = '';
  truthVerbatims = '';
  nHoldings = 0;
  nConsents = 0;
  nSolicitations = 0;
  nEvents = 0;
  nBalances = 0;
  nVerbatims = 0;
  nTruthResponse = 0;

  reset(): void {
    this.clients = '';
    this.holdings = '';
    this.consents = '';
    this.solicitations = '';
    this.events = '';
    this.balances = '';
    this.verbatims = '';
    this.truthResponse = '';
    this.truthClients = '';
    this.truthVerbatims = '';
    this.nHoldings = 0;
    this.nConsents = 0;
    this.nSolicitations = 0;
    this.nEvents = 0;
    this.nBalances = 0;
    this.nVerbatims = 0;
    this.nTruthResponse = 0;
  }

  client(
    id: string,
    birthYear: number,
    segment: string,
    incomeBand: number,
    region: string,
    branch: string,
    advisor: string,
    risk: string,
    fragile: boolean,
    since: string,
  ): void {
    this.clients += `${id},${birthYear},${segment},${incomeBand},${csvField(region)},${branch},${advisor},${risk},${fragile},${since}\n`;
  }

  holding(client: string, product: string, openedAt: string, closedAt: string): void {
    this.holdings += `${client},${product},${openedAt},${closedAt}\n`;
    this.nHoldings++;
  }

  consent(client: string, channel: string, status: 'granted' | 'refused', at: string): void {
    this.consents += `${client},${channel},${status},${at}\n`;
    this.nConsents++;
  }

  solicitation(
    id: string,
    client: string,
    product: string,
    channel: string,
    campaign: string,
    sentAt: string,
    propensity: string,
    outcome: string,
    outcomeAt: string,
  ): void {
    this.solicitations += `${id},${client},${product},${channel},${campaign},${sentAt},${propensity},${outcome},${outcomeAt}\n`;
    this.nSolicitations++;
  }

  event(
    id: string,
    client: string,
    session: string,
    at: string,
    type: string,
    page: string,
    product: string,
  ): void {
    this.events += `${id},${client},${session},${at},${type},${csvField(page)},${product}\n`;
    this.nEvents++;
  }

  balance(client: string, accountType: string, month: string, balance: number): void {
    this.balances += `${client},${accountType},${month},${eur(balance)}\n`;
    this.nBalances++;
  }

  verbatim(
    id: string,
    client: string,
    at: string,
    channel: string,
    product: string,
    score: string,
    text: string,
  ): void {
    this.verbatims += `${id},${client},${at},${channel},${product},${score},${csvField(text)}\n`;
    this.nVerbatims++;
  }

  /** The truth rows of one (client, product): five channels sharing p0 (formatted once). */
  responses(
    client: string,
    product: string,
    p0: number,
    p1: Float64Array,
    mu: Float64Array,
    offset: number,
    channels: readonly string[],
    type: string,
    p0Blind: number,
    p1Blind: Float64Array,
  ): void {
    const head = `${client},${product},`;
    const s0 = num(p0);
    const b0 = num(p0Blind);
    for (let c = 0; c < channels.length; c++) {
      const x1 = p1[offset + c]!;
      const m = mu[offset + c]!;
      const b1 = p1Blind[c]!;
      this.truthResponse += `${head}${channels[c]},${s0},${x1 === p0 ? s0 : num(x1)},${m === 0 ? '0' : num(m)},${type},${b0},${b1 === p0Blind ? b0 : num(b1)}\n`;
    }
    this.nTruthResponse += channels.length;
  }

  truthClient(client: string, persona: string, satisfaction: number): void {
    this.truthClients += `${client},${persona},${num(satisfaction)}\n`;
  }

  /** One verbatim's truth: latent satisfaction and polarity (−1..1) it was written from, its tone. */
  truthVerbatim(
    id: string,
    client: string,
    satisfaction: number,
    polarity: number,
    tone: string,
    contrast: boolean,
  ): void {
    const pol = polarity < 0 ? `-${num(-polarity)}` : num(polarity);
    this.truthVerbatims += `${id},${client},${num(satisfaction)},${pol},${tone},${contrast}\n`;
  }
}
