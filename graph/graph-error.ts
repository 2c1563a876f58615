/**
 * The one error type of graph/. Messages start with the module that raised it and say what was
 * wrong and the limit, e.g. `graph/embeddings/fast-rp: dimensions must be a positive integer, got 0`.
 * graph/ imports nothing from src/, so it cannot use src/errors.ts; callers may wrap it.
 */
export class GraphError extends RangeError {
  override readonly name = 'GraphError';
  constructor(
    readonly module: string,
    detail: string,
  ) {
    super(`${module}: ${detail}`);
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(module: string, name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new GraphError(module, `${name} must be an integer in [${min}, ${max}], got ${value}`);
}

/** Throws unless `value` is a finite number in [min, max]. */
export function checkNumber(module: string, name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw new GraphError(module, `${name} must be a finite number in [${min}, ${max}], got ${value}`);
}
