/**
 * Batch allocation at scale and the segment-share guard.
 *
 *   npx tsx bench/plan.ts [--exact-clients 10000] [--large-clients 100000] [--huge-clients 1000000]
 *                         [--sim-clients 20000] [--skip-huge] [--seed 7]
 *
 * Parts (each in its own process, so that peak memory is the part's own):
 * - exact: synthetic world of --exact-clients × 12 products × 5 channels; HiGHS LP (time, optimum,
 *   rounded plan) vs the Lagrangian plan (lagrangianOverLp = Lagrangian plan value / LP optimum);
 * - large / huge: the Lagrangian method alone on --large-clients and --huge-clients (time, peak RSS,
 *   gap to its own dual bound);
 * - segment: a world from the simulator (src/simulate) with its policy.json: the bank's logged
 *   targeting over the last horizon and a naive-propensity plan (the classic policy) vs our plan with
 *   maxSegmentShareRatio, valued with the simulator's true uplift; the value given up for fairness is
 *   our plan without the guard minus our plan with it;
 * - realtime: bench/realtime.ts (p99 of one client's ranking).
 * Every plan is checked with verifyPlan and every selected action re-checked against every rule
 * (`violations`, expected 0).
 */

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { classicPlan } from '../src/allocate/classic-plan.js';
import { datasetEvaluationDate, readDatasetWorld } from '../src/allocate/dataset-world.js';
import { exactPlan } from '../src/allocate/exact-plan.js';
import { lagrangianPlan } from '../src/allocate/lagrangian-plan.js';
import type { PlanProblem } from '../src/allocate/plan-problem.js';
import { buildPlanProblem, PlanProblemBuilder } from '../src/allocate/plan-problem-builder.js';
import { SyntheticValueSource } from '../src/allocate/stand-ins/synthetic-value-source.js';
import {
  SYNTHETIC_CHANNELS,
  SYNTHETIC_PRODUCTS,
  syntheticClients,
} from '../src/allocate/stand-ins/synthetic-world.js';
import { TruthValueSource } from '../src/allocate/stand-ins/truth-value-source.js';
import { verifyPlan } from '../src/allocate/verify-plan.js';
import { allPassed, checkAll } from '../src/constraints/check-all.js';
import type { ClientState } from '../src/domain/client-state.js';
import { SEGMENTS } from '../src/domain/enums.js';
import type { Policy } from '../src/domain/policy.js';
import { loadPolicy } from '../src/domain/policy-file.js';
import { DAY_MS } from '../src/domain/time.js';
import { stopwatch } from '../src/stopwatch.js';
import { peakRssMbSelf, reportBench } from './lib/report.js';
import { simulatedWorld } from './lib/world.js';
import { measureRealtime } from './realtime.js';

const NOW = Date.parse('2025-06-15T00:00:00Z');
/** A guard tighter than the simulator's policy, to show what fairness costs when it binds. */
const TIGHT_RATIO = 1.1;

/** The synthetic campaign policy, scaled with the client count (capacities bind, as in a real campaign). */
function syntheticPolicy(n: number): Policy {
  return {
    horizonDays: 30,
    maxContactsPerClient: 2,
    maxContactsPerClientPerChannel: { phone: 1, branch: 1 },
    cooldownDaysAfterRefusal: 90,
    channelDailyCapacity: { phone: Math.ceil(n / 250), branch: Math.ceil(n / 1000) },
    productQuota: { P_MORTGAGE: Math.ceil(n / 100) },
    budgetEUR: n * 1.5,
    noCreditOffersToFragileClients: true,
    suitability: true,
    maxSegmentShareRatio: 1.2,
  };
}

async function syntheticProblem(
  n: number,
  seed: number,
): Promise<{ problem: PlanProblem; buildSeconds: number }> {
  const sw = stopwatch();
  const b = new PlanProblemBuilder({
    policy: syntheticPolicy(n),
    products: SYNTHETIC_PRODUCTS,
    channels: SYNTHETIC_CHANNELS,
    values: new SyntheticValueSource({ seed }),
    now: NOW,
  });
  for (const batch of syntheticClients(n, seed, NOW, 8192)) await b.add(batch);
  return { problem: b.finish(), buildSeconds: sw.seconds() };
}

/** Selected actions that break a rule on the client's state (re-checked from scratch). */
function ruleViolations(
  problem: PlanProblem,
  clients: readonly ClientState[],
  policy: Policy,
  now: number,
  selected: Uint8Array,
): number {
  let bad = 0;
  const byId = new Map(clients.map((c) => [c.id as string, c]));
  for (let i = 0; i < problem.clientIds.length; i++) {
    for (let a = problem.clientStart[i]!; a < problem.clientStart[i + 1]!; a++) {
      if (!selected[a]) continue;
      const checks = checkAll({
        client: byId.get(problem.clientIds[i]!)!,
        product: problem.products[problem.actProduct[a]!]!,
        channel: problem.channels[problem.actChannel[a]!]!,
        policy,
        now,
      });
      if (!allPassed(checks)) bad++;
    }
  }
  return bad;
}

