/**
 * The value a baseline's policy ranks actions by: what the classic approach takes as the worth of a
 * contact, the model's conversion score through the channel times the product's margin, minus the
 * channel's cost, ignoring what would happen without the contact:
 *
 *   value(i, c) = pContact(i, c) × margin(product_i) − cost(c)     (NaN where pContact is NaN)
 *
 * Shapes: n × C (row-major), in the rows' order.
 */
import type { UpliftExamples } from '../../features/examples.js';
import type { ActionScores, OutcomeModel } from '../model.js';

/** A baseline: an outcome model whose policy ranks by `actionValue`, not by uplift. */
export interface BaselineModel extends OutcomeModel {
  actionValue(rows: UpliftExamples): Promise<Float64Array>;
}

export function baselineActionValue(rows: UpliftExamples, scores: ActionScores): Float64Array {
  const C = rows.channelIds.length;
  const out = new Float64Array(rows.n * C);
  for (let i = 0; i < rows.n; i++) {
    const margin = rows.margin[rows.product[i] as number] as number;
    for (let c = 0; c < C; c++)
      out[i * C + c] = (scores.pContact[i * C + c] as number) * margin - (rows.channelCost[c] as number);
  }
  return out;
}
