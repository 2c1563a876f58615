/** Branded identifiers: a ClientId cannot be passed where a ProductId is expected. */
export type Brand<T, B extends string> = T & { readonly __brand: B };
export type ClientId = Brand<string, 'ClientId'>;
export type ProductId = Brand<string, 'ProductId'>;
export type ChannelId = Brand<string, 'ChannelId'>;
export type CampaignId = Brand<string, 'CampaignId'>;
export type SolicitationId = Brand<string, 'SolicitationId'>;
export type BranchId = Brand<string, 'BranchId'>;
export type AdvisorId = Brand<string, 'AdvisorId'>;
