import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { type EntityManager, EntitySchema, type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { epochMsColumn } from './sql-columns.js';
import type { SqlStore } from './sql-store.js';

/** One JetStream publish that a transaction decided on and that has not been confirmed yet. */
export interface OutboxRow {
  seq: number;
  subject: string;
  /** Deduplication id: JetStream stores a repeated publish with the same id once. */
  msgId: string;
  /** JSON object of header name → value. */
  headers: string;
  payload: string;
  createdAt: number;
}

/** What to publish. */
export interface OutboxEntry {
  readonly subject: string;
  readonly msgId: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly payload: string;
}

/** Table `outbox`. */
export const OutboxEntity = new EntitySchema<OutboxRow>({
  name: 'OutboxEntry',
  tableName: 'outbox',
  columns: {
    seq: { type: 'integer', primary: true, generated: 'increment' },
    subject: { type: 'varchar', length: 255 },
    msgId: { type: 'varchar', length: 255 },
    headers: { type: 'text' },
    payload: { type: 'text' },
    createdAt: { ...epochMsColumn },
  },
});

/** Creates the outbox table. */
export class CreateOutbox1764150000001 implements MigrationInterface {
  name = 'CreateOutbox1764150000001';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          {
            name: 'seq',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'subject', type: 'varchar', length: '255' },
          { name: 'msgId', type: 'varchar', length: '255' },
          { name: 'headers', type: 'text' },
          { name: 'payload', type: 'text' },
          { name: 'createdAt', type: 'bigint' },
        ],
      }),
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('outbox');
  }
}

/**
 * The transactional outbox: SQL changes and the JetStream publishes they imply never form an unprotected
 * dual write. A handler enqueues its publishes in the same transaction as its SQL changes, then flushes;
 * whatever a crash leaves behind is published by the next flush (at start and on a timer). Each publish
 * carries a `Nats-Msg-Id`, so a publish repeated after a crash is stored once.
 */
export class Outbox {
  readonly #store: SqlStore;
  readonly #js: JetStreamClient;
  readonly #clock: () => number;
  #flushing: Promise<void> | undefined;
  #again = false;

  /** Uses the store for the table and the JetStream client to publish. */
  constructor(store: SqlStore, js: JetStreamClient, clock: () => number = Date.now) {
    this.#store = store;
    this.#js = js;
    this.#clock = clock;
  }

  /** Adds publishes inside a transaction (call with the transaction's manager). */
  async enqueue(manager: EntityManager, entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const now = this.#clock();
    await manager.getRepository(OutboxEntity).insert(
      entries.map((entry) => ({
        subject: entry.subject,
        msgId: entry.msgId,
        headers: JSON.stringify(entry.headers ?? {}),
        payload: entry.payload,
        createdAt: now,
      })),
    );
  }

  /**
   * Publishes every pending entry in order and removes it once JetStream confirmed it. Concurrent calls share
   * one run (and trigger one more after it), so entries are published in order by one flusher per process.
   */
  flush(): Promise<void> {
    if (this.#flushing) {
      this.#again = true;
      return this.#flushing;
    }
    this.#flushing = this.#drain().finally(() => {
      this.#flushing = undefined;
      if (this.#again) {
        this.#again = false;
        void this.flush().catch(() => undefined);
      }
    });
    return this.#flushing;
  }

  async #drain(): Promise<void> {
    while (true) {
      const batch = await this.#store.run((m) =>
        m.getRepository(OutboxEntity).find({ order: { seq: 'ASC' }, take: 256 }),
      );
      if (batch.length === 0) return;
      await Promise.all(
        batch.map((row) => {
          const h = natsHeaders();
          for (const [name, value] of Object.entries(JSON.parse(row.headers) as Record<string, string>)) {
            h.set(name, value);
          }
          return this.#js.publish(row.subject, row.payload, { msgID: row.msgId, headers: h });
        }),
      );
      const seqs = batch.map((row) => row.seq);
      await this.#store.run((m) => m.getRepository(OutboxEntity).delete(seqs));
    }
  }
}
