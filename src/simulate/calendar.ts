import { DAY_MS } from '../domain/time.js';
import { ErrorCode, NbgError } from '../errors.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The simulated time line: day 0 is the start date (UTC midnight), day d is d days later. Dates,
 * months and timestamps are formatted once per day and cached, so writing millions of rows does
 * not call Date per row.
 */
export class Calendar {
  readonly startMs: number;
  readonly totalDays: number;
  readonly months: number;
  private readonly dates: string[];
  /** First day index of each month (months + 1 entries: the last is totalDays). */
  readonly monthStartDay: Int32Array;
  private readonly monthLabels: string[];
  private readonly calendarMonths: Int8Array;

  constructor(startDate: string, months: number) {
    const m = DATE_RE.exec(startDate);
    if (m === null || Number(m[3]) !== 1 || Number(m[2]) < 1 || Number(m[2]) > 12) {
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        `simulate/calendar: startDate must be the first day of a month as YYYY-MM-01, got ${JSON.stringify(startDate)}`,
      );
    }
    const y = Number(m[1]);
    const mo = Number(m[2]) - 1;
    this.startMs = Date.UTC(y, mo, 1);
    this.months = months;
    this.monthStartDay = new Int32Array(months + 1);
    this.monthLabels = [];
    for (let i = 0; i <= months; i++) {
      const ms = Date.UTC(y, mo + i, 1);
      this.monthStartDay[i] = Math.round((ms - this.startMs) / DAY_MS);
      if (i < months) this.monthLabels.push(new Date(ms).toISOString().slice(0, 7));
    }
    this.calendarMonths = Int8Array.from(this.monthLabels, (m) => Number(m.slice(5, 7)) - 1);
    this.totalDays = this.monthStartDay[months]!;
    this.dates = [];
    for (let d = 0; d <= this.totalDays; d++) {
      this.dates.push(new Date(this.startMs + d * DAY_MS).toISOString().slice(0, 10));
    }
  }

  /** `YYYY-MM-DD` of a day index (may be negative: dates before the start). */
  date(day: number): string {
    if (day >= 0 && day <= this.totalDays) return this.dates[day]!;
    return new Date(this.startMs + day * DAY_MS).toISOString().slice(0, 10);
  }

  /** `YYYY-MM-DDTHH:MM:00Z` of a day index and a minute of that day (0..1439). */
  timestamp(day: number, minute: number): string {
    const h = Math.floor(minute / 60);
    const mi = minute - h * 60;
    return `${this.date(day)}T${h < 10 ? '0' : ''}${h}:${mi < 10 ? '0' : ''}${mi}:00Z`;
  }

  /** `YYYY-MM` of month index i (0 = the start month). */
  month(i: number): string {
    return this.monthLabels[i]!;
  }

  /** Month index (0-based) that contains a day index, clamped to [0, months - 1]. */
  monthOfDay(day: number): number {
    let lo = 0;
    let hi = this.months - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.monthStartDay[mid]! <= day) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Calendar month (0 = January) of a month index. */
  calendarMonth(i: number): number {
    return this.calendarMonths[i]!;
  }

  /** The year of the start date. */
  get startYear(): number {
    return new Date(this.startMs).getUTCFullYear();
  }
}
