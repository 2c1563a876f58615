/**
 * Gathers issue 16's acceptance figures that other benches measure (bench/api.ts, bench/peers-uplift.ts
 * on seeds 101-103, bench/plan-speed.ts) into bench/results/decisions.json again, from their current
 * bench/results/*.json, after one of them ran again: no world is planned, trained or simulated.
 * decisions.json's other keys (and its date: that of its own plans) stay as they are; each gathered
 * key gets its `…Source` or `…Missing` note (bench/lib/gather-acceptance.ts). Prints the gathered
 * table; bench/RESULTS.md is left alone (`npx tsx bench/summary.ts` refreshes its current figures).
 *
 *   npx tsx bench/acceptance.ts
 *
 * A script of its own rather than a flag of bench/decisions.ts, whose top level simulates, trains
 * and plans: this one cannot start any of that by mistake.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatherAcceptance, gatheredTable, resultsReader, withGathered } from './lib/gather-acceptance.js';
import { type Figures, markdownTable, RESULTS_DIR } from './lib/report.js';
import { parseBenchJson } from './lib/summary-table.js';

const file = join(RESULTS_DIR, 'decisions.json');
if (!existsSync(file)) {
  process.stderr.write(
    `bench/acceptance: ${file} not found: run bench/decisions.ts first (it gathers these figures too)\n`,
  );
  process.exit(1);
}
const text = readFileSync(file, 'utf8');
parseBenchJson(text, file); // refuses a file that is not a bench JSON, naming it
// the keys in the file's order (the parser puts date and machine first)
const decisions = JSON.parse(text) as Figures;
const gathered = gatherAcceptance(resultsReader(RESULTS_DIR));
writeFileSync(file, `${JSON.stringify(withGathered(decisions, gathered), null, 2)}\n`);
process.stdout.write(`\n${markdownTable(gatheredTable(gathered))}\n\nWrote ${file}\n`);
