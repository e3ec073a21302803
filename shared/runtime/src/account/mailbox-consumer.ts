import type { AuditEntry, Relationship } from '@enmesh/protocol';
import type { AccountEvent } from '@enmesh/transport';
import type { EntityManager } from 'typeorm';
import { messageDto, type RecipientDTO } from '../dto/messages.js';
import { type PeerDeletionInfoDTO, relationshipDto } from '../dto/relationships.js';
import { templateDto } from '../dto/shared-objects.js';
import { TransportEventNames } from '../events/runtime-event.js';
import {
  AccountEntity,
  FileEntity,
  type FileRow,
  MessageEntity,
  type MessageRow,
  RelationshipEntity,
  TemplateEntity,
} from '../storage/entities.js';
import type { StoreTransaction } from '../storage/store.js';
import type { AccountContext } from './context.js';
import { loadFileRow, referenceOfType } from './file-rows.js';
import { findRelationshipRow, removeRelationship, storeRelationship } from './relationship-rows.js';

type EventOf<T extends AccountEvent['type']> = Extract<AccountEvent, { type: T }>;

/** The reactivation steps Enmeshed announces with their own events besides `relationshipChanged`. */
const reactivationEvents: Partial<Record<AuditEntry['reason'], string>> = {
  Reactivation: TransportEventNames.relationshipReactivationRequested,
  AcceptanceOfReactivation: TransportEventNames.relationshipReactivationCompleted,
  RejectionOfReactivation: TransportEventNames.relationshipReactivationCompleted,
  RevocationOfReactivation: TransportEventNames.relationshipReactivationCompleted,
};

const peerDeletionEvents = {
  ToBeDeleted: TransportEventNames.peerToBeDeleted,
  DeletionCancelled: TransportEventNames.peerDeletionCancelled,
  Deleted: TransportEventNames.peerDeleted,
} as const;

/**
 * Applies what the mailbox tells an account to the local storage and numbers the events it causes, in one
 * transaction with the mailbox cursor: after a crash the entry is either wholly applied (and not read
 * again) or not at all (and read again).
 */
export class MailboxConsumer {
  readonly #context: AccountContext;

  /** Serves one account. */
  constructor(context: AccountContext) {
    this.#context = context;
  }

  /**
   * Handles one event of the account, read from the mailbox entry `sequence`.
   * @throws errors of the database or the key store (the entry is then read again after a restart).
   */
  async handle(event: AccountEvent, sequence: number): Promise<void> {
    const context = this.#context;
    // Key store and network first: a transaction never waits for them. Keys change only with relationships.
    if (event.type === 'relationshipChanged') await context.keys.save(context.transport);
    const files = event.type === 'messageReceived' ? await this.#attachments(event) : [];
    await context.store.write(async (tx) => {
      await this.#apply(tx, event, files);
      await this.advanceCursor(tx.manager, sequence);
    });
  }

  /** Moves the stored cursor forward (never back). */
  async advanceCursor(manager: EntityManager, sequence: number): Promise<void> {
    const column = manager.connection.driver.escape('mailboxCursor');
    await manager
      .createQueryBuilder()
      .update(AccountEntity)
      .set({ mailboxCursor: sequence })
      .where(`name = :name AND (${column} IS NULL OR ${column} < :sequence)`, {
        name: this.#context.name,
        sequence,
      })
      .execute();
  }

  async #apply(tx: StoreTransaction, event: AccountEvent, files: readonly FileRow[]): Promise<void> {
    switch (event.type) {
      case 'relationshipChanged':
        return this.#relationshipChanged(tx, event);
      case 'messageReceived':
        return this.#messageReceived(tx, event, files);
      case 'messageSent':
        return this.#messageSent(tx, event);
      case 'messageRejected':
        await tx.emit(this.#context.address, TransportEventNames.messageRejected, {
          id: event.id,
          sender: event.sender,
          reason: event.reason,
        });
        return;
      case 'templateAllocationsExhausted': {
        const row = await tx.manager
          .getRepository(TemplateEntity)
          .findOneBy({ identity: this.#context.address, id: event.templateId });
        const data = row ? templateDto(row) : { id: event.templateId };
        await tx.emit(
          this.#context.address,
          TransportEventNames.relationshipTemplateAllocationsExhausted,
          data,
        );
        return;
      }
      case 'peerDeletionChanged':
        return this.#peerDeletionChanged(tx, event);
      case 'identityDeletionChanged':
        await tx.emit(
          this.#context.address,
          TransportEventNames.identityDeletionProcessStatusChanged,
          identityDeletionDto(event.deletion, event.at),
        );
        return;
      case 'datawalletModified':
        return this.#datawalletModified(tx, event);
      default:
        return this.#other(tx, event as { type: string });
    }
  }

