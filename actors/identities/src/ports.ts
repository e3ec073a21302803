import type { QuotaTiers } from '@enmesh/actor-kit';
import type { ConsumerConfig } from '@nats-io/jetstream';

/**
 * What the identities actor needs from the broker, passed in by the composition root (the actor never
 * holds account keys itself, and never imports broker-config).
 */
export interface BrokerPort {
  /** Mints a device JWT carrying the identity and mailbox tags; `expiresAt` in unix seconds. */
  mintDeviceJwt(input: {
    devicePublicKey: string;
    identityToken: string;
    mailboxStream: string;
    expiresAt: number;
  }): Promise<string>;
  /** Replaces the device account's revocation list (device key → unix seconds) on the server. */
  pushRevocations(revocations: Readonly<Record<string, number>>): Promise<void>;
  /** The declared config of a device's mailbox consumer. */
  deviceConsumerConfig(input: {
    devicePublicKey: string;
    mailboxSubject: string;
    startSequence: number;
    inactiveMs: number;
  }): Partial<ConsumerConfig>;
}

/** Settings of the identities actor. */
export interface IdentitiesSettings {
  /** Host part of the identity addresses this backbone issues. */
  readonly backboneHost: string;
  /** Number of mailbox shards (must match broker-config). */
  readonly shardCount: number;
  /** How long a device JWT is valid; a device logs in again with its key for a fresh one. */
  readonly deviceJwtLifetimeMs: number;
  /** How long a device's mailbox consumer survives without a pull. */
  readonly mailboxInactiveMs: number;
  /** What each identity may hold, per tier (here: devices). */
  readonly quotas: QuotaTiers;
  /** Time between starting an identity's deletion and the deletion. */
  readonly deletionGracePeriodMs: number;
}
