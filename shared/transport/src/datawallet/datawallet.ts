import {
  fromBase64Url,
  hkdf,
  Limits,
  openContent,
  type RequestOf,
  randomId,
  sealContent,
  toBase64Url,
} from '@enmesh/protocol';
import type { ClientOutbox } from '../client-outbox.js';
import { TransportError, TransportErrorCodes } from '../errors.js';
import { bytesToJson, jsonToBytes } from '../json-bytes.js';
import type { HybridClock } from './clock.js';
import { type DatawalletState, isModification, type Modification } from './state.js';

/** The body of one push: a sealed batch of modifications. */
export type DatawalletPush = RequestOf<'pushDatawallet'>;

/**
 * The key an identity's devices share for their datawallet: derived from the identity key, which every
 * device of the identity holds and the backbone never sees.
 */
export function deriveDatawalletKey(identityPrivateKey: Uint8Array): Uint8Array {
  return hkdf(identityPrivateKey, new Uint8Array(0), 'enmesh/datawallet/v1', 32);
}

/** Seals a batch; the batch id is bound in, so the backbone cannot pass one batch off as another. */
export function sealBatch(key: Uint8Array, id: string, modifications: readonly Modification[]): string {
  return toBase64Url(sealContent(key, jsonToBytes(modifications), { type: 'datawallet', id }));
}

/**
 * Opens a batch and returns its well-formed modifications.
 * @throws CryptoError `error.crypto.decryptionFailed` when it was not sealed by a device of this identity.
 */
export function openBatch(key: Uint8Array, id: string, sealed: string): Modification[] {
  const plain = bytesToJson(openContent(key, fromBase64Url(sealed), { type: 'datawallet', id }));
  return Array.isArray(plain) ? plain.filter(isModification) : [];
}

/** Room for modifications in one batch: the backbone's limit less the sealing overhead (version, nonce, tag). */
const batchPlaintextBytes = Limits.datawalletBatchBytes - 64;

/**
 * A device's handle on its datawallet: local edits apply at once and go to the identity's other devices
 * through the backbone (sealed, batched, queued while offline); theirs arrive through the mailbox.
 */
export class Datawallet {
  readonly #state: DatawalletState;
  readonly #clock: HybridClock;
  readonly #key: Uint8Array;
  readonly #outbox: ClientOutbox<DatawalletPush>;
  readonly #push: (body: DatawalletPush) => Promise<unknown>;
  #pending: Modification[] = [];
  #sealing: Promise<void> | undefined;

  /** Wires the datawallet to its state, clock, key, persistent outbox and the push call. */
  constructor(options: {
    state: DatawalletState;
    clock: HybridClock;
    key: Uint8Array;
    outbox: ClientOutbox<DatawalletPush>;
    push: (body: DatawalletPush) => Promise<unknown>;
  }) {
    this.#state = options.state;
    this.#clock = options.clock;
    this.#key = options.key;
    this.#outbox = options.outbox;
    this.#push = options.push;
  }

  /**
   * Sets fields of an object (creating it), here at once and on the other devices soon.
   * @throws TransportError `error.transport.datawalletTooLarge` when the change alone exceeds a batch,
   *   `error.transport.datawalletInvalid` for a name outside 1–128 of `A-Z a-z 0-9 . _ : -`.
   */
  set(collection: string, id: string, fields: Record<string, unknown>): void {
    this.#record({ collection, id, type: 'set', fields, at: this.#clock.tick() });
  }

  /** Deletes an object, here at once and on the other devices soon. */
  delete(collection: string, id: string): void {
    this.#record({ collection, id, type: 'delete', at: this.#clock.tick() });
  }

  /** The visible fields of an object. */
  get(collection: string, id: string): Record<string, unknown> | undefined {
    return this.#state.get(collection, id);
  }

  /** Every visible object of a collection. */
  list(collection: string): { id: string; fields: Record<string, unknown> }[] {
    return this.#state.list(collection);
  }

  /** Batches not yet confirmed by the backbone (offline edits wait here). */
  get pendingBatches(): number {
    return this.#outbox.pending.length;
  }

  /** Seals what is pending and pushes every waiting batch; resolves with how many went out. */
  async flush(): Promise<number> {
    await this.#seal();
    return this.#outbox.flush(this.#push);
  }

  /**
   * Applies a batch that arrived through the mailbox (from any device of the identity, this one included:
   * applying twice changes nothing). Returns the modifications applied.
   */
  receive(id: string, sealed: string): Modification[] {
    const modifications = openBatch(this.#key, id, sealed);
    for (const modification of modifications) {
      this.#clock.observe(modification.at);
      this.#state.apply(modification);
    }
    return modifications;
  }

  /** Takes over modifications from a snapshot: applied here, and the clock moved past every stamp. */
  adopt(modifications: readonly Modification[]): void {
    for (const modification of modifications) {
      this.#clock.observe(modification.at);
      this.#state.apply(modification);
    }
  }

  #record(modification: Modification): void {
    if (!isModification(modification)) {
      throw new TransportError(
        TransportErrorCodes.datawalletInvalid,
        'collection, id and field names must be 1–128 of A-Z a-z 0-9 . _ : -',
      );
    }
    if (jsonToBytes(modification).length > batchPlaintextBytes) {
      throw new TransportError(
        TransportErrorCodes.datawalletTooLarge,
        `one change may hold at most ${batchPlaintextBytes} bytes`,
      );
    }
    this.#state.apply(modification);
    this.#pending.push(modification);
    // Changes made in one turn of the event loop travel in one batch.
    queueMicrotask(() => void this.flush().catch(() => undefined));
  }

  /** Moves the pending modifications into sealed batches in the persistent outbox. */
  #seal(): Promise<void> {
    this.#sealing ??= (async () => {
      while (this.#pending.length > 0) {
        const batch: Modification[] = [];
        let bytes = 2;
        while (this.#pending.length > 0) {
          const size = jsonToBytes(this.#pending[0]!).length + 1;
          if (batch.length > 0 && bytes + size > batchPlaintextBytes) break;
          batch.push(this.#pending.shift()!);
          bytes += size;
        }
        const id = randomId('DWM', 20);
        await this.#outbox.add({ id, sealed: sealBatch(this.#key, id, batch) });
      }
    })().finally(() => {
      this.#sealing = undefined;
    });
    return this.#sealing;
  }
}
