import pino from 'pino';
import type { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { Metrics } from '../metrics.js';
import {
  postgresTestDatabase,
  sqliteTestDatabase,
  type TestDatabase,
  waitFor,
} from '../testing/databases.js';
import { TestReceiver } from '../testing/receiver.js';
import { openDatabase } from './database.js';
import { DeliveryStore } from './delivery-store.js';
import { EventLog } from './event-log.js';
import { EventStore } from './event-store.js';
import { verifySignature } from './signature.js';
import { resolveWebhooks } from './webhook-config.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

const secret = 'a-webhook-signing-secret-of-32-chars!';
const identity = 'did:e:acme';

function webhookSettings(port: number, delivery: Record<string, number>) {
  return parseConfig({
    infrastructure: { httpServer: { apiKey: 'legacy' } },
    modules: {
      webhooks: {
        enabled: true,
        signingSecret: secret,
        targets: {
          erp: {
            url: `http://127.0.0.1:${port}/hooks/{{trigger}}`,
            headers: { 'X-Tenant': 'acme' },
            authentication: { type: 'ApiKey', apiKey: 'receiver-key' },
          },
        },
        webhooks: [{ name: 'erp', triggers: ['transport.*'], target: 'erp' }],
        delivery: {
          initialBackoffMs: 20,
          maxBackoffMs: 100,
          pollIntervalMs: 50,
          timeoutMs: 2000,
          ...delivery,
        },
      },
    },
  }).modules.webhooks;
}

/** An event log and a dispatcher on one database: one "connector process" as far as events go. */
async function startProcess(db: TestDatabase, settings: ReturnType<typeof webhookSettings>) {
  const dataSource: DataSource = await openDatabase(db.settings);
  const store = new EventStore(dataSource);
  const log = new EventLog(store, { identity, maxDataBytes: 10_000 });
  const webhooks = resolveWebhooks(settings);
  const deliveries = new DeliveryStore(store, identity);
  log.addAppendHook(deliveries.fanOut((ns) => webhooks.filter((w) => w.matches(ns)).map((w) => w.name)));
  const metrics = new Metrics();
  const attempts = metrics.counter('attempts', 'attempts');
  const dispatcher = new WebhookDispatcher({
    webhooks,
    deliveries,
    events: store,
    identity,
    settings: settings.delivery,
    skipTlsCheck: false,
    logger: pino({ level: 'silent' }),
    metrics: { attempts },
  });
  log.subscribe(() => dispatcher.notify());
  dispatcher.start();
  return { dataSource, log, deliveries, dispatcher, attempts };
}

const failedAttempts = (counter: {
  values(): ReadonlyArray<{ labels: Record<string, string>; value: number }>;
}) => counter.values().find((v) => v.labels.outcome === 'failed')?.value ?? 0;

const databases = [
  ['SQLite', sqliteTestDatabase],
  ['PostgreSQL', async () => postgresTestDatabase()],
] as const;

describe.each(databases)('durable webhooks on %s', (_kind, createDatabase) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup() {
    const db = await createDatabase();
    cleanups.push(() => db.drop());
    const receiver = new TestReceiver();
    await receiver.start();
    await receiver.stop(); // the port is known and closed
    cleanups.push(() => receiver.stop());
    return { db, receiver };
  }

  it('delivers every event in order with a valid signature once a receiver that was down comes back', async () => {
    const { db, receiver } = await setup();
    const p = await startProcess(db, webhookSettings(receiver.port, { maxAttempts: 1000 }));
    cleanups.push(async () => {
      await p.dispatcher.close();
      await p.dataSource.destroy();
    });
    const appended = [];
    for (let i = 0; i < 12; i++) {
      appended.push(
        await p.log.append(i % 3 === 2 ? 'consumption.attributeCreated' : 'transport.messageReceived', { i }),
      );
    }
    const expected = appended.filter((e) => e.namespace.startsWith('transport.'));
    await waitFor(() => failedAttempts(p.attempts) >= 3, 10_000, 'attempts against the closed port');
    receiver.status = 500;
    await receiver.start();
    await waitFor(() => receiver.received.length >= 2, 10_000, 'answers with 500');
    receiver.status = 200;
    await waitFor(() => receiver.accepted().length >= expected.length, 15_000, 'all deliveries');

    expect(receiver.acceptedEventIds()).toEqual(expected.map((e) => e.id));
    for (const [index, request] of receiver.accepted().entries()) {
      const event = expected[index]!;
      expect(request.path).toBe('/hooks/transport.messageReceived');
      expect(JSON.parse(request.body)).toEqual({ trigger: event.namespace, data: event.data });
      expect(request.headers['x-enmesh-event-sequence']).toBe(String(event.sequence));
      expect(request.headers['x-tenant']).toBe('acme');
      expect(request.headers['x-api-key']).toBe('receiver-key');
      const signature = String(request.headers['x-enmesh-signature']);
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(
        verifySignature(secret, request.body, signature, {
          nowSeconds: Date.now() / 1000,
          toleranceSeconds: 300,
        }),
      ).toBe(true);
      expect(
        verifySignature(secret, `${request.body} `, signature, {
          nowSeconds: Date.now() / 1000,
          toleranceSeconds: 300,
        }),
      ).toBe(false);
    }
    // The 500 answers came before the first acceptance and were for the head of the queue.
    const rejected = receiver.received.filter((r) => r.answered === 500);
    expect(new Set(rejected.map((r) => r.headers['x-enmesh-event-id']))).toEqual(new Set([expected[0]!.id]));
  });

  it('moves deliveries to the dead letters after the last attempt and requeues them on request', async () => {
    const { db, receiver } = await setup();
    receiver.status = 503;
    await receiver.start();
    const p = await startProcess(db, webhookSettings(receiver.port, { maxAttempts: 3 }));
    cleanups.push(async () => {
      await p.dispatcher.close();
      await p.dataSource.destroy();
    });
    const events = [
      await p.log.append('transport.messageReceived', { n: 1 }),
      await p.log.append('transport.messageSent', { n: 2 }),
    ];
    const dead = await waitFor(
      async () => {
        const letters = await p.deliveries.deadLetters({ limit: 10, offset: 0 });
        return letters.length === 2 && letters;
      },
      10_000,
      'dead letters',
    );
    expect(dead.map((d) => [d.eventId, d.webhook, d.attempts, d.lastStatus, d.lastError])).toEqual([
      [events[0]!.id, 'erp', 3, 503, 'HTTP 503'],
      [events[1]!.id, 'erp', 3, 503, 'HTTP 503'],
    ]);
    expect(receiver.received).toHaveLength(6);

    receiver.status = 200;
    expect(await p.deliveries.requeue({ id: dead[1]!.id }, Date.now())).toBe(1);
    expect(await p.deliveries.requeue({}, Date.now())).toBe(1);
    p.dispatcher.notify();
    await waitFor(() => receiver.accepted().length === 2, 10_000, 'requeued deliveries');
    expect(await p.deliveries.deadLetters({ limit: 10, offset: 0 })).toEqual([]);
  });

  it('loses nothing over a graceful restart and a crash; a crash repeats at most the delivery in flight', async () => {
    const { db, receiver } = await setup();
    await receiver.start();
    const settings = webhookSettings(receiver.port, { maxAttempts: 1000 });
    const ids: string[] = [];
    const append = async (log: EventLog, n: number) => {
      for (let i = 0; i < n; i++)
        ids.push((await log.append('transport.messageReceived', { i: ids.length })).id);
    };

    // First process: appends 10, stops gracefully after a few deliveries.
    const first = await startProcess(db, settings);
    await append(first.log, 10);
    await waitFor(() => receiver.accepted().length >= 3, 10_000, 'first deliveries');
    await first.dispatcher.close();
    await first.dataSource.destroy();

    // Second process: appends 5 more, then "crashes" while the receiver holds a delivery.
    const second = await startProcess(db, settings);
    let release: () => void = () => undefined;
    receiver.hold = new Promise((resolve) => {
      release = resolve;
    });
    await append(second.log, 5);
    await waitFor(() => second.attempts.values().length === 0 && receiver.received.length > 0, 5000).catch(
      () => undefined,
    );
    await second.dataSource.destroy(); // the process dies: nothing more is recorded
    release();
    receiver.hold = undefined;
    await second.dispatcher.close();

    // Third process: resumes from the database.
    const third = await startProcess(db, settings);
    cleanups.push(async () => {
      await third.dispatcher.close();
      await third.dataSource.destroy();
    });
    await append(third.log, 5);
    await waitFor(() => new Set(receiver.acceptedEventIds()).size === ids.length, 15_000, 'every event');

    const arrived = receiver.acceptedEventIds();
    const firstArrival = [...new Set(arrived)];
    expect(firstArrival).toEqual(ids);
    // At least once: the delivery in flight at the crash arrives twice (same event id), right after itself.
    const repeats = arrived.length - firstArrival.length;
    expect(repeats).toBe(1);
    for (let i = 1; i < arrived.length; i++) {
      if (arrived[i] === arrived[i - 1]) continue;
      expect(ids.indexOf(arrived[i]!)).toBe(ids.indexOf(arrived[i - 1]!) + 1);
    }
  });
});
