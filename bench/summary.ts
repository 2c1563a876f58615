/**
 * Writes the "Current figures" section at the top of bench/RESULTS.md (between the lines
 * `<!-- current:begin -->` and `<!-- current:end -->`; the log below is left as it is): every
 * headline figure of every bench/results/*.json, its target, met or missed, its date, and `stale`
 * when it is dated before --stale-before. Running it again on the same JSON files gives the same file.
 *
 * The targets come from the acceptance points of the issues named beside them (their text, or the
 * bench's header where an issue's point was worded there). `reported` marks a figure with no target.
 *
 *   npx tsx bench/summary.ts [--stale-before 2026-12-07]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type BenchResult,
  checkIsoDate,
  type FigureTarget,
  parseBenchJson,
  renderSection,
  replaceSection,
  summaryRows,
} from './lib/summary-table.js';

type Figure = Omit<FigureTarget, 'bench' | 'issue'>;

function bench(name: string, issue: number, figures: readonly Figure[]): FigureTarget[] {
  return figures.map((f) => ({ bench: name, issue, ...f }));
}

// Issue 5's graph and text halves: bench/analyze.ts runs both, bench/analyze-graph.ts and
// bench/analyze-text.ts one each, with the same keys.
const GRAPH_HALF: readonly Figure[] = [
  { key: 'modularity', meaning: 'Louvain modularity, client kNN graph (docs/graph.md)', target: '>= 0.3' },
  { key: 'personaNmi', meaning: 'communities against the personas, NMI', target: '>= 0.5' },
  { key: 'holdingsAuc', meaning: 'held-out holding AUC, 20 nearest clients', target: '>= 0.75' },
  { key: 'popularityAuc', meaning: 'popularity baseline AUC (below the kNN one)', target: '< holdingsAuc' },
  {
    key: 'seconds100k',
    meaning: 'projection + Louvain + FastRP 128 + top-20, 100k clients',
    target: '<= 120',
    unit: 's',
  },
  { key: 'peakRssMb100k', meaning: 'peak memory of that pipeline', target: '<= 4096', unit: 'MB' },
];
const TEXT_HALF: readonly Figure[] = [
  { key: 'sentimentAccuracySim', meaning: 'sentiment accuracy, simulated verbatims', target: '>= 0.85' },
  { key: 'sentimentAccuracyFixture', meaning: 'sentiment accuracy, 60 hand-written', target: '>= 0.8' },
  { key: 'secondsFor1000', meaning: '1,000 verbatims embedded', target: '<= 30', unit: 's' },
];

/** The headline figures, by issue. */
const TARGETS: readonly FigureTarget[] = [
  ...bench('ingest', 3, [
    { key: 'rowsPerSecond', meaning: 'ingest end to end, ~2M rows', target: '>= 50000', unit: 'rows/s' },
    { key: 'neo4jReadySeconds', meaning: 'embedded Neo4j answers Bolt', target: '<= 15', unit: 's' },
    { key: 'peakRssMbNode', meaning: "Node's peak memory", target: 'reported', unit: 'MB' },
    { key: 'peakRssMbNeo4j', meaning: "Neo4j's peak memory", target: 'reported', unit: 'MB' },
    { key: 'killRerunCountsMatch', meaning: 'SIGKILL halfway, re-run: same counts', target: '== true' },
    { key: 'killRerunBulkCountsMatch', meaning: 'the same on the bulk path', target: '== true' },
  ]),
  ...bench('simulate', 4, [
    { key: 'seconds100k', meaning: '100k clients, 24 months', target: '<= 60', unit: 's' },
    { key: 'peakRssMb100k', meaning: 'peak memory, 100k clients', target: '<= 2048', unit: 'MB' },
    { key: 'seconds1m', meaning: '1M clients, must complete', target: 'reported', unit: 's' },
  ]),
  ...bench('ope', 4, [
    { key: 'drRelErrorRandom', meaning: 'DR relative error, uniform random', target: '|x| <= 0.05' },
    { key: 'drRelErrorOracle', meaning: 'DR relative error, truth oracle', target: '|x| <= 0.05' },
    { key: 'snipsRelErrorRandom', meaning: 'SNIPS relative error, uniform random', target: '|x| <= 0.05' },
    { key: 'snipsRelErrorOracle', meaning: 'SNIPS relative error, truth oracle', target: '|x| <= 0.05' },
    { key: 'naiveOverOracleValue', meaning: 'naive conversion-rate value / oracle', target: '< 1' },
    { key: 'obpMaxRelDiff', meaning: 'largest relative difference from obp', target: '<= 1e-9' },
  ]),
  ...bench('analyze', 5, [
    ...GRAPH_HALF,
    ...TEXT_HALF,
    { key: 'verbatimsPerSecond', meaning: 'verbatims embedded per second', target: 'reported' },
  ]),
  ...bench('analyze-graph', 5, GRAPH_HALF),
  ...bench('analyze-text', 5, TEXT_HALF),
  ...bench('graph', 5, [
    { key: 'modularityKnn', meaning: 'Louvain modularity, client 20-NN graph', target: '>= 0.3' },
    { key: 'nmiPersonaKnn', meaning: 'its communities against the personas, NMI', target: '>= 0.5' },
    { key: 'aucKnn', meaning: 'held-out holding AUC, 20 nearest clients', target: '>= 0.75' },
    { key: 'aucPopularity', meaning: 'popularity baseline AUC (below the kNN one)', target: '< aucKnn' },
    {
      key: 'modularityClientProduct',
      meaning: 'Louvain modularity, bipartite client–product graph',
      target: 'reported',
    },
    { key: 'seconds', meaning: 'projection + FastRP + top-k + Louvain', target: '<= 120', unit: 's' },
    { key: 'peakRssMb', meaning: 'peak memory', target: '<= 4096', unit: 'MB' },
  ]),
  ...bench('models', 6, [
    { key: 'valueRatioVsClassicMin', meaning: 'true value, ours / classic, worst seed', target: '>= 1.3' },
    { key: 'valueRatioVsOracleMin', meaning: 'ours / truth oracle, worst seed', target: '>= 0.85' },
    {
      key: 'valueRatioVsTypeBlindOracleMin',
      meaning: 'ours / type-blind oracle (proposed restatement)',
      target: 'reported',
    },
    { key: 'auucRatioVsBestPeer', meaning: 'AUUC / best peer, worst seed', target: '>= 0.95' },
    { key: 'drRelErrorOurPolicy', meaning: 'DR relative error on our policy', target: '|x| <= 0.1' },
    {
      key: 'drIntervalCoversTruthSeeds',
      meaning: 'seeds whose DR 95% interval holds the truth (proposed)',
      target: 'reported',
    },
    { key: 'exposureEce', meaning: 'exposure model ECE', target: '<= 0.02' },
    { key: 'hiddenPropensityValueRatio', meaning: 'value, hidden / logged propensities', target: '>= 0.9' },
    { key: 'trainSeconds100k', meaning: 'training on 100k clients', target: '<= 300', unit: 's' },
    { key: 'peakRssMb', meaning: 'peak memory of training', target: '<= 6144', unit: 'MB' },
    { key: 'scoreMsPerClient', meaning: "scoring one client's actions", target: '<= 5', unit: 'ms' },
  ]),
  ...bench('peers-uplift', 6, [
    { key: 'auucRatioVsBestPeer', meaning: 'true-uplift AUUC, ours / best peer', target: '>= 0.95' },
  ]),
  ...bench('exposure', 6, [
    { key: 'exposureEceLogged', meaning: 'exposure ECE, logged propensities', target: '<= 0.02' },
    { key: 'exposureEceHidden', meaning: 'exposure ECE, propensities hidden', target: '<= 0.02' },
  ]),
  ...bench('features', 6, [
    {
      key: 'trainTableSeconds100k',
      meaning: 'read the folder + training table, 100k clients',
      target: '<= 60',
      unit: 's',
    },
    { key: 'trainTableCpuSeconds100k', meaning: 'the same in CPU seconds', target: 'reported', unit: 's' },
    { key: 'peakRssMb', meaning: 'peak memory', target: '<= 2048', unit: 'MB' },
  ]),
  ...bench('uplift', 6, [
    { key: 'tAuuc', meaning: 'T-learner true-uplift AUUC', target: 'reported' },
    { key: 'tValueRatioVsOracle', meaning: 'T-learner value / oracle, top K', target: 'reported' },
    { key: 'drAuuc', meaning: 'DR-learner true-uplift AUUC', target: 'reported' },
    { key: 'xAuuc', meaning: 'X-learner true-uplift AUUC', target: 'reported' },
  ]),
  ...bench('peers-implicit', 6, [
    { key: 'recallAt3Ours', meaning: 'recall@3 of held-out holdings, nbg ALS', target: 'reported' },
    { key: 'recallAt3Implicit', meaning: 'recall@3, implicit ALS', target: 'reported' },
    { key: 'recallAt10Ours', meaning: 'recall@10, nbg ALS', target: 'reported' },
    { key: 'recallAt10Implicit', meaning: 'recall@10, implicit ALS', target: 'reported' },
  ]),
  ...bench('plan', 7, [
    { key: 'lagrangianOverLp', meaning: 'Lagrangian plan / LP optimum, 10k clients', target: '>= 0.99' },
    { key: 'highsSeconds10k', meaning: 'HiGHS on 10k × 12 × 5', target: '<= 120', unit: 's' },
    { key: 'lagrangianSeconds100k', meaning: 'Lagrangian on 100k clients', target: '<= 60', unit: 's' },
    { key: 'peakRssMb100k', meaning: 'its peak memory', target: '<= 4096', unit: 'MB' },
    {
      key: 'lagrangianSeconds1m',
      meaning: 'Lagrangian on 1M clients, must complete',
      target: 'reported',
      unit: 's',
    },
    { key: 'violations', meaning: 'rule or constraint violations', target: '== 0' },
    {
      key: 'loggedMaxShareRatio',
      meaning: "bank's logged targeting, worst segment share ratio",
      target: '> segmentRatioLimit',
    },
    {
      key: 'oursMaxShareRatio',
      meaning: 'our plan, worst segment share ratio',
      target: '<= segmentRatioLimit',
    },
    {
      key: 'valueGivenUpForFairness',
      meaning: 'value given up for the guard',
      target: 'reported',
      unit: 'EUR',
    },
    { key: 'realtimeMsP99', meaning: "one client's real-time ranking, p99", target: '<= 10', unit: 'ms' },
  ]),
  ...bench('decisions', 16, [
    {
      key: 'predictedOverTrueMin',
      meaning: "our plan's announced over true value, lowest report world",
      target: '>= 0.8',
    },
    {
      key: 'predictedOverTrueMax',
      meaning: "our plan's announced over true value, highest report world",
      target: '<= 1.25',
    },
    {
      key: 'channelPredictedOverTrueWorst',
      meaning: 'announced over true of the worst channel with at least 500 planned contacts',
      target: 'reported',
    },
    {
      key: 'negativeValueShareMax',
      meaning: 'share of planned contacts with a negative true value, worst report world',
      target: '<= 0.1',
    },
    {
      key: 'vsClassicDefaultMin',
      meaning: 'our plan over the classic plan, both through nbg plan, default family',
      target: '>= 1.5',
    },
    {
      key: 'vsClassicMildBiasMin',
      meaning: 'our plan over the classic plan, mild-bias family',
      target: '>= 1.05',
    },
    {
      key: 'vsOracleLpMin',
      meaning: "our plan over the oracle's plan under the same rules",
      target: '>= 0.6',
    },
    {
      key: 'typeBlindNegativeShareDefaultMin',
      meaning: "the type-blind oracle's share of money-losing contacts, default family (the floor)",
      target: 'reported',
    },
    {
      key: 'typeBlindNegativeShareMildBiasMax',
      meaning: "the type-blind oracle's share of money-losing contacts, mild-bias family",
      target: 'reported',
    },
    {
      key: 'vsClassicIndependentMin',
      meaning: 'our plan over the classic plan, independent generator worlds',
      target: 'reported',
    },
    // gathered from the benches that measure them, with a …Source or …Missing note each
    { key: 'auucRatioVsBestPeerMin', meaning: 'AUUC / best peer, peers-uplift s101-103', target: '>= 1' },
    { key: 'apiP95Ms', meaning: "api.json's p95 at 300 req/s, report world", target: '<= 30', unit: 'ms' },
    { key: 'apiP99Ms', meaning: "api.json's p99 at 300 req/s, report world", target: '<= 60', unit: 'ms' },
    { key: 'apiRequestsPerSecond', meaning: "api.json's answers/s", target: '>= 300', unit: 'req/s' },
    { key: 'planSeconds100k', meaning: 'plan-speed.json, 100k report world', target: '<= 60', unit: 's' },
    { key: 'planSeconds100kInBench', meaning: 'the plan timed in this bench', target: 'reported', unit: 's' },
  ]),
  ...bench('plan-speed', 16, [
    {
      key: 'planSeconds100k',
      meaning: 'nbg plan --values model, 100k clients, end to end',
      target: '<= 60',
      unit: 's',
    },
    { key: 'cpuSeconds', meaning: 'its CPU time (all threads)', target: 'reported', unit: 's' },
    { key: 'peakRssMb', meaning: 'its peak memory', target: 'reported', unit: 'MB' },
  ]),
  ...bench('realtime', 7, [
    {
      key: 'realtimeMsP99',
      meaning: "one client's ranking with rule checks, p99",
      target: '<= 10',
      unit: 'ms',
    },
    { key: 'realtimeMsP50', meaning: 'the same, p50', target: 'reported', unit: 'ms' },
  ]),
  ...bench('api', 8, [
    { key: 'p95Ms', meaning: 'recommendations p95 at 300 req/s', target: '<= 30', unit: 'ms' },
    { key: 'p99Ms', meaning: 'recommendations p99 at 300 req/s', target: '<= 60', unit: 'ms' },
    { key: 'requestsPerSecond', meaning: 'requests answered per second', target: '>= 300', unit: 'req/s' },
    { key: 'p50Ms', meaning: 'recommendations p50', target: 'reported', unit: 'ms' },
    { key: 'soakErrors', meaning: 'errors in the 10-minute soak', target: '== 0' },
    { key: 'soakMemoryGrowthPct', meaning: 'server memory growth in the soak', target: '< 10', unit: '%' },
    { key: 'outageLostWrites', meaning: 'writes lost silently, Neo4j stopped', target: '== 0' },
    {
      key: 'capacityRequestsPerSecond',
      meaning: 'closed-loop capacity, 50 connections',
      target: 'reported',
      unit: 'req/s',
    },
  ]),
  ...bench('structure', 15, [
    { key: 'filesOver500Lines', meaning: 'source files over 500 lines', target: '== 0' },
    { key: 'functionsOver120Lines', meaning: 'functions over 120 lines', target: '== 0' },
    { key: 'largestFileLines', meaning: 'lines of the largest file', target: 'reported' },
  ]),
];

