import type { Outbox, QuotaTiers, SqlStore } from '@enmesh/actor-kit';

/** What the messages actor needs, passed in by the composition root. */
export interface MessagesDeps {
  readonly store: SqlStore;
  /** Publishes the mailbox entries decided in a transaction, after it commits. */
  readonly outbox: Outbox;
  readonly clock: () => number;
  readonly settings: {
    readonly backboneHost: string;
    readonly shardCount: number;
    readonly quotas: QuotaTiers;
  };
}
