import { z } from 'zod';

/**
 * Parsers for CSV cells (always strings). Each one turns the text of one cell into a typed value or
 * fails with a message that says what was expected. `optional(x)` maps the empty cell to undefined.
 * They run on every cell of millions of rows, so each is one zod step with hand-written checks
 * rather than a chain of refinements.
 */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const UTC_SECONDS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const INT_RE = /^-?\d+$/;
const NUMBER_RE = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A cell's plain check, for the contract's fast row path (dataset/read-table.ts): the value zod's
 * parse of the cell would give, or NOT_FAST when the cell may be bad. It never accepts a cell the
 * schema refuses nor gives another value; a NOT_FAST row is parsed by zod, whose messages report it.
 */
export type FastCell = (s: string) => unknown;
export const NOT_FAST: unique symbol = Symbol('not-fast');
const FAST_CELLS = new WeakMap<z.ZodType, FastCell>();

/** The fast check of a cell schema made here; undefined for any other schema. */
export function fastCellOf(schema: z.ZodType): FastCell | undefined {
  return FAST_CELLS.get(schema);
}

function withFast<T extends z.ZodType>(schema: T, fast: FastCell): T {
  FAST_CELLS.set(schema, fast);
  return schema;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  if (d <= 28) return true;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export const idCell = withFast(
  z.string().regex(ID_RE, 'expected an id (letters, digits, _ . : -, at most 128 characters, not empty)'),
  (s) => (ID_RE.test(s) ? s : NOT_FAST),
);

export const textCell = withFast(z.string().min(1, 'expected a non-empty text'), (s) =>
  s.length >= 1 ? s : NOT_FAST,
);

export function intCell(min: number, max: number) {
  const fast: FastCell = (s) => {
    if (!INT_RE.test(s)) return NOT_FAST;
    const n = Number(s);
    return n >= min && n <= max ? n : NOT_FAST;
  };
  const schema = z.string().transform((s, ctx) => {
    if (!INT_RE.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'expected an integer' });
      return z.NEVER;
    }
    const n = Number(s);
    if (n < min) ctx.addIssue({ code: 'custom', message: `expected at least ${min}` });
    else if (n > max) ctx.addIssue({ code: 'custom', message: `expected at most ${max}` });
    return n;
  });
  return withFast(schema, fast);
}

export function numberCell(min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) {
  const fast: FastCell = (s) => {
    const n = NUMBER_RE.test(s) ? Number(s) : Number.NaN;
    return Number.isFinite(n) && n >= min && n <= max ? n : NOT_FAST;
  };
  const schema = z.string().transform((s, ctx) => {
    const n = NUMBER_RE.test(s) ? Number(s) : Number.NaN;
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: 'expected a number' });
      return z.NEVER;
    }
    if (n < min) ctx.addIssue({ code: 'custom', message: `expected at least ${min}` });
    else if (n > max) ctx.addIssue({ code: 'custom', message: `expected at most ${max}` });
    return n;
  });
  return withFast(schema, fast);
}

/** A probability in (0, 1]: a logging propensity of 0 would mean the contact could not have happened. */
export const propensityCell = withFast(
  z.string().transform((s, ctx) => {
    const n = NUMBER_RE.test(s) && s[0] !== '-' ? Number(s) : Number.NaN;
    if (!Number.isFinite(n)) ctx.addIssue({ code: 'custom', message: 'expected a number' });
    else if (n <= 0) ctx.addIssue({ code: 'custom', message: 'expected a probability above 0' });
    else if (n > 1) ctx.addIssue({ code: 'custom', message: 'expected a probability at most 1' });
    return n;
  }),
  (s) => {
    const n = NUMBER_RE.test(s) && s[0] !== '-' ? Number(s) : Number.NaN;
    return Number.isFinite(n) && n > 0 && n <= 1 ? n : NOT_FAST;
  },
);

export const boolCell = withFast(
  z.enum(['true', 'false'], 'expected true or false').transform((s) => s === 'true'),
  (s) => (s === 'true' ? true : s === 'false' ? false : NOT_FAST),
);

export function enumCell<const T extends readonly [string, ...string[]]>(values: T) {
  const known = new Set<string>(values);
  return withFast(z.enum(values, `expected one of ${values.join(', ')}`), (s) =>
    known.has(s) ? s : NOT_FAST,
  );
}

const isDate = (s: string): boolean => {
  const m = DATE_RE.exec(s);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
};

/** `YYYY-MM-DD`, a real calendar date; kept as the string. */
export const dateCell = withFast(z.string().refine(isDate, 'expected a date YYYY-MM-DD'), (s) =>
  isDate(s) ? s : NOT_FAST,
);

const isMonth = (s: string): boolean => {
  const m = MONTH_RE.exec(s);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12;
};

/** `YYYY-MM`; kept as the string. */
export const monthCell = withFast(z.string().refine(isMonth, 'expected a month YYYY-MM'), (s) =>
  isMonth(s) ? s : NOT_FAST,
);

/** A timestamp normalised to UTC `YYYY-MM-DDTHH:MM:SS.sssZ`, or undefined when it is not one. */
function utcTimestamp(s: string): string | undefined {
  const m = TIMESTAMP_RE.exec(s);
  if (
    m === null ||
    !validDate(Number(m[1]), Number(m[2]), Number(m[3])) ||
    Number(m[4]) > 23 ||
    Number(m[5]) > 59 ||
    Number(m[7] ?? 0) > 59
  )
    return undefined;
  // The common case, already UTC to the second, needs no Date round trip.
  if (UTC_SECONDS_RE.test(s)) return `${s.slice(0, 19)}.000Z`;
  return new Date(Date.parse(s)).toISOString();
}

/** ISO 8601 timestamp with a zone; normalised to UTC `YYYY-MM-DDTHH:MM:SS.sssZ`. */
export const timestampCell = withFast(
  z.string().transform((s, ctx) => {
    const utc = utcTimestamp(s);
    if (utc !== undefined) return utc;
    ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 timestamp such as 2025-03-14T09:30:00Z' });
    return z.NEVER;
  }),
  (s) => utcTimestamp(s) ?? NOT_FAST,
);

/**
 * The empty cell means unknown: undefined. Anything else goes through `inner`, whose own message is
 * kept (a zod union would replace it with a generic "Invalid input").
 */
export function optional<T extends z.ZodType<unknown, string>>(inner: T) {
  const schema = z.string().transform((s, ctx): z.output<T> | undefined => {
    if (s === '') return undefined;
    const r = inner.safeParse(s);
    if (r.success) return r.data;
    for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  });
  const fast = fastCellOf(inner);
  return fast ? withFast(schema, (s) => (s === '' ? undefined : fast(s))) : schema;
}
