import type { UpliftExamples } from '../features/examples.js';

/** What a model says about one row's actions: probabilities per channel, and 'no contact'. */
export interface ActionScores {
  /** n × C: P(convert | contact through c), NaN where the model has no opinion. */
  readonly pContact: Float32Array;
  /** n: P(convert | no contact), NaN where the model has no opinion. */
  readonly pNoContact: Float32Array;
  /** n × C: standard deviation of pContact − pNoContact (uncertainty), when the model has one. */
  readonly upliftSd?: Float32Array;
}

/** A model's own description, saved beside its weights and on the `:Model` node. */
export interface ModelDescription {
  readonly kind: string;
  readonly featureSchemaVersion: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** Training figures (rows, seconds, loss, calibration error, …). */
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * The one interface of src/models/: every model learns from training rows (`fit`), writes itself
 * as files in a folder (`save`: a `model.json` with `describe()` and the options, plus binary
 * weights; `loadModel(dir)` in src/models/suite/load-model.ts reads any of them back by its `kind`) and
 * describes itself. Outcome models (baselines and uplift learners) `predict` conversion
 * probabilities; the exposure model gives the logging policy's action probabilities.
 */
export interface FittedModel {
  readonly kind: string;
  fit(train: UpliftExamples): Promise<void>;
  save(dir: string): Promise<void>;
  describe(): ModelDescription;
}

/** Baselines and uplift learners: conversion probabilities with and without each contact. */
export interface OutcomeModel extends FittedModel {
  predict(rows: UpliftExamples): Promise<ActionScores>;
  /** Gives the model the suite's exposure model, for a calibration banded by the old targeting's μ̂. */
  useExposure?(model: ExposureModel): void;
  /** True when predicting needs the exposure model (`useExposure`) first. */
  needsExposure?(): boolean;
}

/**
 * The exposure model: μ(a | row), the probability that the logging policy took action a (the C
 * channels, then 'no contact' last) for the row; n × (C + 1), each row sums to 1, clipped to
 * [clip, 1 − clip] before renormalisation. Uses a row's logged propensity where it has one.
 */
export interface ExposureModel extends FittedModel {
  exposure(rows: UpliftExamples): Promise<Float32Array>;
}
