import type { EvaluationDataset } from './evaluation-dataset.js';
import type { EvaluationPolicy } from './policies/evaluation-policy.js';
import { trueValue } from './true-value.js';

/** One policy's true net value (EUR over contacting nobody) at each contact budget. */
export interface ValueCurve {
  readonly policy: string;
  /** Contacts actually made at each budget (a policy may stop early: 'no contact' is worth more). */
  readonly contacts: readonly number[];
  readonly netValue: readonly number[];
}

export const VALUE_CURVE_DEFAULTS = { budgetFactors: [0.125, 0.25, 0.5, 1, 2, 4] } as const;

/**
 * True value against the number of contacts: for each budget, `policiesAt(budget)` gives the
 * policies (each built once per budget from scores computed beforehand, so nothing is retrained)
 * and each is scored by its true net value. Policies are matched by position.
 */
export function valueCurves(
  data: EvaluationDataset,
  budgets: readonly number[],
  policiesAt: (contacts: number) => readonly EvaluationPolicy[],
): ValueCurve[] {
  const curves: { policy: string; contacts: number[]; netValue: number[] }[] = [];
  for (const b of budgets) {
    policiesAt(b).forEach((policy, i) => {
      const v = trueValue(data, policy.actionDistribution(data));
      if (curves[i] === undefined) curves[i] = { policy: policy.name, contacts: [], netValue: [] };
      const curve = curves[i]!;
      curve.contacts.push(v.contacts);
      curve.netValue.push(v.netValue);
    });
  }
  return curves;
}
