import type { Outbox, OutboxEntry, QuotaTiers, SqlStore } from '@enmesh/actor-kit';

/** What the messages actor needs, passed in by the composition root. */
export interface MessagesDeps {
  readonly store: SqlStore;
  /** Publishes a mailbox entry (with its dedup id) and resolves once JetStream stored it. */
  readonly publish: (entry: OutboxEntry) => Promise<unknown>;
  /** Publishes the rare notices that must survive a crash (an undelivered message), after they commit. */
  readonly outbox: Outbox;
  readonly clock: () => number;
  readonly settings: {
    readonly backboneHost: string;
    readonly shardCount: number;
    readonly quotas: QuotaTiers;
  };
}