type Json = Record<string, number | string | boolean | null>;

async function partExact(n: number, seed: number): Promise<Json> {
  const { problem, buildSeconds } = await syntheticProblem(n, seed);
  const ex = await exactPlan(problem);
  const lg = lagrangianPlan(problem);
  return {
    clients: n,
    actions: problem.actValue.length,
    buildSeconds,
    highsSeconds: ex.seconds,
    lpOptimum: ex.upperBound,
    highsRounded: ex.plan.value,
    lagrangianSeconds: lg.seconds,
    lagrangianValue: lg.plan.value,
    lagrangianBound: lg.upperBound,
    lagrangianIterations: lg.iterations,
    lagrangianOverLp: lg.plan.value / ex.upperBound,
    violations: verifyPlan(problem, ex.plan.selected).length + verifyPlan(problem, lg.plan.selected).length,
    peakRssMb: peakRssMbSelf(),
  };
}

async function partLagrangian(n: number, seed: number): Promise<Json> {
  const { problem, buildSeconds } = await syntheticProblem(n, seed);
  const lg = lagrangianPlan(problem);
  return {
    clients: n,
    actions: problem.actValue.length,
    buildSeconds,
    lagrangianSeconds: lg.seconds,
    value: lg.plan.value,
    bound: lg.upperBound,
    gap: lg.gap,
    iterations: lg.iterations,
    contacts: lg.plan.contacts,
    violations: verifyPlan(problem, lg.plan.selected).length,
    peakRssMb: peakRssMbSelf(),
  };
}

/** Largest (contact share / client share) over segments of a set of contacts. */
function maxShareRatio(
  segmentOfContact: readonly string[],
  clients: readonly ClientState[],
): { ratio: number; segment: string } {
  const base = new Map<string, number>();
  for (const c of clients) base.set(c.segment, (base.get(c.segment) ?? 0) + 1);
  const got = new Map<string, number>();
  for (const s of segmentOfContact) got.set(s, (got.get(s) ?? 0) + 1);
  let best = { ratio: 0, segment: '' };
  for (const [s, k] of got) {
    const r = k / segmentOfContact.length / ((base.get(s) ?? 0) / clients.length);
    if (r > best.ratio) best = { ratio: r, segment: s };
  }
  return best;
}

