import type { ClientState } from '../domain/client-state.js';
import type { ChannelId } from '../domain/ids.js';
import { DAY_MS } from '../domain/time.js';
import type { ChannelRuleInput, RuleCheck } from './rule.js';
import { DEFAULT_HORIZON_DAYS } from './rule.js';

/**
 * Contact pressure over the horizon: one more contact through `channel` must keep
 * past + planned + 1 ≤ maxContactsPerClient, and the same per channel
 * (maxContactsPerClientPerChannel). Past contacts count when they fall in the last `horizonDays`
 * (default 30) before `now`; planned ones are those already given to this client in the plan or in
 * earlier suggestions. A missing limit means no limit.
 */
export function contactPressure({ client, channel, policy, now, planned }: ChannelRuleInput): RuleCheck {
  const days = policy.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const counts = pastContactCounts(client, days, now);
  const past = counts.total;
  const pastOnChannel = counts.perChannel.get(channel.id) ?? 0;
  const plannedTotal = planned?.total ?? 0;
  const plannedOnChannel = planned?.perChannel.get(channel.id) ?? 0;
  const total = past + plannedTotal;
  const onChannel = pastOnChannel + plannedOnChannel;
  const plannedText = (n: number): string => (n > 0 ? ` and ${n} planned` : '');
  const max = policy.maxContactsPerClient;
  if (max !== undefined && total + 1 > max) {
    return {
      rule: 'contact-pressure',
      passed: false,
      reason: `${past} contact(s) in the last ${days} days${plannedText(plannedTotal)}, the limit is ${max} per client`,
    };
  }
  const maxOnChannel = policy.maxContactsPerClientPerChannel?.[channel.id];
  if (maxOnChannel !== undefined && onChannel + 1 > maxOnChannel) {
    return {
      rule: 'contact-pressure',
      passed: false,
      reason: `${pastOnChannel} ${channel.id} contact(s) in the last ${days} days${plannedText(plannedOnChannel)}, the limit is ${maxOnChannel} per client on ${channel.id}`,
    };
  }
  const limits = [
    max === undefined ? 'no limit per client' : `limit ${max} per client`,
    maxOnChannel === undefined ? `no limit on ${channel.id}` : `limit ${maxOnChannel} on ${channel.id}`,
  ];
  return {
    rule: 'contact-pressure',
    passed: true,
    reason: `${total} contact(s) in the last ${days} days or planned, ${onChannel} on ${channel.id} (${limits.join(', ')})`,
  };
}

/** Past contacts of a client in the window (now − days, now], in total and per channel. */
export function pastContactCounts(
  client: ClientState,
  days: number,
  now: number,
): { total: number; perChannel: Map<ChannelId, number> } {
  const from = now - days * DAY_MS;
  let total = 0;
  const perChannel = new Map<ChannelId, number>();
  for (const c of client.pastContacts) {
    if (c.at > from && c.at <= now) {
      total++;
      perChannel.set(c.channel, (perChannel.get(c.channel) ?? 0) + 1);
    }
  }
  return { total, perChannel };
}
