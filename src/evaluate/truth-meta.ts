import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { dateCell } from '../domain/cells.js';
import { TRUTH_DIR } from '../domain/contract.js';
import { InputError } from '../errors.js';

/**
 * truth/meta.json: the evaluation date D (start of the logged round) and the horizon h in days;
 * optionally how the world was made (docs/simulator.md): its family (`default`, `mild-bias`), its
 * campaign rhythm (rounds every `roundDays` days, or on the 1st of each month with roundDays null).
 */
export const truthMetaSchema = z.looseObject({
  evaluationDate: dateCell,
  horizonDays: z.number().int().min(1).max(3660),
  generator: z.string().optional(),
  world: z.string().min(1).optional(),
  campaignRhythm: z.enum(['fixed-days', 'monthly']).optional(),
  roundDays: z.number().int().min(1).nullable().optional(),
});
export type TruthMeta = z.output<typeof truthMetaSchema>;

export function readTruthMeta(dir: string): TruthMeta {
  const file = `${TRUTH_DIR}/meta.json`;
  const path = join(dir, TRUTH_DIR, 'meta.json');
  if (!existsSync(path)) {
    throw new InputError([
      { file, reason: `missing: evaluation needs ${file} (evaluationDate, horizonDays)` },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError([
      { file, reason: `not valid JSON (${e instanceof Error ? e.message : String(e)})` },
    ]);
  }
  const parsed = truthMetaSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues.map((i) => ({ file, columnName: i.path.join('.'), reason: i.message })),
    );
  }
  return parsed.data;
}
