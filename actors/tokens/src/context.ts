import type { QuotaTiers, SqlStore } from '@enmesh/actor-kit';

/** What the tokens actor needs, passed in by the composition root. */
export interface TokensDeps {
  readonly store: SqlStore;
  readonly clock: () => number;
  readonly settings: { readonly backboneHost: string; readonly quotas: QuotaTiers };
}
