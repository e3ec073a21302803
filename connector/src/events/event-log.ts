import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import type { EventRow } from './entities.js';
import { assertNamespace, type ConnectorEvent } from './event.js';
import type { AppendHook, EventStore } from './event-store.js';

/** Converts a stored row to the event integrators see. */
export function toConnectorEvent(row: EventRow): ConnectorEvent {
  return {
    id: row.id,
    sequence: row.sequence,
    namespace: row.namespace,
    data: JSON.parse(row.data) as unknown,
    time: new Date(row.time).toISOString(),
  };
}

/**
 * The durable log of one identity's events. `append` commits the event (and whatever the hooks add, such as
 * webhook deliveries) in one transaction, then tells in-process subscribers; readers that missed a
 * notification catch up by sequence.
 */
export class EventLog {
  readonly identity: string;
  readonly #store: EventStore;
  readonly #maxDataBytes: number;
  readonly #clock: () => number;
  readonly #hooks: AppendHook[] = [];
  readonly #listeners = new Set<(event: ConnectorEvent) => void>();

  /** Uses the store for the given identity; `maxDataBytes` bounds an event's JSON. */
  constructor(store: EventStore, options: { identity: string; maxDataBytes: number; clock?: () => number }) {
    this.#store = store;
    this.identity = options.identity;
    this.#maxDataBytes = options.maxDataBytes;
    this.#clock = options.clock ?? Date.now;
  }

  /** Adds work to the transaction of every later append. */
  addAppendHook(hook: AppendHook): void {
    this.#hooks.push(hook);
  }

  /**
   * Appends an event with the next sequence number; `options.id` keeps an id given elsewhere (the runtime's),
   * `options.time` its time, and `options.within` adds work to this one append's transaction.
   * @throws ConnectorError for an invalid name or data over the size limit.
   */
  async append(
    namespace: string,
    data: unknown,
    options: { id?: string; time?: number; within?: AppendHook } = {},
  ): Promise<ConnectorEvent> {
    assertNamespace(namespace);
    const json = JSON.stringify(data ?? null);
    if (Buffer.byteLength(json, 'utf8') > this.#maxDataBytes) {
      throw new ConnectorError(
        ConnectorErrorCodes.eventDataTooLarge,
        `The event data exceeds ${this.#maxDataBytes} bytes.`,
      );
    }
    const hooks = options.within ? [...this.#hooks, options.within] : this.#hooks;
    const row = await this.#store.append(
      this.identity,
      namespace,
      json,
      options.time ?? this.#clock(),
      hooks,
      options.id,
    );
    const event = toConnectorEvent(row);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the event is committed.
      }
    }
    return event;
  }

  /** Reads up to `limit` events from sequence `from` on, in order. */
  async read(from: number, limit: number): Promise<ConnectorEvent[]> {
    return (await this.#store.read(this.identity, Math.max(1, from), limit)).map(toConnectorEvent);
  }

  /** The last sequence number, 0 before the first event. */
  lastSequence(): Promise<number> {
    return this.#store.lastSequence(this.identity);
  }

  /** Calls `listener` after each committed append; returns the unsubscribe function. */
  subscribe(listener: (event: ConnectorEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
