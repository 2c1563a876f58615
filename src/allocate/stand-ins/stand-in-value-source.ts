import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientState } from '../../domain/client-state.js';
import type { ActionValueSource, ValueParts } from '../value-sources/action-value-source.js';

/**
 * What the stand-in value sources share: one loop (`fill`) gives either the action values or, with
 * `naive`, the propensity P(convert | contacted) that a per-product model trained on a biased log
 * would rank by, in the same layout (index (i·P + p)·C + c), so that benchmarks can run the
 * "classic" policy beside the uplift one.
 */
export abstract class StandInValueSource implements ActionValueSource {
  abstract readonly name: string;
  abstract readonly modelVersion: string;

  protected abstract fill(
    clients: readonly ClientState[],
    products: readonly ProductInfo[],
    channels: readonly ChannelInfo[],
    out: Float64Array,
    naive: boolean,
  ): void;

  abstract parts(client: ClientState, product: ProductInfo, channel: ChannelInfo): ValueParts | undefined;

  score(
    clients: readonly ClientState[],
    products: readonly ProductInfo[],
    channels: readonly ChannelInfo[],
    out: Float64Array,
  ): void {
    this.fill(clients, products, channels, out, false);
  }

  /** The naive propensity of every action (same layout as score). */
  naivePropensity(
    clients: readonly ClientState[],
    products: readonly ProductInfo[],
    channels: readonly ChannelInfo[],
    out: Float64Array,
  ): void {
    this.fill(clients, products, channels, out, true);
  }
}
