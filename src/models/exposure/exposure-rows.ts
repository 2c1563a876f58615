/**
 * Which rows and channels the exposure model reads: a channel is open for a row when the rules
 * allow it or when the row was contacted through it; the calibration rows are held out by date
 * (the latest days), or by client when the table has a single day.
 */
import type { UpliftExamples } from '../../features/examples.js';
import { hashString } from '../../rng.js';

/** Rows scored at a time, so a table of millions of rows never needs one n × width design. */
export const EXPOSURE_CHUNK = 16_384;

/** A channel is open for a row when the rules allow it, or when the row was contacted through it. */
export function openChannel(rows: UpliftExamples, i: number, c: number): boolean {
  const C = rows.channelIds.length;
  return rows.contactable[i * C + c] === 1 || (rows.kind === 'train' && rows.treatment[i] === c);
}

/** A seeded uniform per client, the same for all its rows. */
export function clientDraw(rows: UpliftExamples, i: number, seed: number): number {
  return hashString(`${seed}:${rows.clientIds[rows.client[i] as number]}`) / 4294967296;
}

/**
 * 1 for the calibration rows: the latest days holding `calibrationShare` of the rows (a day that
 * would take the held-out share past 1.5 times it is left out), else a seeded share of clients.
 */
export function heldOutRows(train: UpliftExamples, calibrationShare: number, seed: number): Uint8Array {
  const { n } = train;
  const out = new Uint8Array(n);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++)
    counts.set(train.day[i] as number, (counts.get(train.day[i] as number) ?? 0) + 1);
  const days = [...counts.keys()].sort((a, b) => b - a);
  if (days.length >= 2) {
    let cutoff = days[0] as number;
    let held = 0;
    for (const d of days.slice(0, -1)) {
      if (held > 0 && held + (counts.get(d) as number) > calibrationShare * n * 1.5) break;
      held += counts.get(d) as number;
      cutoff = d;
      if (held >= calibrationShare * n) break;
    }
    for (let i = 0; i < n; i++) out[i] = (train.day[i] as number) >= cutoff ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) out[i] = clientDraw(train, i, seed) < calibrationShare ? 1 : 0;
  }
  return out;
}
