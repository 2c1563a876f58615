import type { ParseArgsConfig } from 'node:util';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * One `nbg` sub-command. Commands are thin: parse flags, call one module, show progress and a
 * summary. `run` returns the process exit code (0 when it returns nothing).
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage text shown by `nbg help NAME` (first line: the synopsis). */
  readonly usage: string;
  readonly options: OptionsConfig;
  readonly allowPositionals?: boolean;
  run(args: CommandArgs): Promise<number | undefined>;
}