  async #relationshipChanged(tx: StoreTransaction, event: EventOf<'relationshipChanged'>) {
    const context = this.#context;
    const own = context.address;
    const now = context.store.now();
    if (event.relationship) {
      const row = await storeRelationship(tx.manager, context, event.relationship, {
        ...(event.creationContent === undefined ? {} : { creationContent: event.creationContent }),
        now,
      });
      const dto = relationshipDto(row, event.relationship);
      await tx.emit(own, TransportEventNames.relationshipChanged, dto);
      const extra = reactivationEvents[event.change.reason];
      if (extra) await tx.emit(own, extra, dto);
      return;
    }
    // Gone for this identity: it decomposed it, or the peer decomposed it after this identity did.
    const row = await findRelationshipRow(tx.manager, own, event.relationshipId);
    await removeRelationship(tx.manager, own, event.relationshipId, now);
    if (event.change.createdBy === own) {
      await tx.emit(own, TransportEventNames.relationshipDecomposedBySelf, {
        relationshipId: event.relationshipId,
      });
    } else if (row && !row.removed) {
      const last = JSON.parse(row.wire) as Relationship;
      const wire = { ...last, status: event.change.newStatus, auditLog: [...last.auditLog, event.change] };
      await tx.emit(own, TransportEventNames.relationshipChanged, relationshipDto(row, wire));
    }
  }

  /** Loads the metadata of a received message's attachments; those that do not load are left out. */
  async #attachments(event: EventOf<'messageReceived'>): Promise<FileRow[]> {
    const rows: FileRow[] = [];
    for (const reference of event.message.fileReferences) {
      try {
        rows.push(await loadFileRow(this.#context, referenceOfType(reference, ['file'])));
      } catch (error) {
        this.#context.log.warn(
          {
            messageId: event.message.id,
            error: String(error),
          },
          'an attachment could not be loaded',
        );
      }
    }
    return rows;
  }

  async #messageReceived(tx: StoreTransaction, event: EventOf<'messageReceived'>, files: readonly FileRow[]) {
    const own = this.#context.address;
    const messages = tx.manager.getRepository(MessageEntity);
    const message = event.message;
    // A message stored before is a replay across a restart (the transport remembers ids in memory only).
    if (await messages.existsBy({ identity: own, id: message.id })) return;
    const relationships = await this.#relationshipsByPeer(tx.manager);
    const recipients: RecipientDTO[] = message.recipients.map((address) => ({
      address,
      ...(address === own
        ? {
            receivedAt: message.receivedAt,
            receivedByDevice: this.#context.deviceId,
            ...optionalId(relationships.get(message.sender)),
          }
        : {}),
    }));
    const row: MessageRow = {
      identity: own,
      id: message.id,
      isOwn: false,
      createdBy: message.sender,
      createdByDevice: '',
      createdAt: message.receivedAt,
      content: JSON.stringify(message.content ?? null),
      recipients: JSON.stringify(recipients),
      attachments: JSON.stringify(message.attachments),
      fileReferences: JSON.stringify(message.fileReferences),
      wasReadAt: null,
    };
    await messages.insert(row);
    const fileRepository = tx.manager.getRepository(FileEntity);
    for (const file of files) {
      if (!(await fileRepository.existsBy({ identity: own, id: file.id }))) await fileRepository.insert(file);
    }
    await tx.emit(own, TransportEventNames.messageReceived, messageDto(row));
  }

  async #messageSent(tx: StoreTransaction, event: EventOf<'messageSent'>) {
    const own = this.#context.address;
    const messages = tx.manager.getRepository(MessageEntity);
    let row = await messages.findOneBy({ identity: own, id: event.id });
    const pending = this.#context.pendingSends.get(event.id);
    if (!row && pending) {
      row = { ...pending, createdAt: event.createdAt, wasReadAt: event.createdAt };
      await messages.insert(row);
    } else if (!row) {
      // Sent by another device of this identity (or the answer to this device's call was lost).
      const relationships = await this.#relationshipsByPeer(tx.manager);
      row = {
        identity: own,
        id: event.id,
        isOwn: true,
        createdBy: own,
        createdByDevice: '',
        createdAt: event.createdAt,
        content: event.content === undefined ? null : JSON.stringify(event.content),
        recipients: JSON.stringify(
          event.recipients.map((address) => ({ address, ...optionalId(relationships.get(address)) })),
        ),
        attachments: '[]',
        fileReferences: '[]',
        wasReadAt: event.createdAt,
      };
      await messages.insert(row);
    }
    await tx.emit(own, TransportEventNames.messageSent, messageDto(row));
  }

  async #peerDeletionChanged(tx: StoreTransaction, event: EventOf<'peerDeletionChanged'>) {
    const own = this.#context.address;
    const repository = tx.manager.getRepository(RelationshipEntity);
    const rows = await repository.findBy({ identity: own, peer: event.peer, removed: false });
    const info: PeerDeletionInfoDTO | null =
      event.status === 'DeletionCancelled'
        ? null
        : { deletionStatus: event.status, deletionDate: event.gracePeriodEndsAt ?? event.at };
    for (const row of rows) {
      const peerDeletionInfo = info === null ? null : JSON.stringify(info);
      await repository.update({ identity: own, id: row.id }, { peerDeletionInfo });
      await tx.emit(own, peerDeletionEvents[event.status], relationshipDto({ ...row, peerDeletionInfo }));
    }
  }

  async #datawalletModified(tx: StoreTransaction, event: EventOf<'datawalletModified'>) {
    const own = this.#context.address;
    const messages = tx.manager.getRepository(MessageEntity);
    for (const modification of event.modifications) {
      if (modification.collection !== 'messages' || modification.type !== 'set') continue;
      const readAt = modification.fields.readAt;
      if (readAt !== null && typeof readAt !== 'string') continue;
      const row = await messages.findOneBy({ identity: own, id: modification.id });
      if (!row || row.wasReadAt === readAt) continue;
      await messages.update({ identity: own, id: row.id }, { wasReadAt: readAt });
      await tx.emit(
        own,
        TransportEventNames.messageWasReadAtChanged,
        messageDto({ ...row, wasReadAt: readAt }),
      );
    }
    if (event.device !== this.#context.deviceId) {
      await tx.emit(own, TransportEventNames.datawalletSynchronized, {
        device: event.device,
        modifications: event.modifications.length,
      });
    }
  }

  /** Entries of kinds this runtime does not know yet change nothing (the cursor still moves on). */
  async #other(tx: StoreTransaction, event: { type: string; [key: string]: unknown }) {
    if (event.type !== 'messageNotDelivered') {
      this.#context.log.debug({ type: event.type }, 'a mailbox entry of an unknown kind was skipped');
      return;
    }
    const own = this.#context.address;
    const messages = tx.manager.getRepository(MessageEntity);
    const id = String(event.id);
    const row = await messages.findOneBy({ identity: own, id });
    if (row) {
      const recipients = (JSON.parse(row.recipients) as RecipientDTO[]).map((recipient) =>
        recipient.address === event.recipient
          ? { ...recipient, notDelivered: String(event.reason) }
          : recipient,
      );
      await messages.update({ identity: own, id }, { recipients: JSON.stringify(recipients) });
    }
    await tx.emit(own, TransportEventNames.messageNotDelivered, {
      messageId: id,
      recipient: event.recipient,
      reason: event.reason,
    });
  }

  async #relationshipsByPeer(manager: EntityManager): Promise<Map<string, string>> {
    const rows = await manager
      .getRepository(RelationshipEntity)
      .findBy({ identity: this.#context.address, removed: false });
    return new Map(rows.map((row) => [row.peer, row.id]));
  }
}

function optionalId(relationshipId: string | undefined): { relationshipId?: string } {
  return relationshipId === undefined ? {} : { relationshipId };
}

/** An identity's deletion as an Enmeshed `IdentityDeletionProcess`. */
export function identityDeletionDto(
  deletion: { status: string; startedAt?: string; gracePeriodEndsAt?: string },
  at?: string,
) {
  const toBeDeleted = deletion.status === 'ToBeDeleted';
  return {
    status: toBeDeleted ? 'Approved' : 'Cancelled',
    ...(deletion.startedAt ? { createdAt: deletion.startedAt, approvedAt: deletion.startedAt } : {}),
    ...(deletion.gracePeriodEndsAt ? { gracePeriodEndsAt: deletion.gracePeriodEndsAt } : {}),
    ...(!toBeDeleted && at ? { cancelledAt: at } : {}),
  };
}
