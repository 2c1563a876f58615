import { existsSync } from 'node:fs';
import { SyntheticValueSource } from '../allocate/stand-ins/synthetic-value-source.js';
import type { ActionValueSource } from '../allocate/value-sources/action-value-source.js';
import { ErrorCode, NbgError } from '../errors.js';
import { latestSuiteDir, modelsRoot } from '../models/suite/model-store.js';

/** The value source the API serves with, and why. */
export interface ValueSourceChoice {
  readonly values: ActionValueSource;
  /** 'trained' or 'stand-in', written on the :Model node. */
  readonly modelKind: 'trained' | 'stand-in';
  /** The trained model's folder, when one is used. */
  readonly modelDir?: string;
  /** Why the stand-in is used, for a warning at start-up. */
  readonly warning?: string;
}

export interface ValueSourceChoiceOptions {
  /** `--model DIR`: this trained model suite (an error when it cannot be loaded). */
  readonly modelDir?: string | undefined;
  /** Where `nbg train` writes suites (DATA_DIR/models/<version>/); the latest is used. */
  readonly dataDir: string;
  /** Loads a suite folder as an ActionValueSource (the trained uplift model's). */
  readonly load?: (dir: string) => Promise<ActionValueSource>;
}

/**
 * The trained model when there is one, else the stand-in: `--model DIR` must load (a typo must not
 * silently serve stand-in values); without it the latest complete suite under DATA_DIR/models is
 * used, and when there is none, it does not load, or there is no loader, SyntheticValueSource with a
 * warning that says why.
 */
export async function chooseValueSource(options: ValueSourceChoiceOptions): Promise<ValueSourceChoice> {
  const standIn = (warning: string): ValueSourceChoice => ({
    values: new SyntheticValueSource(),
    modelKind: 'stand-in',
    warning,
  });
  if (options.modelDir !== undefined) {
    if (!existsSync(options.modelDir)) {
      throw new NbgError(ErrorCode.BAD_CONFIG, `--model: ${options.modelDir} does not exist`, {
        hint: 'give a folder written by `nbg train` (DATA_DIR/models/<version>)',
      });
    }
    if (options.load === undefined) {
      throw new NbgError(ErrorCode.BAD_CONFIG, `--model: this build cannot load trained models yet`);
    }
    return { values: await options.load(options.modelDir), modelKind: 'trained', modelDir: options.modelDir };
  }
  const latest = latestSuiteDir(modelsRoot(options.dataDir));
  if (latest === undefined) {
    return standIn(
      `no trained model under ${modelsRoot(options.dataDir)} (run nbg train): recommendations use stand-in values`,
    );
  }
  if (options.load === undefined) {
    return standIn(
      `cannot load the trained model ${latest} in this build: recommendations use stand-in values`,
    );
  }
  try {
    return { values: await options.load(latest), modelKind: 'trained', modelDir: latest };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return standIn(
      `the latest trained model ${latest} does not load (${why}): recommendations use stand-in values`,
    );
  }
}
