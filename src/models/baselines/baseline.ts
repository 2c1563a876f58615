/**
 * What the four baselines share: the table signature they were fitted on, their options and
 * training metrics, `describe`, `actionValue` (score × margin − cost, baseline-action-value.ts),
 * and the save/restore of that common part. A baseline adds its fit, its predict and its weights.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import type { TableSignature } from '../check-examples.js';
import type { ActionScores, ModelDescription } from '../model.js';
import { type ModelFiles, saveModelFiles, type WeightArray } from '../model-files.js';
import { type BaselineModel, baselineActionValue } from '../value/baseline-action-value.js';

export abstract class Baseline<O extends object> implements BaselineModel {
  abstract readonly kind: string;
  readonly options: O;
  protected signature: TableSignature | undefined;
  protected metrics: Record<string, number> = {};

  constructor(options: O) {
    this.options = options;
  }

  abstract fit(train: UpliftExamples): Promise<void>;
  abstract predict(rows: UpliftExamples): Promise<ActionScores>;
  abstract save(dir: string): Promise<void>;

  /** The training table's signature; refuses a model that was never fitted. */
  protected fitted(): TableSignature {
    if (!this.signature)
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        `models/${this.kind}: the model is not fitted (call fit or loadModel first)`,
      );
    return this.signature;
  }

  async actionValue(rows: UpliftExamples): Promise<Float64Array> {
    return baselineActionValue(rows, await this.predict(rows));
  }

  describe(): ModelDescription {
    return {
      kind: this.kind,
      featureSchemaVersion: this.fitted().schemaVersion,
      options: { ...this.options } as Readonly<Record<string, unknown>>,
      metrics: { ...this.metrics },
    };
  }

  /** Writes the model folder: the common part plus the baseline's own state and weights. */
  protected async saveWith(
    dir: string,
    arrays: Readonly<Record<string, WeightArray>>,
    state: Readonly<Record<string, unknown>> = {},
  ): Promise<void> {
    await saveModelFiles(dir, {
      description: this.describe(),
      state: { ...state, signature: this.fitted() },
      arrays,
    });
  }

  /** Restores the common part from a model folder (the subclass restores its weights). */
  protected restore(files: ModelFiles): void {
    this.signature = files.state.signature as TableSignature;
    this.metrics = { ...files.description.metrics };
  }
}
