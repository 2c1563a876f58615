/**
 * What limits the value of our policy (issue 6; docs/models.md "What limits the value"). On one
 * simulated world (made when missing), trains the exposure model and the uplift learner as `nbg
 * evaluate` does, scores the pairs at D, and compares the estimated uplift with truth/response.csv:
 * - correlation of the estimated and true uplift over the contactable (pair, channel), per product,
 *   per channel and per (hidden) response type; each channel's mean estimate over the mean of all
 *   channels, per segment, beside the truth's;
 * - the true value (over the oracle's) of our policy and of counterfactual policies, all with the
 *   old policy's number of contacts K and the same rules: without the learnt fatigue, our pairs
 *   with the true best channel, the oracle's pairs with our channel, a lower bound (value −
 *   λ·upliftSd·margin), the true uplift plus Gaussian noise of a known size, and (with --ceiling) our
 *   network fitted on the TRUE uplift of the pairs at D (cross-fitted over two client folds): what
 *   these features and this network could reach without outcome noise or logging bias;
 * - where the oracle's value and ours come from (product, segment, response type, channel), and the
 *   estimated against the true value of the pairs we rank first.
 * Prints its tables; it writes nothing (a diagnosis, not a tracked figure).
 *
 * usage: npx tsx bench/models-diagnose.ts [--clients 20000] [--seed 1] [--learner t|dr|x]
 *        [--weighting ips|stabilised] [--horizon 30] [--ceiling]
 */
import { createReadStream } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SEGMENTS } from '../src/domain/enums.js';
import { loadEvaluationWorld } from '../src/evaluate/evaluation-world.js';
import { topPairs } from '../src/evaluate/policies/top-pairs.js';
import { trueValue } from '../src/evaluate/true-value.js';
import type { UpliftExamples } from '../src/features/examples.js';
import { fitEffectNetwork } from '../src/models/network/outcome-networks.js';
import { fitScaling } from '../src/models/network/pair-inputs.js';
import { scoreNetwork } from '../src/models/network/small-network.js';
import { TRAIN_DEFAULTS } from '../src/models/network/train-options.js';
import { type LearnerName, SUITE_DEFAULTS, trainSuite } from '../src/models/suite/model-suite.js';
import { clientFolds, subsetRows } from '../src/models/uplift/dr-learner.js';
import { actionValues } from '../src/models/value/action-value.js';
import { createRng } from '../src/rng.js';
import { type BenchTable, markdownTable } from './lib/report.js';
import { simulatedWorld } from './lib/world.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    learner: { type: 'string', default: SUITE_DEFAULTS.learner },
    weighting: { type: 'string', default: 'ips' },
    horizon: { type: 'string', default: '30' },
    ceiling: { type: 'boolean', default: false },
  },
});
const clients = Number(values.clients);
const seed = Number(values.seed);
const root = join(import.meta.dirname, '..');
const dir = join(root, 'data', `diag-${clients / 1000}k-s${seed}`);
const load: number[] = [];
const sampleLoad = (): void => {
  load.push(loadavg()[0]!);
};
await simulatedWorld({ out: dir, clients, seed });
sampleLoad();

// The truth column's propensities, as bench/models evaluates with them.
const { data, train, rows } = await loadEvaluationWorld(dir, {
  training: { horizonDays: Number(values.horizon) },
});
const suite = await trainSuite(train, {
  learner: values.learner as LearnerName,
  weighting: values.weighting as 'ips' | 'stabilised',
  baselines: ['classic-propensity'],
  seed: 42,
});
sampleLoad();
const av = await actionValues(suite.uplift, rows, { waitDays: [] });
const classic = await (
  suite.others.get('classic-propensity') as unknown as {
    actionValue(r: UpliftExamples): Promise<Float64Array>;
  }
).actionValue(rows);

