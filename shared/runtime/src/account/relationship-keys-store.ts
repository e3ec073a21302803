import { fromBase64Url, toBase64Url } from '@enmesh/protocol';
import type { KeyStore, TransportAccount } from '@enmesh/transport';

interface StoredKeys {
  readonly relationshipId: string;
  readonly peer: string;
  readonly send: string;
  readonly receive: string;
  readonly sendEpoch: number;
}

/**
 * Keeps the keys of an account's relationships in the key store, beside the device secrets, so that a
 * restarted runtime sends and opens messages without replaying its mailbox. The transport holds them in
 * memory only; they are derived once from a relationship's creation content and change only in their send
 * epoch, so saving after every change (before the mailbox cursor moves on) is enough.
 */
export class RelationshipKeysStore {
  readonly #store: KeyStore;
  readonly #name: string;
  #fingerprint = '';
  #queue: Promise<unknown> = Promise.resolve();

  /** Stores under `relationship-keys` in the account's key store. */
  constructor(store: KeyStore) {
    this.#store = store;
    this.#name = 'relationship-keys';
  }

  /**
   * Puts the saved keys into a freshly opened account.
   * @throws TransportError `error.transport.keyStore` when the key store cannot be read.
   */
  async restore(account: TransportAccount): Promise<number> {
    const bytes = await this.#store.load(this.#name);
    if (!bytes) return 0;
    const saved = JSON.parse(new TextDecoder().decode(bytes)) as StoredKeys[];
    for (const keys of saved) {
      account.state.keys.set(keys.relationshipId, {
        relationshipId: keys.relationshipId,
        peer: keys.peer,
        sendBase: fromBase64Url(keys.send),
        receiveBase: fromBase64Url(keys.receive),
        sendEpoch: keys.sendEpoch,
      });
    }
    this.#fingerprint = fingerprintOf(account);
    return saved.length;
  }

  /**
   * Saves the account's keys when they differ from what was saved last.
   * @throws TransportError `error.transport.keyStore` when the key store cannot be written.
   */
  save(account: TransportAccount): Promise<void> {
    // One write at a time: the key store replaces the record through one temporary file.
    const next = this.#queue.then(() => this.#save(account));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #save(account: TransportAccount): Promise<void> {
    const fingerprint = fingerprintOf(account);
    if (fingerprint === this.#fingerprint) return;
    const keys: StoredKeys[] = [...account.state.keys.values()].map((entry) => ({
      relationshipId: entry.relationshipId,
      peer: entry.peer,
      send: toBase64Url(entry.sendBase),
      receive: toBase64Url(entry.receiveBase),
      sendEpoch: entry.sendEpoch,
    }));
    await this.#store.save(this.#name, new TextEncoder().encode(JSON.stringify(keys)));
    this.#fingerprint = fingerprint;
  }
}

function fingerprintOf(account: TransportAccount): string {
  return [...account.state.keys.values()]
    .map((keys) => `${keys.relationshipId}:${keys.sendEpoch}`)
    .sort()
    .join(',');
}
