/** Milliseconds in a day. Dates in nbg are UTC instants; a "day" is 86,400,000 ms, never a calendar day. */
export const DAY_MS = 86_400_000;
