import { JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import {
  type EntityManager,
  EntitySchema,
  In,
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableIndex,
} from 'typeorm';
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
  indices: [{ name: 'idx_outbox_msg_id', columns: ['msgId'] }],
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

/** Indexes the outbox by dedup id: committed entries are removed by it once published. */
export class IndexOutboxMsgId1764150000005 implements MigrationInterface {
  name = 'IndexOutboxMsgId1764150000005';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('outbox', new TableIndex({ name: 'idx_outbox_msg_id', columnNames: ['msgId'] }));
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('outbox', 'idx_outbox_msg_id');
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
  readonly #onRefused: (entry: OutboxRow, error: Error) => void;
  #flushing: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  /**
   * Uses the store for the table and the JetStream client to publish; `onRefused` learns of entries that
   * JetStream refused for good (they are dropped).
   */
  constructor(
    store: SqlStore,
    js: JetStreamClient,
    options: { clock?: () => number; onRefused?: (entry: OutboxRow, error: Error) => void } = {},
  ) {
    this.#store = store;
    this.#js = js;
    this.#clock = options.clock ?? Date.now;
    this.#onRefused = options.onRefused ?? (() => undefined);
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
   * Publishes entries that a transaction enqueued and committed, straight from memory (their payloads are not
   * read back from SQL), then removes their rows. Whatever fails here stays in the table for the relay.
   */
  async publishCommitted(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const outcomes = await Promise.allSettled(entries.map((entry) => this.#publish(entry)));
    const done = new Set<string>();
    outcomes.forEach((outcome, i) => {
      const entry = entries[i]!;
      if (outcome.status === 'fulfilled') done.add(entry.msgId);
      else if (outcome.reason instanceof JetStreamApiError) {
        done.add(entry.msgId);
        this.#onRefused(
          { seq: 0, ...entry, headers: JSON.stringify(entry.headers ?? {}), createdAt: 0 },
          outcome.reason,
        );
      }
    });
    const ids = [...done];
    for (let at = 0; at < ids.length; at += 200) {
      const chunk = ids.slice(at, at + 200);
      await this.#store.run((m) => m.getRepository(OutboxEntity).delete({ msgId: In(chunk) }));
    }
  }

  #publish(entry: OutboxEntry) {
    const h = natsHeaders();
    for (const [name, value] of Object.entries(entry.headers ?? {})) h.set(name, value);
    return this.#js.publish(entry.subject, entry.payload, { msgID: entry.msgId, headers: h });
  }

  /**
   * Publishes every pending entry in order and removes it once JetStream confirmed it. A call made while a
   * run is going waits for one more run after it, which sees the caller's entries; runs never overlap.
   */
  flush(): Promise<void> {
    if (this.#flushing) {
      this.#next ??= this.#flushing.then(
        () => this.#startRun(),
        () => this.#startRun(),
      );
      return this.#next;
    }
    return this.#startRun();
  }

  #startRun(): Promise<void> {
    this.#next = undefined;
    this.#flushing = this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #drain(): Promise<void> {
    while (true) {
      const batch = await this.#store.run((m) =>
        m.getRepository(OutboxEntity).find({ order: { seq: 'ASC' }, take: 256 }),
      );
      if (batch.length === 0) return;
      const outcomes = await Promise.allSettled(
        batch.map((row) =>
          this.#publish({ ...row, headers: JSON.parse(row.headers) as Record<string, string> }),
        ),
      );
      // JetStream refused these for good (a full mailbox, a limit): they go to the log, not back in line,
      // so that one full mailbox cannot hold up every other delivery.
      const done: number[] = [];
      let transient: unknown;
      outcomes.forEach((outcome, i) => {
        const row = batch[i]!;
        if (outcome.status === 'fulfilled') done.push(row.seq);
        else if (outcome.reason instanceof JetStreamApiError) {
          done.push(row.seq);
          this.#onRefused(row, outcome.reason);
        } else transient ??= outcome.reason;
      });
      if (done.length > 0) await this.#store.run((m) => m.getRepository(OutboxEntity).delete(done));
      if (transient !== undefined) throw transient;
    }
  }
}
