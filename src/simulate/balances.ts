import type { Rng } from '../rng.js';
import type { Calendar } from './calendar.js';
import { N_PRODUCTS, P, PRODUCTS } from './catalog.js';
import type { ClientProfile } from './client-profile.js';
import type { ClientRows } from './client-rows.js';
import type { HoldingBook } from './holding-book.js';
import type { LifeEvents } from './life-events.js';

/** Share of a month's salary spent on top of the usual, by calendar month (holidays, Christmas). */
const SEASONAL_DIP = [0.08, 0, 0, 0, 0, 0.05, 0.15, 0.2, 0.05, 0, 0.05, 0.22] as const;

const MORTGAGE_MONTHS = 240;

/**
 * Monthly end-of-month balances of the client's three account types, written for the months
 * the client was a customer:
 * - current: salary * (0.45 + 0.25 z) - seasonal dip - 0.5 salary if fragile (overdrafts happen);
 * - savings (when a savings or investment product is held): a stock that grows by
 *   savingsRate * salary a month (plus 12% of the salary while saving for a house), earns 0.2% a
 *   month, and drops by the down payment in the month of a house purchase;
 * - credit (when a credit is held): minus the outstanding principal, amortised linearly
 *   (mortgage 4.5 years of salary over 20 years; consumer credit 3-20k EUR over its term).
 */
export function writeBalances(
  rng: Rng,
  rows: ClientRows,
  cal: Calendar,
  c: ClientProfile,
  ev: LifeEvents,
  book: HoldingBook,
): void {
  const rate = c.persona.savingsRate;
  let stock =
    c.salary * rate * 12 * Math.max(0.5, c.age - 22) * 0.6 * Math.exp(0.5 * rng.normal()) + 50 * rng.next();
  const houseMonth = Number.isNaN(ev.house) || ev.house < 0 ? -1 : cal.monthOfDay(ev.house);
  const principal = new Float64Array(N_PRODUCTS);
  principal[P.mortgage] = 4.5 * 12 * c.salary * (0.6 + 0.4 * rng.next());
  principal[P.consumerCredit] = (3000 + 17000 * rng.next()) * Math.min(2, c.salary / 2700);
  const noise = c.segment === 'professional' ? 0.5 : 0.25;
  let salary = c.salary;
  for (let m = 0; m < cal.months; m++) {
    const endDay = cal.monthStartDay[m + 1]! - 1;
    if (!Number.isNaN(ev.firstJob) && endDay >= ev.firstJob) salary = c.salary * 1.9;
    const income = salary * Math.max(0.2, 1 + noise * rng.normal() * 0.5);
    stock += income * rate * (1 + 0.6 * rng.normal()) + stock * 0.002;
    if (!Number.isNaN(ev.house) && endDay >= ev.house - 540 && endDay < ev.house) stock += 0.12 * salary;
    if (m === houseMonth) stock -= Math.min(0.8 * stock, 20 * salary);
    if (stock < 0) stock = 0;
    if (endDay < c.sinceDay) continue;
    const month = cal.month(m);
    const current =
      income * (0.45 + 0.25 * rng.normal()) -
      SEASONAL_DIP[cal.calendarMonth(m)]! * salary -
      (c.fragile ? 0.5 * salary : 0);
    rows.balance(c.id, 'current', month, current);
    let savings = false;
    let credit = 0;
    let hasCredit = false;
    for (let p = 0; p < N_PRODUCTS; p++) {
      const account = PRODUCTS[p]!.account;
      if (account === undefined || account === 'current') continue;
      const opened = book.openedOn(p, endDay);
      if (opened === undefined) continue;
      if (account === 'savings') savings = true;
      else {
        hasCredit = true;
        const months = (endDay - opened) / 30.44;
        const term = p === P.mortgage ? MORTGAGE_MONTHS : Math.max(12, book.termDays(p, endDay) / 30.44);
        credit -= principal[p]! * Math.max(0.02, 1 - months / term);
      }
    }
    if (savings) rows.balance(c.id, 'savings', month, stock);
    if (hasCredit) rows.balance(c.id, 'credit', month, credit);
  }
}
