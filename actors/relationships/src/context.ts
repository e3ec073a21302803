import type { Outbox, QuotaTiers, SqlStore } from '@enmesh/actor-kit';

/** What the relationships actor needs, passed in by the composition root. */
export interface RelationshipsDeps {
  readonly store: SqlStore;
  /** Publishes mailbox events decided in a transaction, after it commits. */
  readonly outbox: Outbox;
  readonly clock: () => number;
  readonly settings: {
    readonly backboneHost: string;
    readonly shardCount: number;
    readonly quotas: QuotaTiers;
  };
}
