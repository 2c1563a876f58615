import { CsvWriter } from '../../csv/writer.js';
import { DAY_MS } from '../../domain/time.js';
import type { PlanProblem } from '../plan-problem.js';
import type { PlannedRecommendation, RecommendationWriter } from './recommendation-writer.js';
import { scheduleDays } from './schedule-days.js';

export const PLAN_COLUMNS = [
  'recommendation_id',
  'plan_id',
  'client_id',
  'product_id',
  'channel_id',
  'scheduled_for',
  'expected_value_eur',
  'cost_eur',
  'model_version',
  'solver',
] as const;

export interface WritePlanOptions {
  readonly path: string;
  readonly planId: string;
  readonly startDay: number;
  readonly modelVersion: string;
  readonly solver: string;
  /** Also sends each batch of recommendations there (Neo4j). */
  readonly writer?: RecommendationWriter;
  readonly batchSize?: number;
}

/**
 * Writes the selected actions of a plan as CSV (PLAN_COLUMNS), each on its day (scheduleDays), and
 * hands the same rows in batches to the recommendation writer when there is one. Returns the rows written.
 */
export async function writePlan(
  problem: PlanProblem,
  selected: Uint8Array,
  o: WritePlanOptions,
): Promise<number> {
  const days = scheduleDays(problem, selected);
  const csv = new CsvWriter(o.path, PLAN_COLUMNS);
  const batchSize = o.batchSize ?? 5000;
  let batch: PlannedRecommendation[] = [];
  let k = 0;
  const n = problem.clientStart.length - 1;
  for (let i = 0; i < n; i++) {
    for (let a = problem.clientStart[i]!; a < problem.clientStart[i + 1]!; a++) {
      if (!selected[a]) continue;
      const ch = problem.channels[problem.actChannel[a]!]!;
      const rec: PlannedRecommendation = {
        id: `${o.planId}-${++k}`,
        planId: o.planId,
        clientId: problem.clientIds[i]!,
        productId: problem.products[problem.actProduct[a]!]!.id,
        channelId: ch.id,
        scheduledFor: new Date(o.startDay + days[a]! * DAY_MS).toISOString().slice(0, 10),
        expectedValueEUR: Math.round(problem.actValue[a]! * 100) / 100,
        costEUR: ch.costPerContact,
        modelVersion: o.modelVersion,
        solver: o.solver,
      };
      await csv.row([
        rec.id,
        rec.planId,
        rec.clientId,
        rec.productId,
        rec.channelId,
        rec.scheduledFor,
        rec.expectedValueEUR,
        rec.costEUR,
        rec.modelVersion,
        rec.solver,
      ]);
      if (o.writer) {
        batch.push(rec);
        if (batch.length >= batchSize) {
          await o.writer.write(batch);
          batch = [];
        }
      }
    }
  }
  if (o.writer && batch.length > 0) await o.writer.write(batch);
  await csv.close();
  return k;
}
