import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, NbgError } from '../../errors.js';

/**
 * What the launcher says on its standard output: one status line per event,
 * `NBG_NEO4J_<KIND> {json}` (READY with the Bolt port, ERROR with a code, IMPORTED with the import's
 * figures); everything else is Neo4j's own output.
 */
export interface LauncherLine {
  readonly kind: 'READY' | 'ERROR' | 'IMPORTED';
  readonly data: {
    port?: number;
    boltUri?: string;
    pid?: number;
    code?: string;
    message?: string;
    seconds?: number;
    cpuSeconds?: number;
    peakRssMb?: number;
  };
}

/** The status line in `line`, or undefined for any other output. */
export function parseLauncherLine(line: string): LauncherLine | undefined {
  const m = /^NBG_NEO4J_(READY|ERROR|IMPORTED) (\{.*\})\s*$/.exec(line);
  if (!m) return undefined;
  return { kind: m[1] as LauncherLine['kind'], data: JSON.parse(m[2] as string) as LauncherLine['data'] };
}

/** The NbgError of an ERROR line during start-up (a locked store, a taken port, anything else). */
export function startupError(data: LauncherLine['data'], home: string, logFile: string): NbgError {
  const msg = data.message ?? 'unknown error';
  switch (data.code) {
    case 'LOCKED':
      return new NbgError(
        ErrorCode.SERVICE_UNAVAILABLE,
        `the Neo4j data directory ${home} is locked by another Neo4j instance`,
        {
          hint: 'another nbg command or `nbg db start` is using it: stop that one (`nbg db stop`), or point NBG_DATA_DIR elsewhere',
        },
      );
    case 'PORT_IN_USE':
      return new NbgError(ErrorCode.SERVICE_UNAVAILABLE, `cannot start Neo4j: ${msg}`, {
        hint: 'choose another port (--port), or omit it to take a free one',
      });
    default:
      return new NbgError(ErrorCode.SERVICE_UNAVAILABLE, `the embedded Neo4j failed to start: ${msg}`, {
        hint: `see ${logFile} and ${join(home, 'logs', 'debug.log')}`,
      });
  }
}

/**
 * Yields the lines appended to a file after byte `from`, until `done()` and no more data (a
 * detached launcher writes its output to its log file, not to a pipe).
 */
export async function* tailLines(path: string, from: number, done: () => boolean): AsyncGenerator<string> {
  let offset = from;
  let rest = '';
  for (;;) {
    const size = statSync(path).size;
    if (size > offset) {
      const fd = openSync(path, 'r');
      const buf = Buffer.alloc(size - offset);
      readSync(fd, buf, 0, buf.length, offset);
      closeSync(fd);
      offset = size;
      const text = rest + buf.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) yield p;
    } else if (done()) {
      return;
    } else {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
