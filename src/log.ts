import { type Logger, pino } from 'pino';
import { runtimeSettings } from './config.js';

/**
 * The one logger. Quiet by default (warn); `NBG_LOG_LEVEL=info|debug` or `--verbose` raise it.
 * Logs go to stderr as JSON lines so that stdout stays for command output.
 */
let root: Logger | undefined;

export function logger(): Logger {
  root ??= pino({ level: runtimeSettings().logLevel, base: { app: 'nbg' } }, pino.destination(2));
  return root;
}

export function setLogLevel(level: string): void {
  logger().level = level;
}