async function partSegment(simClients: number, seed: number): Promise<Json> {
  const dir = await simulatedWorld({
    out: join('tmp', `bench-plan-sim-${simClients}-${seed}`),
    clients: simClients,
    seed,
  });
  const now = datasetEvaluationDate(dir)!;
  const world = await readDatasetWorld(dir, now);
  const policy = await loadPolicy(join(dir, 'policy.json'));
  const ratioLimit = policy.maxSegmentShareRatio ?? 1.5;
  const truth = await TruthValueSource.load(dir, world.products, world.channels);
  const P = world.products.length;
  const C = world.channels.length;
  const segOf = new Map(world.clients.map((c) => [c.id as string, c.segment]));
  const trueValue = (problem: PlanProblem, selected: Uint8Array): { value: number; segs: string[] } => {
    const one = new Float64Array(P * C);
    const byId = new Map(world.clients.map((c) => [c.id as string, c]));
    let value = 0;
    const segs: string[] = [];
    for (let i = 0; i < problem.clientIds.length; i++) {
      let scored = false;
      for (let a = problem.clientStart[i]!; a < problem.clientStart[i + 1]!; a++) {
        if (!selected[a]) continue;
        if (!scored) {
          truth.score([byId.get(problem.clientIds[i]!)!], world.products, world.channels, one);
          scored = true;
        }
        value += one[problem.actProduct[a]! * C + problem.actChannel[a]!]!;
        segs.push(segOf.get(problem.clientIds[i]!)!);
      }
    }
    return { value, segs };
  };
  const base = { products: world.products, channels: world.channels, now };
  // 1. the bank's logged targeting over the last horizon (solicitations.csv)
  const horizonMs = (policy.horizonDays ?? 30) * DAY_MS;
  const logged: string[] = [];
  for (const c of world.clients)
    for (const k of c.pastContacts) if (k.at > now - horizonMs) logged.push(c.segment);
  const loggedShare = maxShareRatio(logged, world.clients);
  // 2. the classic plan: naive propensity ranking under the same rules and limits, no guard
  const naive = { name: 'naive', modelVersion: 'naive', score: truth.naivePropensity.bind(truth) };
  const pn = await buildPlanProblem(world.clients, { ...base, policy, values: naive });
  const classic = classicPlan(pn);
  const classicTrue = trueValue(pn, classic.selected);
  const classicShare = maxShareRatio(classicTrue.segs, world.clients);
  // 3. our plan with and without the guard (uplift values)
  const guarded = await buildPlanProblem(world.clients, { ...base, policy, values: truth });
  const free = await buildPlanProblem(world.clients, {
    ...base,
    policy: { ...policy, maxSegmentShareRatio: undefined },
    values: truth,
  });
  const ours = guarded.actValue.length <= 250_000 ? await exactPlan(guarded) : lagrangianPlan(guarded);
  const oursFree = free.actValue.length <= 250_000 ? await exactPlan(free) : lagrangianPlan(free);
  const oursShare = maxShareRatio(trueValue(guarded, ours.plan.selected).segs, world.clients);
  // the same at a tighter guard, where it binds on this world: what fairness costs
  const tight = await buildPlanProblem(world.clients, {
    ...base,
    policy: { ...policy, maxSegmentShareRatio: TIGHT_RATIO },
    values: truth,
  });
  const oursTight = tight.actValue.length <= 250_000 ? await exactPlan(tight) : lagrangianPlan(tight);
  const tightShare = maxShareRatio(trueValue(tight, oursTight.plan.selected).segs, world.clients);
  const violations =
    verifyPlan(guarded, ours.plan.selected).length +
    verifyPlan(free, oursFree.plan.selected).length +
    verifyPlan(tight, oursTight.plan.selected).length +
    ruleViolations(guarded, world.clients, policy, now, ours.plan.selected) +
    ruleViolations(pn, world.clients, policy, now, classic.selected);
  return {
    simClients,
    ratioLimit,
    loggedContacts: logged.length,
    loggedMaxShareRatio: loggedShare.ratio,
    loggedWorstSegment: loggedShare.segment,
    classicContacts: classic.contacts,
    classicMaxShareRatio: classicShare.ratio,
    classicWorstSegment: classicShare.segment,
    classicTrueValue: classicTrue.value,
    oursContacts: ours.plan.contacts,
    oursMaxShareRatio: oursShare.ratio,
    oursWorstSegment: oursShare.segment,
    oursValue: ours.plan.value,
    oursUnguardedValue: oursFree.plan.value,
    valueGivenUpForFairness: oursFree.plan.value - ours.plan.value,
    tightRatio: TIGHT_RATIO,
    oursTightContacts: oursTight.plan.contacts,
    oursTightMaxShareRatio: tightShare.ratio,
    oursTightValue: oursTight.plan.value,
    valueGivenUpAtTightRatio: oursFree.plan.value - oursTight.plan.value,
    violations,
    segments: SEGMENTS.join(' '),
  };
}

async function runPart(part: string, n: number, seed: number): Promise<Json> {
  if (part === 'exact') return partExact(n, seed);
  if (part === 'segment') return partSegment(n, seed);
  return partLagrangian(n, seed);
}

