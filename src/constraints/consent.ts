import { OPT_IN_CHANNELS } from '../domain/enums.js';
import type { ChannelRuleInput, RuleCheck } from './rule.js';

/**
 * Consent per channel: the latest consent decision of the client for the channel must be
 * `granted`. Without any decision the data contract's default applies: granted, except for the
 * opt-in channels (phone, sms), where silence means refused.
 */
export function consent({ client, channel }: ChannelRuleInput): RuleCheck {
  const status = client.consents.get(channel.id);
  if (status === 'granted') {
    return { rule: 'consent', passed: true, reason: `the client granted consent to ${channel.id} contacts` };
  }
  if (status === 'refused') {
    return { rule: 'consent', passed: false, reason: `the client refused ${channel.id} contacts` };
  }
  if (OPT_IN_CHANNELS.has(channel.id)) {
    return {
      rule: 'consent',
      passed: false,
      reason: `no consent recorded for ${channel.id}, an opt-in channel: silence means refused`,
    };
  }
  return {
    rule: 'consent',
    passed: true,
    reason: `no consent recorded for ${channel.id}, an opt-out channel: silence means granted`,
  };
}
