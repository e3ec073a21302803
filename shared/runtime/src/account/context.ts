import type { KeyStore, TransportAccount } from '@enmesh/transport';
import type { RuntimeLogger } from '../events/logger.js';
import type { MessageRow } from '../storage/entities.js';
import type { RuntimeStore } from '../storage/store.js';
import type { RelationshipKeysStore } from './relationship-keys-store.js';

/** What the services and the mailbox consumer of one account share. */
export interface AccountContext {
  /** The account's local name in the runtime (`default` for the connector). */
  readonly name: string;
  readonly address: string;
  readonly deviceId: string;
  readonly transport: TransportAccount;
  readonly store: RuntimeStore;
  /** The account's part of the key store (device secrets, relationship keys, outboxes). */
  readonly keyStore: KeyStore;
  readonly keys: RelationshipKeysStore;
  readonly log: RuntimeLogger;
  /**
   * The creation content of relationship requests in flight, by template id, so that the mailbox entry of
   * the request (which may be processed before the call returns) is stored with it.
   */
  readonly pendingCreations: Map<string, unknown>;
  /** Messages being sent, by id, for the same reason: their mailbox entry may come before the answer. */
  readonly pendingSends: Map<string, MessageRow>;
}