const { values } = parseArgs({
  options: { 'stale-before': { type: 'string', default: '2026-12-07' } },
});
const staleBefore = values['stale-before']!;
checkIsoDate('--stale-before date', staleBefore);
const benchDir = import.meta.dirname;
const resultsDir = join(benchDir, 'results');
const resultsMd = join(benchDir, 'RESULTS.md');

const results: BenchResult[] = readdirSync(resultsDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({
    name: f.slice(0, -'.json'.length),
    figures: parseBenchJson(readFileSync(join(resultsDir, f), 'utf8'), `bench/results/${f}`),
  }));
const rows = summaryRows(results, TARGETS, staleBefore);
for (const r of rows)
  if (r.issue === null)
    process.stderr.write(
      `bench/summary: ${r.bench}.json has no headline figure in TARGETS; add its figures\n`,
    );
const text = readFileSync(resultsMd, 'utf8');
const next = replaceSection(text, renderSection(rows, staleBefore), 'bench/RESULTS.md');
if (next !== text) writeFileSync(resultsMd, next);
const count = (v: string): number => rows.filter((r) => r.verdict === v).length;
process.stdout.write(
  `bench/RESULTS.md: ${rows.length} figures of ${results.length} JSON files: ${count('met')} met, ` +
    `${count('missed')} missed, ${count('not run')} not run, ${rows.filter((r) => r.stale).length} stale` +
    `${next === text ? ' (unchanged)' : ''}\n`,
);
