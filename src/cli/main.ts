import { parseArgs } from 'node:util';
import { runtimeSettings } from '../config.js';
import { ErrorCode, formatIssue, InputError, isNbgError } from '../errors.js';
import { logger, setLogLevel } from '../log.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';

/** Exit codes: 0 ok, 1 failure, 2 bad input or usage, 3 a missing dependency or unavailable service. */
export function exitCodeFor(e: unknown): number {
  if (!isNbgError(e)) return 1;
  switch (e.code) {
    case ErrorCode.BAD_INPUT:
    case ErrorCode.BAD_CONFIG:
    case ErrorCode.INFEASIBLE:
      return 2;
    case ErrorCode.MISSING_DEPENDENCY:
    case ErrorCode.SERVICE_UNAVAILABLE:
      return 3;
    default:
      return 1;
  }
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  return [
    'nbg: NextBestGraph, next best action on a bank knowledge graph',
    '',
    'usage: nbg COMMAND [options]     (nbg help COMMAND for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD (use a running server instead of the embedded one),',
    '             NBG_DATA_DIR (default .nbg), NBG_LOG_LEVEL (warn), NBG_PROGRESS=0 (no progress output).',
  ].join('\n');
}

/** Reports an error for a person: the message, each input issue (at most 50), a hint. */
export function reportError(e: unknown, out: NodeJS.WritableStream = process.stderr): void {
  if (e instanceof InputError) {
    out.write(`nbg: ${e.issues.length} problem(s) in the input:\n`);
    for (const issue of e.issues.slice(0, 50)) out.write(`  ${formatIssue(issue)}\n`);
    if (e.issues.length > 50) out.write(`  ... and ${e.issues.length - 50} more\n`);
  } else if (isNbgError(e)) {
    out.write(`nbg: ${e.message}\n`);
  } else {
    const id = Math.random().toString(36).slice(2, 10);
    logger().error({ err: e, errorId: id }, 'unexpected error');
    out.write(`nbg: unexpected error (id ${id}): ${e instanceof Error ? e.message : String(e)}\n`);
    if (e instanceof Error && e.stack && runtimeSettings().logLevel === 'debug') out.write(`${e.stack}\n`);
  }
  if (isNbgError(e) && e.hint) out.write(`hint: ${e.hint}\n`);
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const which = rest[0] ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write(`${which ? which.usage : help()}\n`);
    return 0;
  }
  const command: Command | undefined = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`nbg: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' }, verbose: { type: 'boolean' } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (e) {
    process.stderr.write(`nbg ${name}: ${e instanceof Error ? e.message : String(e)}\n\n${command.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  if (parsed.values.verbose) setLogLevel('info');
  try {
    return (await command.run({ values: parsed.values, positionals: parsed.positionals })) ?? 0;
  } catch (e) {
    reportError(e);
    return exitCodeFor(e);
  }
}
