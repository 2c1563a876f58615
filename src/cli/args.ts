import { ErrorCode, NbgError } from '../errors.js';
import type { CommandArgs } from './command.js';

function bad(flag: string, expected: string, got: unknown): never {
  throw new NbgError(ErrorCode.BAD_CONFIG, `--${flag}: expected ${expected}, got ${JSON.stringify(got)}`);
}

/** A string flag, or `fallback`. */
export function stringFlag(args: CommandArgs, flag: string, fallback?: string): string | undefined {
  const v = args.values[flag];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') bad(flag, 'a value', v);
  return v;
}

export function requiredStringFlag(args: CommandArgs, flag: string): string {
  const v = stringFlag(args, flag);
  if (v === undefined || v === '') {
    throw new NbgError(ErrorCode.BAD_CONFIG, `--${flag} is required`);
  }
  return v;
}

/** An integer flag within [min, max], or `fallback`. Accepts 100000, 100_000 and 100k / 1m. */
export function intFlag(
  args: CommandArgs,
  flag: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = args.values[flag];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') return bad(flag, 'an integer', v);
  const m = /^(\d[\d_]*)([km]?)$/i.exec(v.trim());
  if (!m) return bad(flag, 'an integer', v);
  const n =
    Number(m[1]!.replaceAll('_', '')) *
    (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1);
  if (n < min || n > max) return bad(flag, `an integer from ${min} to ${max}`, v);
  return n;
}

export function numberFlag(
  args: CommandArgs,
  flag: string,
  fallback: number,
  min = -Infinity,
  max = Infinity,
): number {
  const v = args.values[flag];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n < min || n > max) return bad(flag, `a number from ${min} to ${max}`, v);
  return n;
}

export function boolFlag(args: CommandArgs, flag: string): boolean {
  return args.values[flag] === true;
}

export function choiceFlag<const T extends readonly string[]>(
  args: CommandArgs,
  flag: string,
  choices: T,
  fallback: T[number],
): T[number] {
  const v = args.values[flag];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !choices.includes(v)) return bad(flag, `one of ${choices.join(', ')}`, v);
  return v;
}
