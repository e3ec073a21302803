import { ProtocolError, type RequestOf } from '@enmesh/protocol';
import type { KeyStore } from './key-store.js';
import { isRetryable } from './retry.js';

/** A request waiting for the backbone, as it will go out (its id makes it idempotent). */
export interface QueuedSend<Body = RequestOf<'sendMessage'>> {
  readonly body: Body;
  readonly queuedAt: string;
}

/**
 * The client's outbox: sends made while the device is offline (or before it knows it is) wait here, in
 * order, persisted in the key store when one is given, and go out on reconnect. Each keeps the message id it
 * was sealed with, so a send repeated after a crash or a lost answer is stored and delivered once.
 */
export class ClientOutbox<Body = RequestOf<'sendMessage'>> {
  readonly #store: KeyStore | undefined;
  readonly #name: string;
  #items: QueuedSend<Body>[];
  #flushing: Promise<number> | undefined;

  private constructor(store: KeyStore | undefined, name: string, items: QueuedSend<Body>[]) {
    this.#store = store;
    this.#name = name;
    this.#items = items;
  }

  /** Opens the outbox, with what a previous run left in the key store. */
  static async open<Body = RequestOf<'sendMessage'>>(
    store?: KeyStore,
    name = 'outbox',
  ): Promise<ClientOutbox<Body>> {
    const saved = store ? await store.load(name) : undefined;
    const items = saved ? (JSON.parse(new TextDecoder().decode(saved)) as QueuedSend<Body>[]) : [];
    return new ClientOutbox<Body>(store, name, items);
  }

  /** The sends still waiting, oldest first. */
  get pending(): readonly QueuedSend<Body>[] {
    return this.#items;
  }

  /** Queues a send (persisted before this resolves). */
  async add(body: Body): Promise<void> {
    this.#items.push({ body, queuedAt: new Date().toISOString() });
    await this.#save();
  }

  /**
   * Sends what waits, in order. A transient failure (no connection, timeout, busy) stops the run and keeps
   * the rest for the next; a refusal (a ProtocolError such as noRelationship) drops that send and reports it.
   * Returns how many went out. Runs never overlap.
   */
  flush(
    send: (body: Body) => Promise<unknown>,
    onRefused: (send: QueuedSend<Body>, error: ProtocolError) => void = () => undefined,
  ): Promise<number> {
    this.#flushing ??= this.#run(send, onRefused).finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #run(
    send: (body: Body) => Promise<unknown>,
    onRefused: (send: QueuedSend<Body>, error: ProtocolError) => void,
  ): Promise<number> {
    let sent = 0;
    while (this.#items.length > 0) {
      const next = this.#items[0]!;
      try {
        await send(next.body);
        sent += 1;
      } catch (error) {
        if (isRetryable(error) || !(error instanceof ProtocolError)) {
          // Still offline (or the answer was lost): try again shortly; a reconnect also triggers a run.
          setTimeout(() => void this.flush(send, onRefused).catch(() => undefined), 1000).unref();
          break;
        }
        onRefused(next, error);
      }
      this.#items.shift();
      await this.#save();
    }
    return sent;
  }

  async #save(): Promise<void> {
    await this.#store?.save(this.#name, new TextEncoder().encode(JSON.stringify(this.#items)));
  }
}
