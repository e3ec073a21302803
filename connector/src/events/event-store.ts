import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { CursorEntity, EventEntity, type EventRow, SequenceEntity } from './entities.js';

/** Work done inside the transaction that appends an event (e.g. queueing its webhook deliveries). */
export type AppendHook = (manager: EntityManager, event: EventRow) => Promise<void>;

/**
 * The event log's SQL: appends with a gap-free sequence per identity, reads by sequence, and readers'
 * cursors. On SQLite, whose one connection would mix concurrent transactions, every operation runs in turn;
 * PostgreSQL serialises appends of one identity by the row lock on its sequence.
 */
export class EventStore {
  readonly dataSource: DataSource;
  readonly #serialise: boolean;
  #tail: Promise<unknown> = Promise.resolve();

  /** Uses an open data source with the connector's schema. */
  constructor(dataSource: DataSource) {
    this.dataSource = dataSource;
    this.#serialise = dataSource.options.type !== 'postgres';
  }

  /**
   * Runs work on the database: in turn with all other work on SQLite, directly on PostgreSQL. Other stores
   * that share the data source (webhook deliveries) go through here too.
   */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.#serialise) return work();
    const result = this.#tail.then(work, work);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Appends an event: takes the identity's next sequence, inserts it and runs the hooks, in one transaction.
   * The id is a new UUID unless given (an event forwarded from the runtime keeps its id).
   */
  append(
    identity: string,
    namespace: string,
    data: string,
    time: number,
    hooks: readonly AppendHook[],
    id: string = randomUUID(),
  ): Promise<EventRow> {
    return this.run(() =>
      this.dataSource.transaction(async (manager) => {
        await manager
          .createQueryBuilder()
          .insert()
          .into(SequenceEntity)
          .values({ identity, last: 0 })
          .orIgnore()
          .execute();
        await manager
          .createQueryBuilder()
          .update(SequenceEntity)
          .set({ last: () => '"last" + 1' })
          .where('identity = :identity', { identity })
          .execute();
        const { last } = await manager.findOneByOrFail(SequenceEntity, { identity });
        const row: EventRow = { id, identity, sequence: last, namespace, data, time };
        await manager.insert(EventEntity, row);
        for (const hook of hooks) await hook(manager, row);
        return row;
      }),
    );
  }

  /** Reads up to `limit` events of the identity from sequence `from` on, in order. */
  read(identity: string, from: number, limit: number): Promise<EventRow[]> {
    return this.run(() =>
      this.dataSource
        .getRepository(EventEntity)
        .createQueryBuilder('e')
        .where('e.identity = :identity AND e.sequence >= :from', { identity, from })
        .orderBy('e.sequence', 'ASC')
        .limit(limit)
        .getMany(),
    );
  }

  /** One event by id. */
  byId(identity: string, id: string): Promise<EventRow | null> {
    return this.run(() => this.dataSource.getRepository(EventEntity).findOneBy({ identity, id }));
  }

  /** The identity's last sequence number, 0 before the first event. */
  lastSequence(identity: string): Promise<number> {
    return this.run(
      async () => (await this.dataSource.getRepository(SequenceEntity).findOneBy({ identity }))?.last ?? 0,
    );
  }

  /** A reader's position: the last sequence it has handled, 0 at first. */
  cursor(identity: string, name: string): Promise<number> {
    return this.run(
      async () =>
        (await this.dataSource.getRepository(CursorEntity).findOneBy({ identity, name }))?.position ?? 0,
    );
  }

  /** Moves a reader's position forward (never back). */
  advanceCursor(identity: string, name: string, position: number): Promise<void> {
    return this.run(async () => {
      await this.dataSource.transaction((manager) => advanceCursorIn(manager, identity, name, position));
    });
  }
}

/**
 * Moves a reader's position forward (never back) inside a transaction, e.g. the one that appends the event
 * the reader took from elsewhere, so the event and the position commit together.
 */
export async function advanceCursorIn(
  manager: EntityManager,
  identity: string,
  name: string,
  position: number,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(CursorEntity)
    .values({ identity, name, position: 0 })
    .orIgnore()
    .execute();
  await manager
    .createQueryBuilder()
    .update(CursorEntity)
    .set({ position })
    .where('identity = :identity AND name = :name AND "position" < :position', {
      identity,
      name,
      position,
    })
    .execute();
}
