import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { DeliveryEntity, type DeliveryRow, DeliveryStatus } from './entities.js';
import type { AppendHook, EventStore } from './event-store.js';

/** A delivery as the dead-letter API shows it. */
export type DeliveryView = Omit<DeliveryRow, 'identity'>;

/** The webhook deliveries' SQL, sharing the event store's data source and turn-taking. */
export class DeliveryStore {
  readonly #store: EventStore;
  readonly #identity: string;

  /** Works on the identity's deliveries in the event store's database. */
  constructor(store: EventStore, identity: string) {
    this.#store = store;
    this.#identity = identity;
  }

  /** An append hook that queues one pending delivery per webhook the event triggers. */
  fanOut(webhooksFor: (namespace: string) => readonly string[]): AppendHook {
    return async (manager, event) => {
      const names = webhooksFor(event.namespace);
      if (names.length === 0) return;
      await manager.insert(
        DeliveryEntity,
        names.map((webhook) => ({
          id: randomUUID(),
          identity: event.identity,
          webhook,
          eventId: event.id,
          sequence: event.sequence,
          namespace: event.namespace,
          status: DeliveryStatus.pending,
          attempts: 0,
          nextAttemptAt: event.time,
          lastAttemptAt: null,
          lastStatus: null,
          lastError: null,
          createdAt: event.time,
          updatedAt: event.time,
        })),
      );
    };
  }

  /** The webhook's oldest pending delivery: the head of its ordered queue. */
  head(webhook: string): Promise<DeliveryRow | null> {
    return this.#store.run(() =>
      this.#repo().findOne({
        where: { identity: this.#identity, webhook, status: DeliveryStatus.pending },
        order: { sequence: 'ASC' },
      }),
    );
  }

  /** Records a successful attempt. */
  delivered(id: string, attempts: number, status: number, now: number): Promise<void> {
    return this.#update(id, {
      status: DeliveryStatus.delivered,
      attempts,
      lastStatus: status,
      lastError: null,
      lastAttemptAt: now,
      updatedAt: now,
    });
  }

  /** Records a failed attempt: retried at `nextAttemptAt`, or dead when `dead`. */
  failed(
    id: string,
    outcome: { attempts: number; status: number | null; error: string; nextAttemptAt: number; dead: boolean },
    now: number,
  ): Promise<void> {
    return this.#update(id, {
      status: outcome.dead ? DeliveryStatus.dead : DeliveryStatus.pending,
      attempts: outcome.attempts,
      lastStatus: outcome.status,
      lastError: outcome.error.slice(0, 500),
      nextAttemptAt: outcome.nextAttemptAt,
      lastAttemptAt: now,
      updatedAt: now,
    });
  }

  /** Dead deliveries, oldest event first, optionally of one webhook. */
  deadLetters(options: { webhook?: string; limit: number; offset: number }): Promise<DeliveryView[]> {
    return this.#store.run(async () => {
      const rows = await this.#repo().find({
        where: {
          identity: this.#identity,
          status: DeliveryStatus.dead,
          ...(options.webhook ? { webhook: options.webhook } : {}),
        },
        order: { sequence: 'ASC', webhook: 'ASC' },
        take: options.limit,
        skip: options.offset,
      });
      return rows.map(({ identity: _, ...view }) => view);
    });
  }

  /** Puts dead deliveries back in their queues with fresh attempts; returns how many. */
  requeue(filter: { id?: string; webhook?: string }, now: number): Promise<number> {
    return this.#store.run(async () => {
      const result = await this.#repo().update(
        {
          identity: this.#identity,
          status: DeliveryStatus.dead,
          ...(filter.id ? { id: filter.id } : {}),
          ...(filter.webhook ? { webhook: filter.webhook } : {}),
        },
        { status: DeliveryStatus.pending, attempts: 0, nextAttemptAt: now, updatedAt: now },
      );
      return result.affected ?? 0;
    });
  }

  /** Counts deliveries per webhook and status. */
  counts(webhooks: readonly string[]): Promise<{ webhook: string; status: string; count: number }[]> {
    return this.#store.run(async () => {
      const rows: { webhook: string; status: string; count: string | number }[] = await this.#repo()
        .createQueryBuilder('d')
        .select('d.webhook', 'webhook')
        .addSelect('d.status', 'status')
        .addSelect('COUNT(*)', 'count')
        .where({ identity: this.#identity, webhook: In([...webhooks]) })
        .groupBy('d.webhook')
        .addGroupBy('d.status')
        .getRawMany();
      return rows.map((r) => ({ webhook: r.webhook, status: r.status, count: Number(r.count) }));
    });
  }

  #repo() {
    return this.#store.dataSource.getRepository(DeliveryEntity);
  }

  #update(id: string, values: Partial<DeliveryRow>): Promise<void> {
    return this.#store.run(async () => {
      await this.#repo().update({ id }, values);
    });
  }
}
