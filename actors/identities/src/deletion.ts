import { addressOfToken, type DeviceCaller, type OutboxEntry } from '@enmesh/actor-kit';
import {
  ErrorCodes,
  type IdentityDeletion,
  IdentityDeletionStatus,
  MailboxEntryType,
  mailboxSubject,
  mailboxTypeHeader,
  PeerDeletionStatus,
  ProtocolError,
  randomId,
} from '@enmesh/protocol';
import type { EntityManager } from 'typeorm';
import { type IdentitiesDeps, requireActiveCaller } from './context.js';
import { IdentityEntity, type IdentityRow } from './entities.js';

type PeerStatus = (typeof PeerDeletionStatus)[keyof typeof PeerDeletionStatus];

/** An identity's deletion process in its wire form. */
export function deletionToWire(row: IdentityRow): IdentityDeletion {
  if (row.deletionStartedAt === null || row.deletionDueAt === null) {
    return { status: IdentityDeletionStatus.active };
  }
  return {
    status: IdentityDeletionStatus.toBeDeleted,
    startedAt: new Date(row.deletionStartedAt).toISOString(),
    gracePeriodEndsAt: new Date(row.deletionDueAt).toISOString(),
  };
}

/**
 * The identities an identity has a relationship with that still exists for them (one they decomposed is
 * gone for them, so they are not told).
 * Read-only coupling: reads the relationships actor's table `relationships` (`fromToken`, `toToken`,
 * `decomposedBy`).
 */
export async function peersOf(m: EntityManager, token: string): Promise<string[]> {
  const rows = await m
    .createQueryBuilder()
    .select('rel."fromToken"', 'fromToken')
    .addSelect('rel."toToken"', 'toToken')
    .addSelect('rel."decomposedBy"', 'decomposedBy')
    .from('relationships', 'rel')
    .where('(rel."fromToken" = :token OR rel."toToken" = :token)', { token })
    .getRawMany<{ fromToken: string; toToken: string; decomposedBy: string | null }>();
  const peers = new Set<string>();
  for (const row of rows) {
    const peer = row.fromToken === token ? row.toToken : row.fromToken;
    if (row.decomposedBy !== peer) peers.add(peer);
  }
  return [...peers].sort();
}

/**
 * The mailbox entries that tell every peer what happens to the identity. `eventId` goes into the dedup
 * id: a fresh one per start or cancel (each is a new event), a fixed one for the deletion itself (a re-run
 * of the job publishes each once).
 */
export function peerDeletionEntries(
  deps: IdentitiesDeps,
  identity: IdentityRow,
  peers: readonly string[],
  status: PeerStatus,
  at: number,
  eventId: string,
): OutboxEntry[] {
  const host = deps.settings.backboneHost;
  return peers.map((peer) => ({
    subject: mailboxSubject(peer, deps.settings.shardCount),
    msgId: `del:${identity.token}:${eventId}:${peer}`,
    headers: { [mailboxTypeHeader]: MailboxEntryType.peerDeletionChanged },
    payload: JSON.stringify({
      '@type': MailboxEntryType.peerDeletionChanged,
      peer: addressOfToken(host, identity.token),
      status,
      ...(status === PeerDeletionStatus.toBeDeleted && identity.deletionDueAt !== null
        ? { gracePeriodEndsAt: new Date(identity.deletionDueAt).toISOString() }
        : {}),
      at: new Date(at).toISOString(),
    }),
  }));
}

/** The mailbox entry that tells the identity's own devices that its deletion started or was cancelled. */
function ownDeletionEntry(
  deps: IdentitiesDeps,
  identity: IdentityRow,
  at: number,
  eventId: string,
): OutboxEntry {
  return {
    subject: mailboxSubject(identity.token, deps.settings.shardCount),
    msgId: `del:${identity.token}:${eventId}:own`,
    headers: { [mailboxTypeHeader]: MailboxEntryType.identityDeletionChanged },
    payload: JSON.stringify({
      '@type': MailboxEntryType.identityDeletionChanged,
      deletion: deletionToWire(identity),
      at: new Date(at).toISOString(),
    }),
  };
}

/**
 * Starts the deletion of the caller's identity: from now on it gets zero of every quota, and when the grace
 * period ends the deletion job removes it. Its peers and its other devices are told.
 * @throws ProtocolError `error.identities.deletionAlreadyStarted`.
 */
export async function startDeletion(deps: IdentitiesDeps, caller: DeviceCaller): Promise<IdentityDeletion> {
  await requireActiveCaller(deps, caller);
  const now = deps.clock();
  const identity = await deps.store.transaction(async (m) => {
    const row = await m.getRepository(IdentityEntity).findOneByOrFail({ token: caller.identityToken });
    if (row.deletionStartedAt !== null) {
      throw new ProtocolError(ErrorCodes.identityDeletionAlreadyStarted, 'the deletion is already started', {
        details: { gracePeriodEndsAt: new Date(row.deletionDueAt ?? now).toISOString() },
      });
    }
    row.deletionStartedAt = now;
    row.deletionDueAt = now + deps.settings.deletionGracePeriodMs;
    await m
      .getRepository(IdentityEntity)
      .update({ token: row.token }, { deletionStartedAt: now, deletionDueAt: row.deletionDueAt });
    const peers = await peersOf(m, row.token);
    const eventId = randomId('DEL', 16);
    await deps.outbox.enqueue(m, [
      ownDeletionEntry(deps, row, now, eventId),
      ...peerDeletionEntries(deps, row, peers, PeerDeletionStatus.toBeDeleted, now, eventId),
    ]);
    return row;
  });
  await deps.outbox.flush();
  return deletionToWire(identity);
}

/**
 * Cancels the deletion of the caller's identity within the grace period; peers and devices are told.
 * @throws ProtocolError `error.identities.deletionNotStarted`.
 */
export async function cancelDeletion(deps: IdentitiesDeps, caller: DeviceCaller): Promise<IdentityDeletion> {
  await requireActiveCaller(deps, caller);
  const now = deps.clock();
  const identity = await deps.store.transaction(async (m) => {
    const row = await m.getRepository(IdentityEntity).findOneByOrFail({ token: caller.identityToken });
    if (row.deletionStartedAt === null) {
      throw new ProtocolError(ErrorCodes.identityDeletionNotStarted, 'the identity is not being deleted');
    }
    row.deletionStartedAt = null;
    row.deletionDueAt = null;
    await m
      .getRepository(IdentityEntity)
      .update({ token: row.token }, { deletionStartedAt: null, deletionDueAt: null });
    const peers = await peersOf(m, row.token);
    const eventId = randomId('DEL', 16);
    await deps.outbox.enqueue(m, [
      ownDeletionEntry(deps, row, now, eventId),
      ...peerDeletionEntries(deps, row, peers, PeerDeletionStatus.deletionCancelled, now, eventId),
    ]);
    return row;
  });
  await deps.outbox.flush();
  return deletionToWire(identity);
}

/** Returns the caller's identity's deletion process. */
export async function getDeletion(deps: IdentitiesDeps, caller: DeviceCaller): Promise<IdentityDeletion> {
  const { identity } = await requireActiveCaller(deps, caller);
  return deletionToWire(identity);
}
