import type { EvaluationDataset } from './evaluation-dataset.js';

/** What every evaluation report says of the round it scored: where, when, how many pairs and contacts. */
export interface RoundSummary {
  readonly dir: string;
  readonly evaluationDate: string;
  readonly horizonDays: number;
  readonly pairs: number;
  readonly contactablePairs: number;
  readonly loggedContacts: number;
  /** The contact budget every policy got. */
  readonly contacts: number;
  readonly propensitySource: string;
}

export function roundSummary(dir: string, data: EvaluationDataset, contacts: number): RoundSummary {
  return {
    dir,
    evaluationDate: data.evaluationDate,
    horizonDays: data.horizonDays,
    pairs: data.nPairs,
    contactablePairs: data.nContactablePairs,
    loggedContacts: data.loggedContacts,
    contacts,
    propensitySource: data.propensitySource,
  };
}
