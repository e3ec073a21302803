import type { Relationship } from '@enmesh/protocol';
import type { EntityManager } from 'typeorm';
import { peerOf, requestorPublicKey } from '../dto/relationships.js';
import {
  MessageEntity,
  RelationshipEntity,
  type RelationshipRow,
  TemplateEntity,
  TokenEntity,
} from '../storage/entities.js';
import type { AccountContext } from './context.js';

/** Reads one relationship row of the account, removed ones included. */
export function findRelationshipRow(
  manager: EntityManager,
  identity: string,
  id: string,
): Promise<RelationshipRow | null> {
  return manager.getRepository(RelationshipEntity).findOneBy({ identity, id });
}

/**
 * Stores a relationship as the backbone reported it, unless what is stored is newer (a longer audit log)
 * or was removed (decomposed) already: answers of calls and mailbox entries may arrive in either order.
 * Returns the row as it now stands.
 */
export async function storeRelationship(
  manager: EntityManager,
  context: AccountContext,
  wire: Relationship,
  options: { creationContent?: unknown; now: string },
): Promise<RelationshipRow> {
  const repository = manager.getRepository(RelationshipEntity);
  const existing = await repository.findOneBy({ identity: context.address, id: wire.id });
  const creationContent =
    options.creationContent === undefined ? null : JSON.stringify(options.creationContent);
  if (existing) {
    if (existing.removed || wire.auditLog.length < existing.auditLength) return existing;
    const update: Partial<RelationshipRow> = {
      status: wire.status,
      wire: JSON.stringify(wire),
      auditLength: wire.auditLog.length,
      updatedAt: options.now,
      ...(existing.creationContent === null && creationContent !== null ? { creationContent } : {}),
    };
    await repository.update({ identity: context.address, id: wire.id }, update);
    return { ...existing, ...update };
  }
  const own = context.address;
  const pending = context.pendingCreations.get(wire.templateId);
  const row: RelationshipRow = {
    identity: own,
    id: wire.id,
    templateId: wire.templateId,
    peer: peerOf(wire, own),
    peerPublicKey:
      wire.to === own ? (requestorPublicKey(wire) ?? null) : await templatorKey(manager, own, wire),
    status: wire.status,
    wire: JSON.stringify(wire),
    auditLength: wire.auditLog.length,
    creationContent:
      creationContent ?? (wire.from === own && pending !== undefined ? JSON.stringify(pending) : null),
    peerDeletionInfo: null,
    removed: false,
    updatedAt: options.now,
  };
  await repository.insert(row);
  return row;
}

async function templatorKey(manager: EntityManager, own: string, wire: Relationship) {
  const template = await manager
    .getRepository(TemplateEntity)
    .findOneBy({ identity: own, id: wire.templateId });
  return template?.creatorPublicKey ?? null;
}

/**
 * Marks a relationship removed for this identity (decomposed); the row stays as a tombstone. As in
 * Enmeshed, what was exchanged with the peer over it goes too: the messages between the two (a message to
 * several recipients stays), the peer's template it came from, and the peer's tokens.
 */
export async function removeRelationship(
  manager: EntityManager,
  identity: string,
  id: string,
  now: string,
): Promise<void> {
  const relationships = manager.getRepository(RelationshipEntity);
  const row = await relationships.findOneBy({ identity, id });
  if (!row || row.removed) return;
  await relationships.update({ identity, id }, { removed: true, updatedAt: now });
  const peer = row.peer;
  const messages = manager.getRepository(MessageEntity);
  const exchanged = await messages.find({
    where: [
      { identity, createdBy: peer },
      { identity, isOwn: true },
    ],
  });
  const between = exchanged.filter((message) => {
    const recipients = JSON.parse(message.recipients) as { address: string }[];
    return message.isOwn
      ? recipients.length === 1 && recipients[0]?.address === peer
      : recipients.length === 1;
  });
  if (between.length > 0) await messages.delete(between.map((message) => ({ identity, id: message.id })));
  await manager.getRepository(TemplateEntity).delete({ identity, id: row.templateId, isOwn: false });
  await manager.getRepository(TokenEntity).delete({ identity, createdBy: peer, isOwn: false });
}
