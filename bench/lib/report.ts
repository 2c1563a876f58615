import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one way benchmarks report: print a markdown table, append it to bench/RESULTS.md under a
 * heading with the date and the machine, and write the same figures as flat JSON to
 * bench/results/NAME.json.
 */
export interface BenchTable {
  readonly title?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | boolean | null)[])[];
  readonly notes?: readonly string[];
}

export type Figures = Record<string, number | string | boolean | null>;

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
/** bench/results/, where each bench writes its NAME.json. */
export const RESULTS_DIR = join(BENCH_DIR, 'results');

export function machine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown cpu';
  return `${cpu.length} cores (${model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
}

function cell(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en') : v.toPrecision(4);
  return String(v);
}

export function markdownTable(t: BenchTable): string {
  const lines: string[] = [];
  if (t.title) lines.push(`**${t.title}**`, '');
  lines.push(`| ${t.columns.join(' | ')} |`, `|${t.columns.map(() => '---').join('|')}|`);
  for (const r of t.rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
  for (const n of t.notes ?? []) lines.push('', n);
  return lines.join('\n');
}

export function reportBench(name: string, tables: readonly BenchTable[], figures: Figures): void {
  const date = new Date().toISOString().slice(0, 10);
  const text = tables.map(markdownTable).join('\n\n');
  process.stdout.write(`\n${text}\n`);
  const resultsMd = join(BENCH_DIR, 'RESULTS.md');
  if (!existsSync(resultsMd))
    writeFileSync(
      resultsMd,
      '# Benchmark results\n\nNewest runs last. Each section: the benchmark, the date, the machine.\n',
    );
  // The load average over the last 1, 5 and 15 minutes when the run ends: wall-clock figures measured
  // beside other work are slower than on a quiet machine, and the reader must be able to tell.
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  appendFileSync(resultsMd, `\n## ${name}: ${date}, ${machine()}, load ${load}\n\n${text}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    join(RESULTS_DIR, `${name}.json`),
    `${JSON.stringify({ loadAverage: load, ...figures, date, machine: machine() }, null, 2)}\n`,
  );
}

/** Peak resident memory of this process, in MB. */
export function peakRssMbSelf(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Peak resident memory (VmHWM) of another process, in MB, or null when it cannot be read. */
export function peakRssMbOf(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}
