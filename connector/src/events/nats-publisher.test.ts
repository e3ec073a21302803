import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { sqliteTestDatabase, type TestDatabase, waitFor } from '../testing/databases.js';
import { startNatsServer, type TestNatsServer } from '../testing/nats-server.js';
import { openDatabase } from './database.js';
import type { ConnectorEvent } from './event.js';
import { EventLog } from './event-log.js';
import { EventStore } from './event-store.js';
import { NatsEventPublisher } from './nats-publisher.js';

describe('the NATS event publisher', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  beforeAll(async () => {
    nats = await startNatsServer();
    db = await sqliteTestDatabase();
  });
  afterAll(async () => {
    await nats?.stop();
    await db?.drop();
  });

  it('publishes every event to <prefix>.<namespace> so a consumer replays all from sequence 1 later', async () => {
    const settings = parseConfig({
      infrastructure: { httpServer: { apiKey: 'legacy' } },
      events: {
        nats: { enabled: true, servers: [nats.url], subjectPrefix: 'acme.events', streamName: 'ACME_EVENTS' },
      },
    }).events.nats;
    const dataSource = await openDatabase(db.settings);
    const store = new EventStore(dataSource);
    const log = new EventLog(store, { identity: 'did:e:acme', maxDataBytes: 10_000 });
    const names = [
      'transport.messageReceived',
      'consumption.incomingRequestReceived',
      'transport.relationshipChanged',
    ];
    const appended: ConnectorEvent[] = [];
    for (let i = 0; i < 6; i++) appended.push(await log.append(names[i % 3]!, { i })); // before the publisher runs

    const publisher = new NatsEventPublisher({
      settings,
      log,
      store,
      logger: pino({ level: 'silent' }),
      batchSize: 4,
    });
    publisher.start();
    for (let i = 6; i < 10; i++) appended.push(await log.append(names[i % 3]!, { i }));
    await waitFor(async () => (await store.cursor('did:e:acme', 'nats')) === 10, 10_000, 'all published');
    expect(publisher.healthy()).toBe(true);

    // A publisher that restarts from an older cursor republishes; JetStream drops the duplicates by id.
    await publisher.close();
    await dataSource.query(`UPDATE connector_cursors SET "position" = 5`);
    const again = new NatsEventPublisher({
      settings,
      log,
      store,
      logger: pino({ level: 'silent' }),
      batchSize: 100,
    });
    again.start();
    await waitFor(async () => (await store.cursor('did:e:acme', 'nats')) === 10, 10_000, 'republished');
    await again.close();
    await dataSource.destroy();

    const nc = await connect({ servers: nats.url });
    try {
      const js = jetstream(nc);
      const consumer = await js.consumers.get('ACME_EVENTS', { opt_start_seq: 1 });
      const messages = await consumer.fetch({ max_messages: 20, expires: 1000 });
      const received: { subject: string; event: ConnectorEvent; seq: number; msgId: string | undefined }[] =
        [];
      for await (const m of messages) {
        received.push({
          subject: m.subject,
          event: m.json<ConnectorEvent>(),
          seq: m.seq,
          msgId: m.headers?.get('Nats-Msg-Id'),
        });
      }
      expect(received.map((r) => r.event)).toEqual(appended);
      expect(received.map((r) => r.subject)).toEqual(appended.map((e) => `acme.events.${e.namespace}`));
      expect(received.map((r) => r.msgId)).toEqual(appended.map((e) => e.id));
      expect(received.map((r) => r.seq)).toEqual(appended.map((e) => e.sequence));

      const filtered = await js.consumers.get('ACME_EVENTS', {
        filter_subjects: 'acme.events.transport.>',
        opt_start_seq: 4,
      });
      const transport = [];
      for await (const m of await filtered.fetch({ max_messages: 20, expires: 1000 }))
        transport.push(m.json<ConnectorEvent>().sequence);
      expect(transport).toEqual(
        appended
          .filter((e) => e.sequence >= 4 && e.namespace.startsWith('transport.'))
          .map((e) => e.sequence),
      );
    } finally {
      await nc.close();
    }
  });
});
