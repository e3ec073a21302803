import type { DeviceCaller, Outbox, OutboxEntry, SqlStore } from '@enmesh/actor-kit';
import {
  type DeviceCredentials,
  ErrorCodes,
  fromBase64Url,
  mailboxShard,
  mailboxStreamName,
  mailboxSubject,
  ProtocolError,
  verify,
} from '@enmesh/protocol';
import type { JetStreamManager } from '@nats-io/jetstream';
import { DeviceEntity, type DeviceRow, IdentityEntity, type IdentityRow } from './entities.js';
import type { BrokerPort, IdentitiesSettings } from './ports.js';

/** Everything the identities actor's handlers use, passed in by the composition root. */
export interface IdentitiesDeps {
  readonly store: SqlStore;
  readonly jsm: JetStreamManager;
  readonly broker: BrokerPort;
  /** Publishes the mailbox entries a transaction decided on (deletion events for peers and devices). */
  readonly outbox: Outbox;
  /** Publishes one entry straight to JetStream (no SQL involved) and returns its stream sequence. */
  readonly publish: (entry: OutboxEntry) => Promise<number>;
  readonly settings: IdentitiesSettings;
  /** Milliseconds since the epoch; injected so tests control expiry. */
  readonly clock: () => number;
}

/** The caller's identity and device, both loaded and checked active. */
export interface ActiveCaller {
  readonly identity: IdentityRow;
  readonly device: DeviceRow;
}

/**
 * Loads the calling device and its identity and checks the device is still active. The JWT revocation
 * already keeps revoked devices off the broker; this check also covers the moments before a push lands.
 * @throws ProtocolError `error.protocol.unauthorized` for an unknown or revoked device.
 */
export async function requireActiveCaller(deps: IdentitiesDeps, caller: DeviceCaller): Promise<ActiveCaller> {
  const device = await deps.store.run((m) =>
    m.getRepository(DeviceEntity).findOneBy({ id: caller.deviceKey }),
  );
  if (!device || device.identityToken !== caller.identityToken || device.revokedAt !== null) {
    throw new ProtocolError(ErrorCodes.unauthorized, 'this device is not active');
  }
  const identity = await deps.store.run((m) =>
    m.getRepository(IdentityEntity).findOneBy({ token: caller.identityToken }),
  );
  if (!identity) throw new ProtocolError(ErrorCodes.unauthorized, 'this identity does not exist');
  requireNotDeleted(identity, deps.clock());
  return { identity, device };
}

/**
 * Refuses an identity whose deletion grace period has ended: from then on the deletion job owns it and no
 * device may log in, refresh or call, even before the job has run.
 * @throws ProtocolError `error.identities.inDeletion`.
 */
export function requireNotDeleted(identity: IdentityRow, now: number): void {
  if (identity.deletionDueAt !== null && identity.deletionDueAt <= now) {
    throw new ProtocolError(ErrorCodes.identityInDeletion, 'this identity is being deleted');
  }
}

/**
 * Verifies an Ed25519 signature given in base64url over the given bytes.
 * @throws ProtocolError `error.challenges.invalidSignature` when it does not verify.
 */
export function requireSignature(
  publicKey: Uint8Array,
  input: Uint8Array,
  signature: string,
  what: string,
): void {
  let valid = false;
  try {
    valid = verify(publicKey, input, fromBase64Url(signature));
  } catch {
    valid = false;
  }
  if (!valid) throw new ProtocolError(ErrorCodes.invalidSignature, `the ${what} signature is not valid`);
}

/** Mints the credentials a device connects with. */
export async function issueCredentials(
  deps: IdentitiesDeps,
  identity: IdentityRow,
  deviceKey: string,
): Promise<DeviceCredentials> {
  const expiresAtMs = deps.clock() + deps.settings.deviceJwtLifetimeMs;
  const mailboxStream = mailboxStreamName(identity.shard);
  const jwt = await deps.broker.mintDeviceJwt({
    devicePublicKey: deviceKey,
    identityToken: identity.token,
    mailboxStream,
    expiresAt: Math.floor(expiresAtMs / 1000),
  });
  return {
    address: identity.address,
    deviceId: deviceKey,
    jwt,
    jwtExpiresAt: new Date(Math.floor(expiresAtMs / 1000) * 1000).toISOString(),
    mailboxStream,
    mailboxSubject: mailboxSubject(identity.token, deps.settings.shardCount),
  };
}

/** The mailbox shard of an identity token under these settings. */
export function shardOf(deps: IdentitiesDeps, token: string): number {
  return mailboxShard(token, deps.settings.shardCount);
}
