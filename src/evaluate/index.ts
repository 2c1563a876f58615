import { type CompareOptions, comparePolicies, type PolicyComparison } from './compare-policies.js';
import { defaultPolicies } from './default-policies.js';
import { buildEvaluationDataset, type EvaluationDatasetOptions } from './evaluation-dataset.js';
import type { EvaluationPolicy } from './policies/evaluation-policy.js';

export type { PolicyComparison } from './compare-policies.js';
export { comparisonRecords, comparisonTable, formatTable } from './format-comparison.js';

export interface EvaluateOptions extends EvaluationDatasetOptions, CompareOptions {
  /** Contact budget of every policy. Default: the number of contacts logged in the round at D. */
  readonly contacts?: number;
  /** Default: defaultPolicies(contacts). */
  readonly policies?: (contacts: number) => readonly EvaluationPolicy[];
}

export interface EvaluationReport {
  readonly dir: string;
  readonly evaluationDate: string;
  readonly horizonDays: number;
  readonly pairs: number;
  readonly contactablePairs: number;
  readonly loggedContacts: number;
  readonly contacts: number;
  readonly propensitySource: string;
  readonly comparisons: readonly PolicyComparison[];
  readonly seconds: number;
}

/**
 * `nbg evaluate DIR`: reads a data-contract folder with truth/, builds the logged round at the
 * evaluation date, and compares the policies by true value and by every off-policy estimator.
 */
export async function evaluate(dir: string, options: EvaluateOptions = {}): Promise<EvaluationReport> {
  const started = performance.now();
  const data = await buildEvaluationDataset(dir, options);
  const contacts = options.contacts ?? data.loggedContacts;
  const policies = options.policies
    ? options.policies(contacts)
    : defaultPolicies(contacts, { typeBlind: data.truth.typeBlind !== undefined });
  const comparisons = comparePolicies(data, policies, options);
  return {
    dir,
    evaluationDate: data.evaluationDate,
    horizonDays: data.horizonDays,
    pairs: data.nPairs,
    contactablePairs: data.nContactablePairs,
    loggedContacts: data.loggedContacts,
    contacts,
    propensitySource: data.propensitySource,
    comparisons,
    seconds: (performance.now() - started) / 1000,
  };
}
