/** Everything broker-config needs to write a server config and apply the broker's resources. */
export interface BrokerSettings {
  /** Directory for secrets, the server config, the account JWTs and the JetStream store. */
  readonly dataDir: string;
  /** Interface the server listens on. */
  readonly host: string;
  /** Client port of the stack's own nats-server. */
  readonly port: number;
  /** Monitoring port (health checks). */
  readonly httpPort: number;
  /** Number of mailbox shards; fixed for the life of a deployment (an identity's shard is hash mod count). */
  readonly shardCount: number;
  /** JetStream file storage the server may use, in bytes. */
  readonly jetStreamMaxFileBytes: number;
  /** JetStream memory storage the server may use, in bytes. */
  readonly jetStreamMaxMemoryBytes: number;
  /** How long a mailbox entry is kept, in milliseconds. */
  readonly mailboxMaxAgeMs: number;
  /** Entries one mailbox may hold; a full mailbox refuses new entries rather than dropping old ones. */
  readonly mailboxMaxEntries: number;
  /** Most client connections the server accepts. */
  readonly maxConnections: number;
  /** Percent of JetStream file storage reserved for the files stream (the mailboxes keep their 80 %). */
  readonly filesStoragePercent: number;
}

/** The defaults of the local stack (docs/settings.md). */
export const defaultBrokerSettings: Omit<BrokerSettings, 'dataDir'> = {
  host: '127.0.0.1',
  port: 14222,
  httpPort: 18222,
  shardCount: 64,
  jetStreamMaxFileBytes: 8 * 1024 ** 3,
  jetStreamMaxMemoryBytes: 256 * 1024 ** 2,
  mailboxMaxAgeMs: 90 * 24 * 3600 * 1000,
  mailboxMaxEntries: 100_000,
  maxConnections: 10_000,
  filesStoragePercent: 15,
};

/** Share of JetStream file storage reserved for the mailbox streams; the rest is for other streams. */
const mailboxStorageShare = 0.8;

/** Bytes each mailbox shard stream may hold (stream byte limits are reserved out of the account's). */
export function mailboxStreamBytes(settings: BrokerSettings): number {
  return Math.floor((settings.jetStreamMaxFileBytes * mailboxStorageShare) / settings.shardCount);
}

/** Bytes the files stream may hold (reserved out of the account's storage like the mailbox shards). */
export function filesStreamBytes(settings: BrokerSettings): number {
  return Math.floor((settings.jetStreamMaxFileBytes * settings.filesStoragePercent) / 100);
}
