import {
  type AuditEntry,
  type IdentityDeletion,
  type MailboxEntryBody,
  mailboxBatchSchema,
  mailboxEntrySchema,
  type Relationship,
  RelationshipStatus,
} from '@enmesh/protocol';
import type { AccountState, StoredMessage } from './account-state.js';
import type { Datawallet } from './datawallet/datawallet.js';
import type { Modification } from './datawallet/state.js';
import { deriveSelfKey } from './exchange-keys.js';
import { bytesToJson } from './json-bytes.js';
import { openIncoming, openSenderCopy, type ReceivedMessage } from './messaging.js';
import { openCreationContent, verifyCreationContent } from './relationship-content.js';
import { deriveKeys } from './relationship-keys.js';
import type { IdentityKeys } from './signing.js';

/** Something that happened to this identity, as its devices learn it from the mailbox. */
export type AccountEvent =
  | {
      type: 'relationshipChanged';
      relationshipId: string;
      relationship: Relationship | null;
      change: AuditEntry;
      creationContent?: unknown;
    }
  | { type: 'messageReceived'; message: ReceivedMessage }
  | { type: 'messageSent'; id: string; recipients: readonly string[]; createdAt: string; content?: unknown }
  | { type: 'messageRejected'; id: string; sender: string; reason: string }
  /** A message this identity sent did not reach one recipient (its mailbox was full); the others got it. */
  | {
      type: 'messageNotDelivered';
      id: string;
      recipient: string;
      reason: 'mailboxFull' | 'refused';
      at: string;
    }
  | { type: 'templateAllocationsExhausted'; templateId: string }
  /** A peer's deletion: ToBeDeleted, then DeletionCancelled or Deleted (its relationships are then gone). */
  | {
      type: 'peerDeletionChanged';
      peer: string;
      status: 'ToBeDeleted' | 'DeletionCancelled' | 'Deleted';
      gracePeriodEndsAt?: string;
      at: string;
    }
  /** A device of this identity changed the shared local state (this device's own pushes come back too). */
  | { type: 'datawalletModified'; device: string; modifications: readonly Modification[] }
  /** This identity's own deletion was started or cancelled, by this or another of its devices. */
  | { type: 'identityDeletionChanged'; deletion: IdentityDeletion; at: string };

/** Records a relationship and derives its keys once, from its verified creation content. */
export function learnRelationship(
  identity: IdentityKeys,
  state: AccountState,
  relationship: Relationship,
): void {
  state.putRelationship(relationship.id, relationship);
  if (!state.keys.has(relationship.id)) {
    const creation = verifyCreationContent(relationship.creationContent, relationship.from);
    state.keys.set(relationship.id, deriveKeys(identity, relationship, creation));
  }
}

/**
 * Processes one mailbox entry on this device: updates the local state (relationships and keys), opens and
 * verifies messages (refusing forgeries and replays), and returns the events for the application, in order:
 * one for most entries, one per element of a batch entry, none for an unreadable entry or a repeat.
 */
export function processMailboxEntry(
  identity: IdentityKeys,
  state: AccountState,
  data: Uint8Array,
  datawallet?: Datawallet,
): AccountEvent[] {
  const json = bytesToJsonSafe(data);
  const batch = mailboxBatchSchema.safeParse(json);
  const bodies = batch.success ? batch.data.entries : [json];
  const events: AccountEvent[] = [];
  for (const body of bodies) {
    const parsed = mailboxEntrySchema.safeParse(body);
    if (!parsed.success) continue;
    const event = processEntryBody(identity, state, parsed.data, datawallet);
    if (event) events.push(event);
  }
  return events;
}

