import { type RuntimeSettings, runtimeSettings } from '../config.js';
import { stopwatch } from '../stopwatch.js';

/**
 * Progress for long work: a redrawn bar on a terminal (stderr), plain lines at most every
 * `intervalMs` otherwise (CI logs). `NBG_PROGRESS=0` silences it.
 */
export interface Progress {
  /** Adds `n` done units. */
  tick(n?: number): void;
  /** Sets the done count. */
  set(done: number): void;
  /** Changes the total (when it becomes known) */
  setTotal(total: number | undefined): void;
  /** Ends the bar with a final line. */
  done(message?: string): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total?: number;
  readonly unit?: string;
  readonly intervalMs?: number;
  readonly stream?: NodeJS.WriteStream;
  /** NBG_PROGRESS and CI; default: runtimeSettings() of the environment at the call. */
  readonly settings?: Pick<RuntimeSettings, 'progress' | 'ci'>;
}

export function progress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const settings = options.settings ?? runtimeSettings();
  const enabled = settings.progress;
  const tty = stream.isTTY === true && !settings.ci;
  const interval = options.intervalMs ?? (tty ? 100 : 5000);
  const unit = options.unit ?? 'rows';
  const sw = stopwatch();
  let total = options.total;
  let doneCount = 0;
  let last = 0;

  const render = (final: boolean): void => {
    if (!enabled) return;
    const secs = sw.seconds();
    const rate = secs > 0 ? Math.round(doneCount / secs) : 0;
    const count = total
      ? `${doneCount.toLocaleString('en')}/${total.toLocaleString('en')}`
      : doneCount.toLocaleString('en');
    if (tty) {
      const width = 24;
      const frac = total ? Math.min(1, doneCount / total) : 0;
      const bar = total ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ` : '';
      stream.write(
        `\r${options.label} ${bar}${count} ${unit} ${rate.toLocaleString('en')}/s ${secs.toFixed(1)}s\x1b[K`,
      );
      if (final) stream.write('\n');
    } else {
      stream.write(
        `${options.label}: ${count} ${unit} (${rate.toLocaleString('en')}/s, ${secs.toFixed(1)}s)\n`,
      );
    }
  };
  const maybe = (): void => {
    const now = Date.now();
    if (now - last >= interval) {
      last = now;
      render(false);
    }
  };
  return {
    tick(n = 1) {
      doneCount += n;
      maybe();
    },
    set(d) {
      doneCount = d;
      maybe();
    },
    setTotal(t) {
      total = t;
    },
    done(message) {
      render(true);
      if (message !== undefined && enabled) stream.write(`${message}\n`);
    },
  };
}
