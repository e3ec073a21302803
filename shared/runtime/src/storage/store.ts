import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { RuntimeError, RuntimeErrorCodes } from '../errors.js';
import type { RuntimeEvent } from '../events/runtime-event.js';
import { AccountEntity, EventEntity, type EventRow } from './entities.js';

/** What a write can do: change rows, and append events numbered in the same transaction. */
export interface StoreTransaction {
  readonly manager: EntityManager;
  /** Appends an event of `identity` with the next sequence number; it is published after the commit. */
  emit<T>(identity: string, namespace: string, data: T): Promise<RuntimeEvent<T>>;
}

/**
 * Runs inside a write, after its work, once for every event the write appended (also those appended by
 * hooks): what reacts to an event in the same transaction as the change that caused it.
 */
export type TransactionHook = (tx: StoreTransaction, event: RuntimeEvent) => Promise<void>;

/** Called with the events of a write once it has committed. */
export type CommitListener = (events: readonly RuntimeEvent[]) => void;

/** How many events one write may append before its hooks are taken to loop. */
const maxEventsPerWrite = 10_000;

/**
 * The runtime's access to its database. Writes run one at a time, each in a transaction; the events a
 * write appends are numbered inside it (the counter row is updated first, which also locks it on
 * PostgreSQL), so numbers are gap-free and an event exists exactly when its state change does.
 */
export class RuntimeStore {
  readonly dataSource: DataSource;
  readonly #clock: () => number;
  readonly #onCommit: (events: readonly RuntimeEvent[]) => void;
  readonly #hooks = new Set<TransactionHook>();
  readonly #commitListeners = new Set<CommitListener>();
  #queue: Promise<unknown> = Promise.resolve();

  /** Uses an initialized DataSource holding the runtime schema. */
  constructor(
    dataSource: DataSource,
    options: { clock: () => number; onCommit: (events: readonly RuntimeEvent[]) => void },
  ) {
    this.dataSource = dataSource;
    this.#clock = options.clock;
    this.#onCommit = options.onCommit;
  }

  /** The manager for reads. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** The current time, from the runtime's clock, as ISO text. */
  now(): string {
    return new Date(this.#clock()).toISOString();
  }

  /**
   * Adds a hook run inside every write for each of its events. Returns the function that removes it.
   */
  addTransactionHook(hook: TransactionHook): () => void {
    this.#hooks.add(hook);
    return () => void this.#hooks.delete(hook);
  }

  /** Adds a listener of committed events (after they are published). Returns the function that removes it. */
  addCommitListener(listener: CommitListener): () => void {
    this.#commitListeners.add(listener);
    return () => void this.#commitListeners.delete(listener);
  }

  /**
   * Runs `work` in a transaction after the writes before it, then the transaction hooks for each event it
   * appended; publishes the events after the commit.
   * @throws whatever `work` or a hook throws (the transaction is rolled back and no event is published);
   *   RuntimeError `error.runtime.storage` when hooks keep appending events.
   */
  write<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const run = async () => {
      const events: RuntimeEvent[] = [];
      const result = await this.dataSource.transaction(async (manager) => {
        const tx: StoreTransaction = {
          manager,
          emit: async <D>(identity: string, namespace: string, data: D) => {
            const event = await this.#append(manager, identity, namespace, data);
            events.push(event);
            return event;
          },
        };
        const value = await work(tx);
        for (let index = 0; index < events.length && this.#hooks.size > 0; index++) {
          if (index >= maxEventsPerWrite) {
            throw new RuntimeError(RuntimeErrorCodes.storage, 'the hooks of a write keep appending events');
          }
          for (const hook of [...this.#hooks]) await hook(tx, events[index]!);
        }
        return value;
      });
      if (events.length > 0) {
        this.#onCommit(events);
        for (const listener of [...this.#commitListeners]) listener(events);
      }
      return result;
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #append<T>(manager: EntityManager, identity: string, namespace: string, data: T) {
    const column = manager.connection.driver.escape('lastEventSequence');
    const updated = await manager
      .createQueryBuilder()
      .update(AccountEntity)
      .set({ lastEventSequence: () => `${column} + 1` })
      .where('address = :identity', { identity })
      .execute();
    if (updated.affected === 0) {
      throw new RuntimeError(RuntimeErrorCodes.storage, `no account ${identity} to number events for`);
    }
    const account = await manager.getRepository(AccountEntity).findOneByOrFail({ address: identity });
    const event: RuntimeEvent<T> = {
      id: randomUUID(),
      sequence: account.lastEventSequence,
      namespace,
      eventTargetAddress: identity,
      data,
      time: this.now(),
    };
    await manager.getRepository(EventEntity).insert({
      identity,
      sequence: event.sequence,
      id: event.id,
      namespace,
      data: JSON.stringify(data),
      time: event.time,
    });
    return event;
  }

  /** Reads up to `limit` events of `identity` after `sequence`, in order. */
  async eventsAfter(identity: string, sequence: number, limit = 100): Promise<RuntimeEvent[]> {
    const rows = await this.manager
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where('e.identity = :identity AND e.sequence > :sequence', { identity, sequence })
      .orderBy('e.sequence', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map(eventFromRow);
  }
}

/** Turns a stored event back into its published form. */
export function eventFromRow(row: EventRow): RuntimeEvent {
  return {
    id: row.id,
    sequence: row.sequence,
    namespace: row.namespace,
    eventTargetAddress: row.identity,
    data: JSON.parse(row.data) as unknown,
    time: row.time,
  };
}
