import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { DatasetWorld } from '../../../src/allocate/dataset-world.js';
import { main } from '../../../src/cli/main.js';
import { allPassed, checkAll } from '../../../src/constraints/check-all.js';
import type { PlannedContacts } from '../../../src/domain/client-state.js';
import type { ChannelId } from '../../../src/domain/ids.js';
import type { Policy } from '../../../src/domain/policy.js';
import { DAY_MS } from '../../../src/domain/time.js';

/** What the tests of `nbg plan` read back from a plan CSV and re-check from outside the planner. */
export interface PlanRow {
  readonly client: string;
  readonly product: string;
  readonly channel: string;
  readonly day: string;
  readonly value: number;
  readonly cost: number;
  readonly modelVersion: string;
}

export function readPlan(csv: string): PlanRow[] {
  return readFileSync(csv, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const f = l.split(',');
      return {
        client: f[2]!,
        product: f[3]!,
        channel: f[4]!,
        day: f[5]!,
        value: Number(f[6]),
        cost: Number(f[7]),
        modelVersion: f[8]!,
      };
    });
}

export const actionKey = (r: PlanRow): string => `${r.client}/${r.product}/${r.channel}`;

/** A CSV of the simulated folder as records by column name (its fields hold no commas or quotes). */
export function readRecords(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => {
    const f = l.split(',');
    return Object.fromEntries(cols.map((c, k) => [c, f[k]!]));
  });
}

/**
 * Every way a plan breaks the policy, re-checked from outside the planner: the seven rules of each
 * planned action on the client's state at `now` with the client's earlier planned contacts counted
 * (checkAll), one contact per client and product, consent re-read from consents.csv (the latest
 * decision before `now` is `granted`, or none on an opt-out channel: phone and sms are opt-in), the
 * channel's cost, the scheduled day inside the horizon and under the channel's daily capacity, the
 * product quotas, the budget and the segment-share guard.
 */
export function planBreaks(
  plan: readonly PlanRow[],
  state: DatasetWorld,
  policy: Policy,
  world: string,
  now: number,
): string[] {
  const broken: string[] = [];
  const horizonDays = policy.horizonDays ?? 30;
  const clients = new Map(state.clients.map((c) => [c.id as string, c]));
  const products = new Map(state.products.map((p) => [p.id as string, p]));
  const channels = new Map(state.channels.map((c) => [c.id as string, c]));
  const consent = new Map<string, { at: number; status: string }>();
  for (const r of readRecords(join(world, 'consents.csv'))) {
    const at = Date.parse(r.at!);
    const key = `${r.client_id}/${r.channel_id}`;
    if (at <= now && at >= (consent.get(key)?.at ?? Number.NEGATIVE_INFINITY))
      consent.set(key, { at, status: r.status! });
  }
  const planned = new Map<string, PlannedContacts>();
  const pairs = new Set<string>();
  const perDay = new Map<string, number>();
  const perProduct = new Map<string, number>();
  const perSegment = new Map<string, number>();
  let cost = 0;
  for (const r of plan) {
    const client = clients.get(r.client)!;
    const product = products.get(r.product)!;
    const channel = channels.get(r.channel)!;
    const before = planned.get(r.client) ?? { total: 0, perChannel: new Map<ChannelId, number>() };
    const checks = checkAll({
      client,
      product,
      channel,
      policy: { ...policy, horizonDays },
      now,
      planned: before,
    });
    if (!allPassed(checks))
      broken.push(
        `${actionKey(r)}: ${checks
          .filter((c) => !c.passed)
          .map((c) => c.reason)
          .join('; ')}`,
      );
    planned.set(r.client, {
      total: before.total + 1,
      perChannel: new Map(before.perChannel).set(channel.id, (before.perChannel.get(channel.id) ?? 0) + 1),
    });
    if (pairs.has(`${r.client}/${r.product}`))
      broken.push(`${actionKey(r)}: second contact about the product`);
    pairs.add(`${r.client}/${r.product}`);
    const decision = consent.get(`${r.client}/${r.channel}`)?.status;
    if (decision === undefined ? ['phone', 'sms'].includes(r.channel) : decision !== 'granted')
      broken.push(`${actionKey(r)}: no consent (${decision ?? 'none recorded'})`);
    if (r.cost !== channel.costPerContact) broken.push(`${actionKey(r)}: cost ${r.cost}`);
    const day = (Date.parse(`${r.day}T00:00:00Z`) - now) / DAY_MS;
    if (!(day >= 0 && day < horizonDays)) broken.push(`${actionKey(r)}: scheduled on ${r.day}`);
    const dayKey = `${r.channel}/${r.day}`;
    perDay.set(dayKey, (perDay.get(dayKey) ?? 0) + 1);
    perProduct.set(r.product, (perProduct.get(r.product) ?? 0) + 1);
    perSegment.set(client.segment, (perSegment.get(client.segment) ?? 0) + 1);
    cost += r.cost;
  }
  for (const [key, n] of perDay) {
    const ch = channels.get(key.split('/')[0]!)!;
    const daily = Math.min(policy.channelDailyCapacity?.[ch.id] ?? Infinity, ch.dailyCapacity ?? Infinity);
    if (n > daily) broken.push(`channel capacity ${key}: ${n} > ${daily}`);
  }
  for (const [p, n] of perProduct) {
    const quota = policy.productQuota?.[p];
    if (quota !== undefined && n > quota) broken.push(`product quota ${p}: ${n} > ${quota}`);
  }
  if (cost > (policy.budgetEUR ?? Infinity) + 1e-9) broken.push(`budget: ${cost} > ${policy.budgetEUR}`);
  const ratio = policy.maxSegmentShareRatio ?? Infinity;
  for (const [segment, n] of perSegment) {
    const share = state.clients.filter((c) => c.segment === segment).length / state.clients.length;
    if (n > ratio * share * plan.length + 1e-9)
      broken.push(`segment ${segment}: ${n} of ${plan.length} contacts, ${share} of the clients`);
  }
  return broken;
}

/** The true incremental value of a plan from truth/response.csv: Σ (p_contact − p_no_contact) × unit value − cost. */
export function trueValues(world: string, state: DatasetWorld): (plan: readonly PlanRow[]) => number {
  const uplift = new Map<string, number>();
  for (const r of readRecords(join(world, 'truth', 'response.csv')))
    uplift.set(
      `${r.client_id}/${r.product_id}/${r.channel_id}`,
      Number(r.p_contact) - Number(r.p_no_contact),
    );
  const unitValue = new Map(state.products.map((p) => [p.id as string, p.unitValue]));
  return (plan) =>
    plan.reduce(
      (s, r) => s + (uplift.get(actionKey(r)) ?? Number.NaN) * unitValue.get(r.product)! - r.cost,
      0,
    );
}

/** Runs `nbg ARGS` in this process (no progress bars); returns the exit code and what it printed. */
export async function nbgOutput(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  process.env.NBG_PROGRESS = '0';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
