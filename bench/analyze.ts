/**
 * Issue 5's acceptance figures in one run: the graph half (bench/analyze-graph.ts, the code `nbg
 * analyze` runs on a 100,000-client world: projection, FastRP 128, exact top-20, Louvain; modularity,
 * persona NMI, held-out holdings AUC against popularity, seconds and peak memory) and the text half
 * (bench/analyze-text.ts: verbatims per second, sentiment against the simulator's per-verbatim truth
 * and on the hand-written fixture). Writes bench/results/analyze.json.
 *
 * usage: npx tsx bench/analyze.ts [--clients 100000] [--no-text] [--no-graph]
 */
import { parseArgs } from 'node:util';
import { measureGraph } from './analyze-graph.js';
import { measureText } from './analyze-text.js';
import { type Figures, reportBench } from './lib/report.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    'no-text': { type: 'boolean', default: false },
    'no-graph': { type: 'boolean', default: false },
  },
});
const KEYS = [
  'modularity',
  'personaNmi',
  'holdingsAuc',
  'popularityAuc',
  'sentimentAccuracySim',
  'sentimentAccuracyFixture',
  'seconds100k',
  'peakRssMb100k',
  'verbatimsPerSecond',
] as const;
const TARGET: Readonly<Record<(typeof KEYS)[number], string>> = {
  modularity: '≥ 0.3',
  personaNmi: '≥ 0.5',
  holdingsAuc: '≥ 0.75 and > popularity',
  popularityAuc: '',
  sentimentAccuracySim: '≥ 0.85',
  sentimentAccuracyFixture: '≥ 0.8',
  seconds100k: '≤ 120',
  peakRssMb100k: '≤ 4,096',
  verbatimsPerSecond: '≥ 33.3 (1,000 in 30 s)',
};
const graph = values['no-graph'] ? {} : await measureGraph({ clients: Number(values.clients) });
const text = values['no-text'] ? {} : await measureText();
const all: Record<string, number> = { ...graph, ...text };
const figures: Figures = { clients: Number(values.clients) };
for (const [k, v] of Object.entries(all)) figures[k] = v;
reportBench(
  'analyze',
  [
    {
      title: 'Graph and text analytics (issue 5 acceptance)',
      columns: ['figure', 'value', 'target'],
      rows: KEYS.map((k) => [
        k,
        all[k] === undefined ? 'not measured' : String(Number(all[k]!.toFixed(4))),
        TARGET[k],
      ]),
    },
  ],
  figures,
);
