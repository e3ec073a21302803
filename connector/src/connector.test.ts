import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from './config/load.js';
import { Connector } from './connector.js';
import type { ConnectorEvent } from './events/event.js';
import { sqliteTestDatabase, waitFor } from './testing/databases.js';
import { TestReceiver } from './testing/receiver.js';

const key = 'Admin-Key-11-AAbb-cccccccccccccccccc';
const eventsOnly = 'Evts-Key-22-EEvv-cccccccccccccccccc';

async function start(receiverPort: number, folder: string) {
  const config = parseConfig({
    database: { folder, dbName: 'acme' },
    // The event log on its own; the identity's runtime is tested against a backbone in tests/src/connector.
    transportLibrary: { enabled: false },
    infrastructure: {
      httpServer: {
        port: 0,
        host: '127.0.0.1',
        shutdownTimeoutMs: 2000,
        authentication: {
          apiKey: { keys: { admin: { key }, events: { key: eventsOnly, scopes: ['core:events'] } } },
        },
      },
    },
    modules: {
      webhooks: {
        enabled: true,
        signingSecret: 'x'.repeat(32),
        webhooks: [
          { name: 'erp', triggers: ['**'], target: { url: `http://127.0.0.1:${receiverPort}/hook` } },
        ],
        delivery: { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 20, pollIntervalMs: 50 },
      },
    },
    events: { readBatchSize: 3, sse: { enabled: true, keepAliveMs: 1000 } },
  });
  return Connector.start(config, { logger: pino({ level: 'silent' }) });
}

/** Reads SSE messages from a streaming response until `count` arrived. */
async function readSse(response: Response, count: number): Promise<{ id: string; event: ConnectorEvent }[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const out: { id: string; event: ConnectorEvent }[] = [];
  let buffer = '';
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id && data) out.push({ id, event: JSON.parse(data) as ConnectorEvent });
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return out;
}

describe('a running connector', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('shows dead letters over the API and requeues them; streams events over SSE with resume', async () => {
    const db = await sqliteTestDatabase();
    cleanups.push(() => db.drop());
    const receiver = new TestReceiver();
    receiver.status = 500;
    await receiver.start();
    cleanups.push(() => receiver.stop());
    const connector = await start(receiver.port, db.settings.folder);
    cleanups.push(() => connector.close());
    const base = `http://127.0.0.1:${connector.port}`;
    const api = (path: string, init: RequestInit = {}, apiKey = key) =>
      fetch(`${base}${path}`, { ...init, headers: { 'x-api-key': apiKey, ...(init.headers ?? {}) } });

    const appended = [];
    for (let i = 0; i < 5; i++)
      appended.push(await connector.events.append('transport.messageReceived', { i }));

    await waitFor(
      async () => {
        const body = (await (await api('/api/core/v1/Webhooks')).json()) as {
          result: { deliveries: { dead: number } }[];
        };
        return body.result[0]?.deliveries.dead === 5;
      },
      10_000,
      'dead letters',
    );
    // Pages are at most events.readBatchSize (3) long.
    expect((await api('/api/core/v1/Webhooks/DeadLetters?limit=10')).status).toBe(400);
    const pages = await Promise.all(
      ['', '?offset=3'].map(async (q) => {
        const body = (await (await api(`/api/core/v1/Webhooks/DeadLetters${q}`)).json()) as {
          result: { id: string; sequence: number }[];
        };
        return body.result;
      }),
    );
    const dead = pages.flat();
    expect(dead.map((d) => d.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect((await api('/api/core/v1/Webhooks/DeadLetters', {}, eventsOnly)).status).toBe(403);
    expect(
      (await api(`/api/core/v1/Webhooks/DeadLetters/${crypto.randomUUID()}/Requeue`, { method: 'POST' }))
        .status,
    ).toBe(404);
    receiver.status = 200;
    const one = await api(`/api/core/v1/Webhooks/DeadLetters/${dead[0]!.id}/Requeue`, { method: 'POST' });
    expect(await one.json()).toEqual({ result: { requeued: 1 } });
    const all = await api('/api/core/v1/Webhooks/DeadLetters/Requeue', { method: 'POST' });
    expect(await all.json()).toEqual({ result: { requeued: 4 } });
    await waitFor(() => receiver.accepted().length === 5, 10_000, 'requeued deliveries');
    const hooks = (await (await api('/api/core/v1/Webhooks')).json()) as { result: unknown };
    expect(hooks.result).toEqual([
      { name: 'erp', triggers: ['**'], deliveries: { pending: 0, delivered: 5, dead: 0 } },
    ]);

    // SSE: from a sequence, in pages of 3, then following new events.
    const stream = await api('/api/core/v1/Events/stream?from=2', {}, eventsOnly);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const later = connector.events.append('transport.messageSent', { late: true });
    const got = await readSse(stream, 5);
    expect(got.map((m) => m.id)).toEqual(['2', '3', '4', '5', '6']);
    expect(got[0]!.event).toEqual(appended[1]);
    expect(got[4]!.event).toEqual(await later);
    // A reconnecting client resumes after its Last-Event-ID, whatever `from` says.
    const resumed = await api(
      '/api/core/v1/Events/stream?from=1',
      { headers: { 'last-event-id': '4' } },
      eventsOnly,
    );
    expect((await readSse(resumed, 2)).map((m) => m.id)).toEqual(['5', '6']);
    expect((await api('/api/core/v1/Events/stream')).status).toBe(200);
    expect((await fetch(`${base}/api/core/v1/Events/stream`)).status).toBe(401);

    const metrics = await (await api('/metrics')).text();
    expect(metrics).toContain('enmesh_connector_webhook_attempts_total{outcome="dead",webhook="erp"} 5');
    expect(metrics).toContain('enmesh_connector_events_total 6');
  });

  it('shuts down gracefully: ends open streams, finishes the delivery in flight, then closes', async () => {
    const db = await sqliteTestDatabase();
    cleanups.push(() => db.drop());
    const receiver = new TestReceiver();
    await receiver.start();
    cleanups.push(() => receiver.stop());
    let release: () => void = () => undefined;
    receiver.hold = new Promise((resolve) => {
      release = resolve;
    });
    const connector = await start(receiver.port, db.settings.folder);
    const base = `http://127.0.0.1:${connector.port}`;
    const stream = await fetch(`${base}/api/core/v1/Events/stream?from=1`, { headers: { 'x-api-key': key } });
    const event = await connector.events.append('transport.messageReceived', {});
    await waitFor(() => receiver.held === 1, 10_000, 'a delivery in flight');

    let closed = false;
    const closing = connector.close().then(() => {
      closed = true;
    });
    expect(await readSse(stream, 2)).toHaveLength(1); // the stream ends after the one event
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false); // waits for the delivery in flight
    release();
    await closing;
    expect(receiver.acceptedEventIds()).toEqual([event.id]);
    await expect(fetch(`${base}/health`)).rejects.toThrow();

    // The delivery was recorded before the database closed: a restart does not send it again.
    const again = await start(receiver.port, db.settings.folder);
    cleanups.push(() => again.close());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.accepted()).toHaveLength(1);
  });
});