/** Runs a part in a child process (same loader flags) and returns its JSON line. */
function child(part: string, n: number, seed: number): Json {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, script, '--part', part, '--n', String(n), '--seed', String(seed)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=8192`.trim(),
      },
    },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`bench/plan: part ${part} (${n}) failed with status ${r.status}`);
  const json = JSON.parse(line) as Json;
  process.stderr.write(`bench/plan: ${part} ${n}: ${line}\n`);
  return json;
}

const { values } = parseArgs({
  options: {
    part: { type: 'string' },
    n: { type: 'string' },
    seed: { type: 'string' },
    'exact-clients': { type: 'string' },
    'large-clients': { type: 'string' },
    'huge-clients': { type: 'string' },
    'sim-clients': { type: 'string' },
    'skip-huge': { type: 'boolean' },
  },
});
const seed = Number(values.seed ?? 7);
if (values.part !== undefined) {
  const out = await runPart(values.part, Number(values.n), seed);
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  const nExact = Number(values['exact-clients'] ?? 10_000);
  const nLarge = Number(values['large-clients'] ?? 100_000);
  const nHuge = Number(values['huge-clients'] ?? 1_000_000);
  const nSim = Number(values['sim-clients'] ?? 20_000);
  const ex = child('exact', nExact, seed);
  const large = child('large', nLarge, seed);
  const huge = values['skip-huge'] ? undefined : child('huge', nHuge, seed);
  const seg = child('segment', nSim, seed);
  const rt = measureRealtime(2000, 20_000, seed);
  const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
  const violations =
    num(ex.violations) + num(large.violations) + (huge ? num(huge.violations) : 0) + num(seg.violations);
  reportBench(
    'plan',
    [
      {
        title: `Exact LP (HiGHS) vs Lagrangian: ${nExact.toLocaleString('en')} clients × 12 products × 5 channels`,
        columns: ['method', 'seconds', 'plan value EUR', 'LP optimum EUR', 'plan / LP'],
        rows: [
          [
            'HiGHS LP + rounding',
            num(ex.highsSeconds),
            num(ex.highsRounded),
            num(ex.lpOptimum),
            num(ex.highsRounded) / num(ex.lpOptimum),
          ],
          [
            'Lagrangian',
            num(ex.lagrangianSeconds),
            num(ex.lagrangianValue),
            num(ex.lpOptimum),
            num(ex.lagrangianOverLp),
          ],
        ],
        notes: [
          `${num(ex.actions).toLocaleString('en')} allowed actions with a positive value; problem built in ${num(ex.buildSeconds).toFixed(1)} s.`,
        ],
      },
      {
        title: 'Lagrangian at scale (12 products × 5 channels)',
        columns: [
          'clients',
          'actions',
          'build s',
          'solve s',
          'iterations',
          'gap to dual bound',
          'peak RSS MB',
          'violations',
        ],
        rows: [large, ...(huge ? [huge] : [])].map((r) => [
          num(r.clients),
          num(r.actions),
          num(r.buildSeconds),
          num(r.lagrangianSeconds),
          num(r.iterations),
          num(r.gap),
          num(r.peakRssMb),
          num(r.violations),
        ]),
      },
      {
        title: `Segment-share guard on a simulated world (${nSim.toLocaleString('en')} clients, maxSegmentShareRatio ${seg.ratioLimit})`,
        columns: ['policy', 'contacts', 'largest contact share / client share', 'segment', 'true value EUR'],
        rows: [
          [
            'bank targeting logged over the last horizon',
            num(seg.loggedContacts),
            num(seg.loggedMaxShareRatio),
            String(seg.loggedWorstSegment),
            null,
          ],
          [
            'classic: naive propensity, no guard',
            num(seg.classicContacts),
            num(seg.classicMaxShareRatio),
            String(seg.classicWorstSegment),
            num(seg.classicTrueValue),
          ],
          [
            'our plan with the guard',
            num(seg.oursContacts),
            num(seg.oursMaxShareRatio),
            String(seg.oursWorstSegment),
            num(seg.oursValue),
          ],
          ['our plan without the guard', null, null, null, num(seg.oursUnguardedValue)],
          [
            `our plan, guard tightened to ${seg.tightRatio}`,
            num(seg.oursTightContacts),
            num(seg.oursTightMaxShareRatio),
            null,
            num(seg.oursTightValue),
          ],
        ],
        notes: [
          `Value given up for fairness: ${num(seg.valueGivenUpForFairness).toFixed(0)} EUR at the policy's ratio ${seg.ratioLimit}, ${num(seg.valueGivenUpAtTightRatio).toFixed(0)} EUR at ${seg.tightRatio}.`,
          'The classic plan spends the budget on costly branch and phone contacts of high-propensity clients, hence few contacts and little true value.',
        ],
      },
      {
        title: 'Real-time ranking of one client (scoring excluded)',
        columns: ['requests', 'p50 ms', 'p99 ms', 'max ms'],
        rows: [[rt.requests, rt.p50Ms, rt.p99Ms, rt.maxMs]],
      },
    ],
    {
      lagrangianOverLp: num(ex.lagrangianOverLp),
      highsSeconds10k: num(ex.highsSeconds),
      lagrangianSeconds100k: num(large.lagrangianSeconds),
      lagrangianBuildSeconds100k: num(large.buildSeconds),
      peakRssMb100k: num(large.peakRssMb),
      lagrangianSeconds1m: huge ? num(huge.lagrangianSeconds) : null,
      lagrangianBuildSeconds1m: huge ? num(huge.buildSeconds) : null,
      peakRssMb1m: huge ? num(huge.peakRssMb) : null,
      violations,
      loggedMaxShareRatio: num(seg.loggedMaxShareRatio),
      classicMaxShareRatio: num(seg.classicMaxShareRatio),
      oursMaxShareRatio: num(seg.oursMaxShareRatio),
      segmentRatioLimit: num(seg.ratioLimit),
      valueGivenUpForFairness: num(seg.valueGivenUpForFairness),
      valueGivenUpAtTightRatio: num(seg.valueGivenUpAtTightRatio),
      realtimeMsP99: rt.p99Ms,
    },
  );
}