const n = data.nPairs;
const C = data.nChannels;
const A = data.nActions;
const from = data.channelIds.map((id) => rows.channelIds.indexOf(id));
/** n × C_rows (rows' channel order) → n × C (the dataset's). */
const toData = (a: ArrayLike<number>): Float64Array => {
  const o = new Float64Array(n * C);
  for (let k = 0; k < n; k++) for (let c = 0; c < C; c++) o[k * C + c] = a[k * C + from[c]!]!;
  return o;
};
const margin = (k: number): number => data.unitValue[data.pairProduct[k]!]!;
const pc = toData(av.scores.pContact);
const value = toData(av.value);
const fatigue = toData(av.fatigue);
const sd = av.scores.upliftSd ? toData(av.scores.upliftSd) : undefined;
const tau = new Float64Array(n * C);
const est = new Float64Array(n * C);
const trueV = new Float64Array(n * C);
const estV = new Float64Array(n * C);
for (let k = 0; k < n; k++) {
  for (let c = 0; c < C; c++) {
    const i = k * C + c;
    tau[i] = data.truth.p1[i]! - data.truth.p0[k]!;
    est[i] = pc[i]! - av.scores.pNoContact[k]!;
    trueV[i] = tau[i]! * margin(k) - data.actionCost[c]!;
    estV[i] = est[i]! * margin(k) - data.actionCost[c]!;
  }
}
const TYPES = ['persuadable', 'sure_thing', 'lost_cause', 'sleeping_dog'];
const types = await responseTypes();

/** Each pair's hidden response type, from the extra column of truth/response.csv. */
async function responseTypes(): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  const client = new Map(data.clientIds.map((id, i) => [id, i]));
  const product = new Map(data.productIds.map((id, i) => [id, i]));
  const P = data.productIds.length;
  const pairOf = new Map<number, number>();
  for (let k = 0; k < n; k++) pairOf.set(data.pairClient[k]! * P + data.pairProduct[k]!, k);
  let col = -1;
  for await (const line of createInterface({ input: createReadStream(join(dir, 'truth', 'response.csv')) })) {
    const cells = line.split(',');
    if (col < 0) {
      col = cells.indexOf('response_type');
      if (col < 0)
        throw new Error(`bench/models-diagnose: ${dir}/truth/response.csv has no response_type column`);
      continue;
    }
    const k = pairOf.get(client.get(cells[0]!)! * P + product.get(cells[1]!)!);
    if (k !== undefined) out[k] = TYPES.indexOf(cells[col]!);
  }
  return out;
}

// ---- correlations
const ranks = (a: readonly number[]): Float64Array => {
  const idx = a.map((_, i) => i).sort((i, j) => a[i]! - a[j]!);
  const r = new Float64Array(a.length);
  idx.forEach((i, k) => {
    r[i] = k;
  });
  return r;
};
const pearson = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const N = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < N; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= N;
  mb /= N;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < N; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
};
const mean = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : '');
const select = (keep: (k: number, c: number) => boolean): [number[], number[]] => {
  const a: number[] = [];
  const b: number[] = [];
  for (let k = 0; k < n; k++)
    for (let c = 0; c < C; c++)
      if (data.contactable[k * C + c] && keep(k, c)) {
        a.push(est[k * C + c]!);
        b.push(tau[k * C + c]!);
      }
  return [a, b];
};
const corrRow = (name: string, keep: (k: number, c: number) => boolean): (string | number)[] => {
  const [a, b] = select(keep);
  return [name, a.length, f(pearson(a, b)), f(pearson(ranks(a), ranks(b))), f(mean(a), 5), f(mean(b), 5)];
};
const corrColumns = ['group', '(pair, channel)', 'Pearson', 'Spearman', 'mean estimate', 'mean truth'];
const tables: BenchTable[] = [
  {
    title: `Estimated against true uplift, ${dir} (${suite.uplift.kind})`,
    columns: corrColumns,
    rows: [
      corrRow('all', () => true),
      ...data.productIds.map((p, j) => corrRow(p, (k) => data.pairProduct[k] === j)),
      ...data.channelIds.map((ch, j) => corrRow(ch, (_k, c) => c === j)),
      ...TYPES.map((t, j) => corrRow(t, (k) => types[k] === j)),
    ].filter((r) => Number(r[1]) > 0),
  },
];
{
  const S = SEGMENTS.length;
  const sumT = new Float64Array(S * C);
  const sumE = new Float64Array(S * C);
  const cnt = new Float64Array(S * C);
  for (let k = 0; k < n; k++) {
    const g = data.clientSegment[data.pairClient[k]!]!;
    for (let c = 0; c < C; c++)
      if (data.contactable[k * C + c]) {
        sumT[g * C + c]! += tau[k * C + c]!;
        sumE[g * C + c]! += est[k * C + c]!;
        cnt[g * C + c]! += 1;
      }
  }
  const ratios = (sum: Float64Array, g: number): string => {
    let tot = 0;
    let nn = 0;
    for (let c = 0; c < C; c++) {
      tot += sum[g * C + c]!;
      nn += cnt[g * C + c]!;
    }
    return data.channelIds.map((_, c) => f(sum[g * C + c]! / cnt[g * C + c]! / (tot / nn), 2)).join(' / ');
  };
  tables.push({
    title: `Each channel's mean uplift over the mean of all channels (${data.channelIds.join(' / ')})`,
    columns: ['segment', 'truth', 'estimate'],
    rows: SEGMENTS.map((s, g) => [s, ratios(sumT, g), ratios(sumE, g)]),
  });
}

