import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientState } from '../../domain/client-state.js';

/** The parts of an action's value, in EUR (and the probabilities behind them), when known. */
export interface ValueParts {
  /** P(convert | contact) − P(convert | no contact). */
  readonly uplift: number;
  /** Margin of one conversion, EUR. */
  readonly margin: number;
  /** Cost of the contact, EUR. */
  readonly cost: number;
  /** Fatigue cost of one more contact, EUR. */
  readonly fatigue: number;
  /** P(convert | contact) as a naive per-product propensity model would rank it (for comparisons). */
  readonly propensity?: number;
  /**
   * How the exposure model corrects that propensity: debiased P(convert | contact) ÷ propensity
   * (1, or absent, when there is no exposure model).
   */
  readonly exposureCorrection?: number;
}

/**
 * Where the allocator gets the worth of each action: the expected incremental value in EUR of
 * contacting a client about a product through a channel, value = uplift × margin − cost − fatigue.
 * The trained uplift models implement it; tests, benchmarks and `nbg plan` (until the models land)
 * use SyntheticValueSource.
 *
 * `score` fills `out` (length clients × products × channels, index (i·P + p)·C + c) for a batch of
 * clients, so a model can score a batch at once.
 */
export interface ActionValueSource {
  readonly name: string;
  /** Version of the model behind the values, written on every recommendation. */
  readonly modelVersion: string;
  score(
    clients: readonly ClientState[],
    products: readonly ProductInfo[],
    channels: readonly ChannelInfo[],
    out: Float64Array,
  ): void | Promise<void>;
  /** The decomposition of one action's value, for explanations; optional. */
  parts?(client: ClientState, product: ProductInfo, channel: ChannelInfo): ValueParts | undefined;
}
