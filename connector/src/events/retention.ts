import type { Logger } from 'pino';
import { In, LessThan } from 'typeorm';
import { DeliveryEntity, DeliveryStatus, EventEntity } from './entities.js';
import type { EventStore } from './event-store.js';
import { WakeSignal } from './wake.js';

/** What one pruning pass removed. */
export interface PruneResult {
  readonly events: number;
  readonly deliveries: number;
}

/**
 * Keeps the SQL log bounded: removes finished (delivered or dead) deliveries and then events older than the
 * retention period. An event stays while any delivery of it is still pending, and while the NATS publisher
 * (when on) has not published it. Sequences are never reused; after pruning the log starts at the oldest
 * event kept.
 */
export class RetentionPruner {
  readonly #store: EventStore;
  readonly #identity: string;
  readonly #settings: { days: number; intervalMs: number; batchSize: number };
  readonly #publishedUpTo: (() => Promise<number>) | undefined;
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #wake = new WakeSignal();
  #loop: Promise<void> | undefined;
  #closing = false;

  /** `publishedUpTo` tells the last sequence a reader that must see every event has handled. */
  constructor(options: {
    store: EventStore;
    identity: string;
    settings: { days: number; intervalMs: number; batchSize: number };
    publishedUpTo?: () => Promise<number>;
    logger: Logger;
    clock?: () => number;
  }) {
    this.#store = options.store;
    this.#identity = options.identity;
    this.#settings = options.settings;
    this.#publishedUpTo = options.publishedUpTo;
    this.#logger = options.logger;
    this.#clock = options.clock ?? Date.now;
  }

  /** Prunes now and then every `intervalMs`, unless retention is 0 (forever). */
  start(): void {
    if (this.#settings.days === 0) return;
    this.#loop ??= (async () => {
      while (!this.#closing) {
        try {
          const result = await this.pruneOnce();
          if (result.events + result.deliveries > 0) this.#logger.info(result, 'pruned the event log');
        } catch (error) {
          this.#logger.warn({ err: error }, 'pruning the event log failed');
        }
        await this.#wake.wait(this.#settings.intervalMs);
      }
    })();
  }

  /** Stops the timer (after a pass in progress). */
  async close(): Promise<void> {
    this.#closing = true;
    this.#wake.wake();
    await this.#loop;
  }

  /** Runs one pass, in batches of `batchSize`. */
  async pruneOnce(): Promise<PruneResult> {
    const cutoff = this.#clock() - this.#settings.days * 86_400_000;
    const limit = this.#publishedUpTo ? await this.#publishedUpTo() : Number.MAX_SAFE_INTEGER;
    const identity = this.#identity;
    const ds = this.#store.dataSource;
    let deliveries = 0;
    let events = 0;
    for (;;) {
      const removed = await this.#store.run(async () => {
        const ids = await ds.getRepository(DeliveryEntity).find({
          select: { id: true },
          where: {
            identity,
            status: In([DeliveryStatus.delivered, DeliveryStatus.dead]),
            updatedAt: LessThan(cutoff),
          },
          take: this.#settings.batchSize,
        });
        if (ids.length > 0) await ds.getRepository(DeliveryEntity).delete({ id: In(ids.map((r) => r.id)) });
        return ids.length;
      });
      deliveries += removed;
      if (removed < this.#settings.batchSize) break;
    }
    for (;;) {
      const removed = await this.#store.run(async () => {
        const rows: { id: string }[] = await ds
          .getRepository(EventEntity)
          .createQueryBuilder('e')
          .select('e.id', 'id')
          .where('e.identity = :identity AND e.time < :cutoff AND e.sequence <= :limit', {
            identity,
            cutoff,
            limit,
          })
          .andWhere((qb) => {
            const sub = qb
              .subQuery()
              .select('1')
              .from(DeliveryEntity, 'd')
              .where('d.eventId = e.id')
              .getQuery();
            return `NOT EXISTS ${sub}`;
          })
          .orderBy('e.sequence', 'ASC')
          .limit(this.#settings.batchSize)
          .getRawMany();
        if (rows.length > 0) await ds.getRepository(EventEntity).delete({ id: In(rows.map((r) => r.id)) });
        return rows.length;
      });
      events += removed;
      if (removed < this.#settings.batchSize) break;
    }
    return { events, deliveries };
  }
}