function processEntryBody(
  identity: IdentityKeys,
  state: AccountState,
  body: MailboxEntryBody,
  datawallet?: Datawallet,
): AccountEvent | undefined {
  switch (body['@type']) {
    case 'RelationshipChanged': {
      let creationContent: unknown;
      if (body.relationship) {
        try {
          learnRelationship(identity, state, body.relationship);
          if (body.change.reason === 'Creation' && body.relationship.to === identity.address) {
            creationContent = openCreationContent(
              identity,
              verifyCreationContent(body.relationship.creationContent, body.relationship.from),
            );
          }
        } catch {
          // A request whose content does not verify keeps no keys: nothing can be exchanged over it.
          state.putRelationship(body.relationshipId, body.relationship);
        }
      } else {
        state.putRelationship(body.relationshipId, null);
      }
      return {
        type: 'relationshipChanged',
        relationshipId: body.relationshipId,
        relationship: body.relationship,
        change: body.change,
        ...(creationContent === undefined ? {} : { creationContent }),
      };
    }
    case 'MessageReceived': {
      const delivered = body.message;
      try {
        const states = [RelationshipStatus.active, RelationshipStatus.terminated];
        const message = openIncoming(identity.address, delivered, (peer) => state.keysForPeer(peer, states));
        if (!state.markSeen(message.id)) {
          // The same message again (a send retried after a lost ack, batched differently): already handled.
          if (isRepeat(state.messages.get(message.id), message)) return undefined;
          return {
            type: 'messageRejected',
            id: delivered.id,
            sender: delivered.sender,
            reason: 'replayed',
          };
        }
        state.putMessage({
          id: message.id,
          direction: 'incoming',
          sender: message.sender,
          recipients: message.recipients,
          createdAt: message.createdAt,
          content: message.content,
        });
        return { type: 'messageReceived', message };
      } catch (error) {
        return {
          type: 'messageRejected',
          id: delivered.id,
          sender: delivered.sender,
          reason: (error as Error).message,
        };
      }
    }
    case 'MessageSent': {
      // A copy that came before (published again by a retried send) changes nothing.
      if (!state.markSeen(`sent:${body.message.id}`)) return undefined;
      const copy = body.message.senderCopy;
      const content = copy
        ? openSenderCopy(deriveSelfKey(identity.privateKey), body.message.id, copy)
        : undefined;
      state.putMessage({
        id: body.message.id,
        direction: 'outgoing',
        sender: body.message.sender,
        recipients: body.message.recipients,
        createdAt: body.message.createdAt,
        readAt: body.message.createdAt,
        ...(content === undefined ? {} : { content }),
      });
      return {
        type: 'messageSent',
        id: body.message.id,
        recipients: body.message.recipients,
        createdAt: body.message.createdAt,
        ...(content === undefined ? {} : { content }),
      };
    }
    case 'MessageNotDelivered':
      return {
        type: 'messageNotDelivered',
        id: body.messageId,
        recipient: body.recipient,
        reason: body.reason,
        at: body.at,
      };
    case 'TemplateAllocationsExhausted':
      return { type: 'templateAllocationsExhausted', templateId: body.templateId };
    case 'PeerDeletionChanged': {
      if (body.status === 'Deleted') {
        // Decomposed for this side by the backbone: nothing can be exchanged with the peer any more.
        for (const [id, relationship] of state.relationships) {
          if (relationship.from === body.peer || relationship.to === body.peer)
            state.putRelationship(id, null);
        }
      }
      const { '@type': _type, ...event } = body;
      return { type: 'peerDeletionChanged', ...event };
    }
    case 'DatawalletModified': {
      if (!datawallet) return undefined;
      try {
        const modifications = datawallet.receive(body.id, body.sealed);
        return { type: 'datawalletModified', device: body.device, modifications };
      } catch {
        // Not sealed with this identity's datawallet key: nothing a device of it wrote.
        return undefined;
      }
    }
    case 'IdentityDeletionChanged':
      return { type: 'identityDeletionChanged', deletion: body.deletion, at: body.at };
  }
}

/**
 * Whether `message` repeats the stored incoming message of its id exactly: same sender, time, recipients and
 * content. Anything else under a seen id is a replay.
 */
function isRepeat(stored: StoredMessage | undefined, message: ReceivedMessage): boolean {
  return (
    stored?.direction === 'incoming' &&
    stored.sender === message.sender &&
    stored.createdAt === message.createdAt &&
    stored.recipients.join('\n') === message.recipients.join('\n') &&
    JSON.stringify(stored.content) === JSON.stringify(message.content)
  );
}

function bytesToJsonSafe(data: Uint8Array): unknown {
  try {
    return bytesToJson(data);
  } catch {
    return undefined;
  }
}
