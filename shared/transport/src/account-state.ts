import type { Relationship, RelationshipStatus } from '@enmesh/protocol';
import { DatawalletState } from './datawallet/state.js';
import type { RelationshipKeys } from './relationship-keys.js';

/** Most message ids remembered for replay detection; older ones are covered by the mailbox cursor. */
const maxRememberedMessages = 100_000;

/** A message in this device's local list: received or sent, with its read state. */
export interface StoredMessage {
  readonly id: string;
  readonly direction: 'incoming' | 'outgoing';
  readonly sender: string;
  readonly recipients: readonly string[];
  readonly createdAt: string;
  /** Absent for a sent message whose copy this device could not open. */
  readonly content?: unknown;
  /** When this device's user read it; sent messages count as read. */
  readAt?: string;
}

/**
 * What one device knows locally: its identity's relationships with their keys, and the message ids it has
 * already processed (a replayed message is refused). Kept in memory; the device-sync work persists it.
 */
export class AccountState {
  readonly relationships = new Map<string, Relationship>();
  readonly keys = new Map<string, RelationshipKeys>();
  readonly #seen = new Set<string>();
  /** Received and sent messages by id, oldest first (bounded like the replay memory). */
  readonly messages = new Map<string, StoredMessage>();
  /** What this device shares with the identity's other devices (read state, what it created, later more). */
  readonly datawallet = new DatawalletState();

  /** Adds a message to the local list. */
  putMessage(message: StoredMessage): void {
    this.messages.set(message.id, message);
    if (this.messages.size > maxRememberedMessages) {
      const oldest = this.messages.keys().next().value;
      if (oldest !== undefined) this.messages.delete(oldest);
    }
  }

  /** Records a relationship as last seen (or forgets it when it is gone for this identity). */
  putRelationship(id: string, relationship: Relationship | null): void {
    if (relationship === null) {
      this.relationships.delete(id);
      this.keys.delete(id);
    } else {
      this.relationships.set(id, relationship);
    }
  }

  /** The keys for talking to `peer` over a relationship in one of the given states. */
  keysForPeer(peer: string, states: readonly RelationshipStatus[]): RelationshipKeys | undefined {
    for (const [id, keys] of this.keys) {
      const relationship = this.relationships.get(id);
      if (keys.peer === peer && relationship && states.includes(relationship.status)) return keys;
    }
    return undefined;
  }

  /** Remembers a processed message id; returns false when it was processed before (a replay). */
  markSeen(messageId: string): boolean {
    if (this.#seen.has(messageId)) return false;
    this.#seen.add(messageId);
    if (this.#seen.size > maxRememberedMessages) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    return true;
  }
}