// ---- policies
const K = data.loggedContacts;
const best = (v: Float64Array): { score: Float64Array; channel: Int32Array } => {
  const score = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const channel = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++)
    for (let c = 0; c < C; c++) {
      const x = v[k * C + c]!;
      if (!data.contactable[k * C + c] || !Number.isFinite(x)) continue;
      if (x > score[k]!) {
        score[k] = x;
        channel[k] = c;
      }
    }
  return { score, channel };
};
const policy = (score: Float64Array, channel: Int32Array): Float64Array =>
  topPairs(data, score, channel, K, { minScore: 0 });
const oracle = best(trueV);
const ours = best(value);
const noFatigue = best(estV);
const policies = new Map<string, Float64Array>([
  ['truth oracle', policy(oracle.score, oracle.channel)],
  ['ours', policy(ours.score, ours.channel)],
  ['ours without the learnt fatigue', policy(noFatigue.score, noFatigue.channel)],
  ['our pairs, the true best channel', policy(noFatigue.score, oracle.channel)],
  ["the oracle's pairs, our channel", policy(oracle.score, noFatigue.channel)],
  [
    'classic per-product propensity',
    (() => {
      const b = best(toData(classic));
      return policy(b.score, b.channel);
    })(),
  ],
]);
if (sd) {
  for (const lambda of [0.5, 1]) {
    const v = new Float64Array(n * C);
    for (let i = 0; i < n * C; i++) v[i] = value[i]! - lambda * sd[i]! * margin(Math.floor(i / C));
    const b = best(v);
    policies.set(`ours, value − ${lambda}·sd·margin`, policy(b.score, b.channel));
  }
}
{
  const [, b] = select(() => true);
  const sdTau = Math.sqrt(mean(b.map((x) => x * x)) - mean(b) ** 2);
  for (const k of [0.5, 1, 2, 4]) {
    const rng = createRng(7).fork(`noise-${k}`);
    const v = new Float64Array(n * C);
    for (let p = 0; p < n; p++)
      for (let c = 0; c < C; c++)
        v[p * C + c] = (tau[p * C + c]! + k * sdTau * rng.normal()) * margin(p) - data.actionCost[c]!;
    const bb = best(v);
    policies.set(`true uplift + noise of sd ${k} × sd(τ)`, policy(bb.score, bb.channel));
  }
}
if (values.ceiling) {
  // our network regressing the TRUE uplift on the decision rows' features, cross-fitted by client
  const Cr = rows.channelIds.length;
  const target = new Float32Array(n * Cr);
  for (let k = 0; k < n; k++)
    for (let c = 0; c < Cr; c++)
      target[k * Cr + c] = tau[k * C + data.channelIds.indexOf(rows.channelIds[c]!)]!;
  const r = { ...rows, weight: new Float32Array(n).fill(1) };
  const scaling = fitScaling(r);
  const fold = clientFolds(r, 2, 7);
  const fitted = new Float32Array(n * Cr);
  for (let g = 0; g < 2; g++) {
    const include = new Uint8Array(n);
    for (let i = 0; i < n; i++) include[i] = fold[i] === g ? 0 : 1;
    const net = await fitEffectNetwork(
      { rows: r, scaling, weights: r.weight, include },
      () => true,
      target,
      undefined,
      { ...TRAIN_DEFAULTS, hidden: 32, epochs: 12, patience: 2 },
      11 + g,
    );
    const held: number[] = [];
    for (let i = 0; i < n; i++) if (fold[i] === g) held.push(i);
    const sub = subsetRows(r, Int32Array.from(held));
    const out = new Float32Array(held.length * Cr);
    scoreNetwork(net.network, scaling, sub.x, sub.xc, sub.product, held.length, out);
    held.forEach((i, e) => {
      fitted.set(out.subarray(e * Cr, (e + 1) * Cr), i * Cr);
    });
  }
  const fv = toData(fitted);
  for (let k = 0; k < n; k++)
    for (let c = 0; c < C; c++) fv[k * C + c] = fv[k * C + c]! * margin(k) - data.actionCost[c]!;
  const b = best(fv);
  policies.set('our network fitted on the TRUE uplift', policy(b.score, b.channel));
}
sampleLoad();
const oracleValue = trueValue(data, policies.get('truth oracle')!).netValue;
const contacted = (pi: Float64Array, k: number): boolean => pi[k * A + A - 1]! < 0.5;
tables.push({
  title: `True value with K = ${K} contacts (the old policy's), same rules`,
  columns: ['policy', 'true net value (EUR)', '/ oracle', 'persuadable share of contacts'],
  rows: [...policies].map(([name, pi]) => {
    let per = 0;
    let cnt = 0;
    for (let k = 0; k < n; k++)
      if (contacted(pi, k)) {
        cnt++;
        if (types[k] === 0) per++;
      }
    const v = trueValue(data, pi).netValue;
    return [name, Math.round(v).toLocaleString('en'), f(v / oracleValue), f(per / Math.max(cnt, 1))];
  }),
});
const breakdown = (title: string, groupOf: (k: number) => number, labels: readonly string[]): BenchTable => ({
  title: `Contacts (true value, EUR) by ${title}`,
  columns: [title, 'pairs', 'oracle', 'ours'],
  rows: labels.map((label, g) => {
    let pairs = 0;
    const cells = ['truth oracle', 'ours'].map((name) => {
      const pi = policies.get(name)!;
      let cnt = 0;
      let v = 0;
      for (let k = 0; k < n; k++) {
        if (groupOf(k) !== g) continue;
        for (let c = 0; c < C; c++)
          if (pi[k * A + c]! > 0) {
            cnt++;
            v += trueV[k * C + c]!;
          }
      }
      return `${cnt} (${Math.round(v).toLocaleString('en')})`;
    });
    for (let k = 0; k < n; k++) if (groupOf(k) === g) pairs++;
    return [label, pairs, ...cells];
  }),
});
tables.push(breakdown('product', (k) => data.pairProduct[k]!, data.productIds));
tables.push(breakdown('segment', (k) => data.clientSegment[data.pairClient[k]!]!, SEGMENTS));
tables.push(breakdown('response type', (k) => types[k]!, TYPES));
{
  const rowsOf = ['truth oracle', 'ours'].map((name) => {
    const pi = policies.get(name)!;
    return data.channelIds.map((_, c) => {
      let cnt = 0;
      let v = 0;
      for (let k = 0; k < n; k++)
        if (pi[k * A + c]! > 0) {
          cnt++;
          v += trueV[k * C + c]!;
        }
      return `${cnt} (${Math.round(v).toLocaleString('en')})`;
    });
  });
  tables.push({
    title: 'Contacts (true value, EUR) by channel',
    columns: ['channel', 'oracle', 'ours'],
    rows: data.channelIds.map((ch, c) => [ch, rowsOf[0]![c]!, rowsOf[1]![c]!]),
  });
}
{
  const ranked: number[] = [];
  for (let k = 0; k < n; k++) if (noFatigue.channel[k]! >= 0) ranked.push(k);
  ranked.sort((a, b) => noFatigue.score[b]! - noFatigue.score[a]!);
  const B = Math.round(K / 2);
  tables.push({
    title: 'Our best pairs in blocks of K/2 (value without fatigue, our channel): estimated against true',
    columns: ['block', 'mean estimated value', 'mean true value', 'mean learnt fatigue', 'persuadable share'],
    rows: [0, 1, 2, 3].map((j) => {
      const blk = ranked.slice(j * B, (j + 1) * B);
      let e = 0;
      let t = 0;
      let fat = 0;
      let per = 0;
      for (const k of blk) {
        const i = k * C + noFatigue.channel[k]!;
        e += estV[i]!;
        t += trueV[i]!;
        fat += fatigue[i]!;
        if (types[k] === 0) per++;
      }
      const m = Math.max(blk.length, 1);
      return [j, f(e / m, 2), f(t / m, 2), f(fat / m, 2), f(per / m)];
    }),
  });
}
for (const t of tables) process.stdout.write(`${markdownTable(t)}\n\n`);
process.stdout.write(
  `${train.n.toLocaleString('en')} training rows; load average ${Math.min(...load).toFixed(1)}-${Math.max(...load).toFixed(1)}\n`,
);
