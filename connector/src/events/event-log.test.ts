import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresTestDatabase, sqliteTestDatabase, type TestDatabase } from '../testing/databases.js';
import { openDatabase } from './database.js';
import { DeliveryStore } from './delivery-store.js';
import { EventLog } from './event-log.js';
import { EventStore } from './event-store.js';
import { RetentionPruner } from './retention.js';

const kinds = [
  ['SQLite', sqliteTestDatabase],
  ['PostgreSQL', async () => postgresTestDatabase()],
] as const;

describe.each(kinds)('the event log on %s', (_kind, create) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function open(db: TestDatabase, identity = 'did:e:acme') {
    const dataSource = await openDatabase(db.settings);
    cleanups.push(() => dataSource.destroy());
    const store = new EventStore(dataSource);
    return { dataSource, store, log: new EventLog(store, { identity, maxDataBytes: 1024 }) };
  }

  it('gives concurrent appends a gap-free sequence per identity and reads them back in order', async () => {
    const db = await create();
    cleanups.push(() => db.drop());
    const { store, log } = await open(db);
    const other = new EventLog(store, { identity: 'did:e:other', maxDataBytes: 1024 });
    const seen: number[] = [];
    log.subscribe((event) => seen.push(event.sequence));
    const appended = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 3
          ? other.append('transport.messageSent', { i })
          : log.append('transport.messageReceived', { i }),
      ),
    );
    expect(
      appended
        .filter((e) => e.namespace === 'transport.messageReceived')
        .map((e) => e.sequence)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await other.lastSequence()).toBe(10);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const page = await log.read(11, 5);
    expect(page.map((e) => e.sequence)).toEqual([11, 12, 13, 14, 15]);
    expect(page[0]).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      namespace: 'transport.messageReceived',
    });
    expect(page[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('refuses invalid names and oversized data, and loses no sequence number to a refusal', async () => {
    const db = await create();
    cleanups.push(() => db.drop());
    const { log } = await open(db);
    await expect(log.append('nodots', {})).rejects.toMatchObject({
      code: 'error.connector.events.invalidNamespace',
    });
    await expect(log.append('a.b', 'x'.repeat(2000))).rejects.toMatchObject({
      code: 'error.connector.events.dataTooLarge',
    });
    expect((await log.append('runtime.initialized', null)).sequence).toBe(1);
  });

  it('keeps the sequence gap-free when two processes append to one database', async () => {
    const db = await create();
    cleanups.push(() => db.drop());
    if (!db.settings.connectionString) return; // SQLite: one process owns the file.
    const a = await open(db);
    const b = await open(db);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a.log : b.log).append('transport.messageReceived', { i }),
      ),
    );
    const all = await a.log.read(1, 100);
    expect(all.map((e) => e.sequence)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('prunes old events and finished deliveries, keeping pending ones and those NATS has not published', async () => {
    const db = await create();
    cleanups.push(() => db.drop());
    const dataSource = await openDatabase(db.settings);
    cleanups.push(() => dataSource.destroy());
    const store = new EventStore(dataSource);
    let now = Date.parse('2030-01-01T00:00:00Z');
    const log = new EventLog(store, { identity: 'did:e:acme', maxDataBytes: 1024, clock: () => now });
    const deliveries = new DeliveryStore(store, 'did:e:acme');
    log.addAppendHook(deliveries.fanOut((ns) => (ns === 'transport.messageReceived' ? ['erp'] : [])));
    const old = [];
    for (let i = 0; i < 6; i++)
      old.push(await log.append(i === 1 ? 'transport.messageReceived' : 'runtime.tick', { i }));
    now += 40 * 86_400_000;
    await log.append('runtime.tick', { recent: true });
    const pruner = (publishedUpTo?: number) =>
      new RetentionPruner({
        store,
        identity: 'did:e:acme',
        settings: { days: 30, intervalMs: 60_000, batchSize: 2 },
        ...(publishedUpTo === undefined ? {} : { publishedUpTo: async () => publishedUpTo }),
        logger: pino({ level: 'silent' }),
        clock: () => now,
      });
    // NATS has published up to 4: events 5 and 6 stay; 2 has a pending delivery.
    expect(await pruner(4).pruneOnce()).toEqual({ events: 3, deliveries: 0 });
    expect((await log.read(1, 100)).map((e) => e.sequence)).toEqual([2, 5, 6, 7]);
    expect(await pruner().pruneOnce()).toEqual({ events: 2, deliveries: 0 });
    expect((await log.read(1, 100)).map((e) => e.sequence)).toEqual([2, 7]);
    // Once delivered (and old), the delivery and then its event go too; sequences are never reused.
    const head = await deliveries.head('erp');
    await deliveries.delivered(head!.id, 1, 200, now - 35 * 86_400_000);
    expect(await pruner().pruneOnce()).toEqual({ events: 1, deliveries: 1 });
    expect((await log.read(1, 100)).map((e) => e.sequence)).toEqual([7]);
    expect((await log.append('runtime.tick', {})).sequence).toBe(8);
  });
});
