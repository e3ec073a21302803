import { RuntimeError, RuntimeErrorCodes } from '../errors.js';
import { AccountEntity } from '../storage/entities.js';
import type { RuntimeStore } from '../storage/store.js';
import type { RuntimeLogger } from './logger.js';
import type { RuntimeEvent } from './runtime-event.js';

/** A subscriber of events. What it returns is not awaited; a throw or rejection is logged. */
export type EventHandler = (event: RuntimeEvent) => unknown;

/**
 * Hands the runtime's events to subscribers after they are stored: `subscribe` for what happens from now
 * on, `from(sequence)` for an identity's events after a sequence number, first from the database and then
 * as they come (what a durable consumer such as a webhook outbox uses to resume after a restart).
 */
export class EventHub {
  readonly #store: RuntimeStore;
  readonly #log: RuntimeLogger;
  readonly #defaultIdentity: () => string;
  readonly #subscribers = new Set<{ handler: EventHandler; namespace?: string }>();
  #wakers = new Set<() => void>();
  #closed = false;

  /** Serves the events of `store`; `defaultIdentity` names the identity `from` reads when not told. */
  constructor(store: RuntimeStore, log: RuntimeLogger, defaultIdentity: () => string) {
    this.#store = store;
    this.#log = log;
    this.#defaultIdentity = defaultIdentity;
  }

  /** Publishes committed events to the subscribers and wakes the readers (called by the store). */
  publish(events: readonly RuntimeEvent[]): void {
    for (const event of events) {
      for (const subscriber of this.#subscribers) {
        if (subscriber.namespace !== undefined && subscriber.namespace !== event.namespace) continue;
        try {
          const result = subscriber.handler(event);
          if (result instanceof Promise) {
            result.catch((error) => this.#log.warn({ error: String(error) }, 'an event subscriber failed'));
          }
        } catch (error) {
          this.#log.warn({ error: String(error) }, 'an event subscriber failed');
        }
      }
    }
    this.#wake();
  }

  /**
   * Calls `handler` with every event stored from now on (of every identity of the runtime), in order;
   * optionally only those of one name. Returns the function that ends the subscription.
   */
  subscribe(handler: EventHandler, options: { namespace?: string } = {}): () => void {
    const subscriber = {
      handler,
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    };
    this.#subscribers.add(subscriber);
    return () => void this.#subscribers.delete(subscriber);
  }

  /** The last sequence number given out for an identity (0 before its first event). */
  async lastSequence(identity = this.#defaultIdentity()): Promise<number> {
    const account = await this.#store.manager.getRepository(AccountEntity).findOneBy({ address: identity });
    return account?.lastEventSequence ?? 0;
  }

  /**
   * The events of an identity after `sequence`, in order and without gaps: first those stored, then each as
   * it is stored. Ends when the signal aborts or the runtime closes.
   * @throws RuntimeError `error.runtime.closed` when the runtime is already closed.
   */
  async *from(
    sequence: number,
    options: { identity?: string; signal?: AbortSignal } = {},
  ): AsyncGenerator<RuntimeEvent> {
    if (this.#closed) throw new RuntimeError(RuntimeErrorCodes.closed, 'the runtime is closed');
    const identity = options.identity ?? this.#defaultIdentity();
    let last = sequence;
    while (!this.#closed && !options.signal?.aborted) {
      // Armed before reading, so an event stored during the read still wakes this reader.
      const woken = this.#nextWake(options.signal);
      const page = await this.#store.eventsAfter(identity, last);
      for (const event of page) {
        last = event.sequence;
        yield event;
      }
      if (page.length === 0) await woken.promise;
      woken.cancel();
    }
  }

  #nextWake(signal: AbortSignal | undefined): { promise: Promise<void>; cancel: () => void } {
    let waker: () => void = () => undefined;
    const promise = new Promise<void>((resolve) => {
      waker = resolve;
    });
    const onAbort = () => waker();
    this.#wakers.add(waker);
    signal?.addEventListener('abort', onAbort, { once: true });
    return {
      promise,
      cancel: () => {
        this.#wakers.delete(waker);
        signal?.removeEventListener('abort', onAbort);
      },
    };
  }

  #wake(): void {
    const wakers = this.#wakers;
    this.#wakers = new Set();
    for (const wake of wakers) wake();
  }

  /** Ends every reader and forgets the subscribers. */
  close(): void {
    this.#closed = true;
    this.#subscribers.clear();
    this.#wake();
  }
}
