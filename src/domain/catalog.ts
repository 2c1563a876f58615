import type { ProductFamily, RiskProfile } from './enums.js';
import type { ChannelId, ProductId } from './ids.js';

/** A product as the rules and the allocator see it (products.csv). */
export interface ProductInfo {
  readonly id: ProductId;
  readonly family: ProductFamily;
  readonly isCredit: boolean;
  readonly minAge?: number | undefined;
  readonly maxAge?: number | undefined;
  readonly requiredRiskProfile?: RiskProfile | undefined;
  /** Expected margin of one conversion, EUR. */
  readonly unitValue: number;
}

/** A contact channel (channels.csv). */
export interface ChannelInfo {
  readonly id: ChannelId;
  /** EUR per contact. */
  readonly costPerContact: number;
  /** Contacts per day; undefined = unlimited. */
  readonly dailyCapacity?: number | undefined;
}
