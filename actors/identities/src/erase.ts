import { createHash } from 'node:crypto';
import { OutboxEntity } from '@enmesh/actor-kit';
import { mailboxStreamName, mailboxSubject, PeerDeletionStatus } from '@enmesh/protocol';
import { In, IsNull, LessThanOrEqual, Not } from 'typeorm';
import type { IdentitiesDeps } from './context.js';
import { peerDeletionEntries, peersOf } from './deletion.js';
import {
  ChallengeEntity,
  DeletionAuditEntity,
  DeviceEntity,
  IdentityEntity,
  type IdentityRow,
} from './entities.js';
import { revokeDeviceAccess } from './revocations.js';

/** The SHA-256 of an address, hex: the audit entry of a deletion keeps this, never the address. */
export function addressHash(address: string): string {
  return createHash('sha256').update(address).digest('hex');
}

/** Identities whose grace period has ended, oldest first: the deletion job's work list. */
export function dueDeletions(deps: IdentitiesDeps, limit: number): Promise<IdentityRow[]> {
  return deps.store.run((m) =>
    m.getRepository(IdentityEntity).find({
      where: { deletionDueAt: LessThanOrEqual(deps.clock()), deletionStartedAt: Not(IsNull()) },
      order: { deletionDueAt: 'ASC' },
      take: limit,
    }),
  );
}

/**
 * Tells every peer that the identity is deleted. Runs first, while the relationships still say who the
 * peers are; the dedup id is fixed by the due time, so a re-run publishes each once.
 */
export async function announceDeletion(deps: IdentitiesDeps, identity: IdentityRow): Promise<void> {
  const at = identity.deletionDueAt ?? deps.clock();
  await deps.store.transaction(async (m) => {
    const peers = await peersOf(m, identity.token);
    await deps.outbox.enqueue(
      m,
      peerDeletionEntries(deps, identity, peers, PeerDeletionStatus.deleted, at, `deleted:${at}`),
    );
  });
  await deps.outbox.flush();
}

/**
 * Removes what the identities actor holds of an identity, in an order that a crash at any point and a
 * re-run finish: every device revoked (consumer deleted, JWTs refused), the mailbox purged with whatever
 * the outbox still had for it, challenges and devices removed, then the identity row replaced by its
 * hashed audit entry in one transaction. Revocation entries stay until the devices' last JWTs expire: they
 * name device keys, and without them an old JWT would connect.
 */
export async function eraseIdentity(deps: IdentitiesDeps, identity: IdentityRow): Promise<void> {
  const devices = await deps.store.run((m) =>
    m.getRepository(DeviceEntity).findBy({ identityToken: identity.token }),
  );
  for (const device of devices) await revokeDeviceAccess(deps, device.id, identity.shard);
  const subject = mailboxSubject(identity.token, deps.settings.shardCount);
  await deps.store.run((m) => m.getRepository(OutboxEntity).delete({ subject }));
  await deps.jsm.streams.purge(mailboxStreamName(identity.shard), { filter: subject });
  await deps.store.transaction(async (m) => {
    await m.getRepository(ChallengeEntity).delete({ createdBy: identity.address });
    if (devices.length > 0) {
      await m.getRepository(DeviceEntity).delete({ id: In(devices.map((device) => device.id)) });
    }
    await m.getRepository(DeletionAuditEntity).upsert(
      {
        addressHash: addressHash(identity.address),
        startedAt: identity.deletionStartedAt ?? deps.clock(),
        deletedAt: deps.clock(),
      },
      ['addressHash'],
    );
    await m.getRepository(IdentityEntity).delete({ token: identity.token });
  });
}
