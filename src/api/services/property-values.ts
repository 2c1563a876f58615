/** A graph property as text, null when absent. */
export const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A graph property as a number, 0 when absent (the driver returns Neo4j integers as numbers). */
export const numberOf = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
