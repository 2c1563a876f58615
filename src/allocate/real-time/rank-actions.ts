import { checkClient } from '../../constraints/check-all.js';
import type { RuleCheck } from '../../constraints/rule.js';
import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientState, PlannedContacts } from '../../domain/client-state.js';
import type { ChannelId, ClientId, ProductId } from '../../domain/ids.js';
import type { Policy } from '../../domain/policy.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type { ExclusionReason } from '../plan-problem.js';

/** A feasible action with its value and every check it passed. */
export interface RankedAction {
  readonly product: ProductId;
  readonly channel: ChannelId;
  /** Expected incremental value, EUR. */
  readonly value: number;
  readonly checks: readonly RuleCheck[];
}

/** An action left out, with every check and the reasons it was left out (never empty). */
export interface ExcludedAction extends RankedAction {
  readonly excludedBy: readonly ExclusionReason[];
}

export interface ClientRanking {
  readonly clientId: ClientId;
  /** Feasible actions with a positive value, best first. */
  readonly actions: readonly RankedAction[];
  readonly excluded: readonly ExcludedAction[];
  /** 'no-contact' when no action is both allowed and worth it. */
  readonly decision: 'contact' | 'no-contact';
  readonly reason: string;
}

export interface RankActionsInput {
  readonly client: ClientState;
  readonly products: readonly ProductInfo[];
  readonly channels: readonly ChannelInfo[];
  readonly policy: Policy;
  /** Decision time, epoch ms. */
  readonly now: number;
  /** Values per action, index p·C + c, EUR (an ActionValueSource's output for this client). */
  readonly values: ArrayLike<number>;
  /** Contacts already planned or suggested for this client (live pressure counters). */
  readonly planned?: PlannedContacts;
  /** Most actions returned in `actions` (default all). */
  readonly limit?: number;
}

/**
 * Real-time ranking for one client: every rule is checked for every (product, channel) (each rule
 * once per product or channel, see checkClient), the actions that pass all of them and have a
 * positive value are ranked by value, the others are returned with the rules that excluded them
 * ('no-positive-value' when the rules pass but contacting is not worth it). When nothing is left the
 * decision is 'no-contact'. Pure: the caller reads the state and scores the actions.
 */
export function rankActions(input: RankActionsInput): ClientRanking {
  const { client, products, channels, policy, now, values } = input;
  const P = products.length;
  const C = channels.length;
  if (values.length !== P * C) {
    throw new NbgError(
      ErrorCode.INTERNAL,
      `allocate/rank-actions: values must have products × channels = ${P * C} entries, got ${values.length}`,
    );
  }
  const cc = checkClient(client, products, channels, policy, now, input.planned);
  const actions: RankedAction[] = [];
  const excluded: ExcludedAction[] = [];
  for (let p = 0; p < P; p++) {
    for (let c = 0; c < C; c++) {
      const value = values[p * C + c]!;
      const checks = [...cc.channel[c]!, ...cc.product[p]!];
      const action = { product: products[p]!.id, channel: channels[c]!.id, value, checks };
      if (cc.productOk[p]! & cc.channelOk[c]!) {
        if (value > 0 && Number.isFinite(value)) actions.push(action);
        else excluded.push({ ...action, excludedBy: ['no-positive-value'] });
      } else {
        excluded.push({ ...action, excludedBy: checks.filter((k) => !k.passed).map((k) => k.rule) });
      }
    }
  }
  actions.sort((a, b) => b.value - a.value);
  const limited = input.limit === undefined ? actions : actions.slice(0, input.limit);
  const best = limited[0];
  return {
    clientId: client.id,
    actions: limited,
    excluded,
    decision: best ? 'contact' : 'no-contact',
    reason: best
      ? `${best.product} via ${best.channel}: expected incremental value ${best.value.toFixed(2)} EUR, all ${best.checks.length} rules passed`
      : `no contact: ${excluded.length} action(s) excluded, none both allowed and worth it`,
  };
}
