import { stopwatch } from '../stopwatch.js';
import { type CompareOptions, comparePolicies, type PolicyComparison } from './compare-policies.js';
import { defaultPolicies } from './default-policies.js';
import { buildEvaluationDataset, type EvaluationDatasetOptions } from './evaluation-dataset.js';
import type { EvaluationPolicy } from './policies/evaluation-policy.js';
import { type RoundSummary, roundSummary } from './round-summary.js';

export type { PolicyComparison } from './compare-policies.js';
export { comparisonRecords, comparisonTable, formatTable } from './format-comparison.js';

export interface EvaluateOptions extends EvaluationDatasetOptions, CompareOptions {
  /** Contact budget of every policy. Default: the number of contacts logged in the round at D. */
  readonly contacts?: number;
  /** Default: defaultPolicies(contacts). */
  readonly policies?: (contacts: number) => readonly EvaluationPolicy[];
}

export interface EvaluationReport extends RoundSummary {
  readonly comparisons: readonly PolicyComparison[];
  readonly seconds: number;
}

/**
 * `nbg evaluate DIR`: reads a data-contract folder with truth/, builds the logged round at the
 * evaluation date, and compares the policies by true value and by every off-policy estimator.
 */
export async function evaluate(dir: string, options: EvaluateOptions = {}): Promise<EvaluationReport> {
  const sw = stopwatch();
  const data = await buildEvaluationDataset(dir, options);
  const contacts = options.contacts ?? data.loggedContacts;
  const policies = options.policies
    ? options.policies(contacts)
    : defaultPolicies(contacts, { typeBlind: data.truth.typeBlind !== undefined });
  const comparisons = comparePolicies(data, policies, options);
  return { ...roundSummary(dir, data, contacts), comparisons, seconds: sw.seconds() };
}
