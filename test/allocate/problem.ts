import { globalLimits } from '../../src/allocate/global-limits.js';
import { NO_LIMIT, type PlanProblem } from '../../src/allocate/plan-problem.js';
import type { ChannelInfo, ProductInfo } from '../../src/domain/catalog.js';
import { SEGMENTS } from '../../src/domain/enums.js';
import type { ChannelId, ClientId, ProductId } from '../../src/domain/ids.js';
import type { Policy } from '../../src/domain/policy.js';

/** A hand-written problem: per client, a list of [product, channel, value]; segments by index. */
export function handProblem(
  clients: { segment: number; acts: [number, number, number][]; maxTotal?: number }[],
  policy: Policy,
  nProducts = 2,
  channelCosts = [1, 1],
): PlanProblem {
  const products: ProductInfo[] = Array.from({ length: nProducts }, (_, p) => ({
    id: `P${p}` as ProductId,
    family: 'savings',
    isCredit: false,
    unitValue: 100,
  }));
  const channels: ChannelInfo[] = channelCosts.map((cost, c) => ({
    id: `CH${c}` as ChannelId,
    costPerContact: cost,
  }));
  const starts = [0];
  const prod: number[] = [];
  const chan: number[] = [];
  const val: number[] = [];
  const counts = new Float64Array(SEGMENTS.length);
  for (const c of clients) {
    counts[c.segment]!++;
    for (const [p, ch, v] of c.acts) {
      prod.push(p);
      chan.push(ch);
      val.push(v);
    }
    starts.push(prod.length);
  }
  return {
    products,
    channels,
    segments: SEGMENTS,
    clientIds: clients.map((_, i) => `C${i}` as ClientId),
    clientSegment: Uint8Array.from(clients.map((c) => c.segment)),
    clientStart: Int32Array.from(starts),
    clientMaxTotal: Int32Array.from(clients.map((c) => c.maxTotal ?? NO_LIMIT)),
    clientMaxPerChannel: undefined,
    actProduct: Uint8Array.from(prod),
    actChannel: Uint8Array.from(chan),
    actValue: Float64Array.from(val),
    limits: globalLimits(policy, products, channels, counts),
    exclusions: {
      consent: 0,
      'contact-pressure': 0,
      'cooldown-after-refusal': 0,
      'fragile-client-credit': 0,
      suitability: 0,
      'age-limits': 0,
      'product-already-held': 0,
      'no-positive-value': 0,
    },
  };
}
