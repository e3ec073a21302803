import { readFileSync } from 'node:fs';
import {
  DiscardPolicy,
  type JetStreamClient,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { credsAuthenticator, type NatsConnection, nanos, headers as natsHeaders } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { ConnectorConfig } from '../config/schema.js';
import type { Counter } from '../metrics.js';
import type { EventLog } from './event-log.js';
import type { EventStore } from './event-store.js';
import { WakeSignal } from './wake.js';

type NatsSettings = ConnectorConfig['events']['nats'];

/** The name of the NATS publisher's cursor in the log. */
export const natsCursorName = 'nats';

/** The subject an event is published on: `<subjectPrefix>.<namespace>`. */
export function eventSubject(prefix: string, namespace: string): string {
  return `${prefix}.${namespace}`;
}

/** The JetStream stream that keeps the connector's events for replay. */
export function eventStreamConfig(settings: NatsSettings): Partial<StreamConfig> & { name: string } {
  return {
    name: settings.streamName,
    subjects: [`${settings.subjectPrefix}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(settings.streamMaxAgeSeconds * 1000),
    max_bytes: settings.streamMaxBytes,
    num_replicas: settings.streamReplicas,
    duplicate_window: nanos(settings.duplicateWindowMs),
  };
}

/**
 * Publishes every event of the log, in sequence order, to `<prefix>.<namespace>` on a JetStream stream it
 * creates (or updates) idempotently, so integrators replay from any point. Progress is a cursor in SQL moved
 * after JetStream acknowledged a batch; `Nats-Msg-Id` = event id lets JetStream drop a batch republished
 * after a crash (within the duplicate window). It reconnects and retries with backoff while NATS is away.
 */
export class NatsEventPublisher {
  readonly #settings: NatsSettings;
  readonly #log: EventLog;
  readonly #store: EventStore;
  readonly #logger: Logger;
  readonly #batchSize: number;
  readonly #published: Counter | undefined;
  readonly #wake = new WakeSignal();
  #nc: NatsConnection | undefined;
  #js: JetStreamClient | undefined;
  #healthy = false;
  #closing = false;
  #loop: Promise<void> | undefined;
  readonly #unsubscribe: () => void;

  /** Prepares the publisher; `start` runs it. */
  constructor(options: {
    settings: NatsSettings;
    log: EventLog;
    store: EventStore;
    logger: Logger;
    batchSize: number;
    published?: Counter;
  }) {
    this.#settings = options.settings;
    this.#log = options.log;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#batchSize = options.batchSize;
    this.#published = options.published;
    this.#unsubscribe = this.#log.subscribe(() => this.#wake.wake());
  }

  /** Starts publishing in the background. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Whether the last attempt to reach NATS and publish succeeded. */
  healthy(): boolean {
    return this.#healthy;
  }

  /** Stops after the batch in flight and drains the NATS connection. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#unsubscribe();
    this.#wake.wake();
    await this.#loop;
    await this.#nc?.drain().catch(() => undefined);
  }

  async #run(): Promise<void> {
    let backoff = this.#settings.retryInitialMs;
    while (!this.#closing) {
      try {
        const js = await this.#connect();
        const published = await this.#publishBatch(js);
        this.#healthy = true;
        backoff = this.#settings.retryInitialMs;
        if (published === this.#batchSize) continue;
        await this.#wake.wait(this.#settings.pollIntervalMs);
      } catch (error) {
        this.#healthy = false;
        this.#logger.warn({ err: error, retryInMs: backoff }, 'publishing events to NATS failed; retrying');
        await this.#wake.wait(backoff);
        backoff = Math.min(backoff * 2, this.#settings.retryMaxMs);
      }
    }
  }

  async #connect(): Promise<JetStreamClient> {
    if (this.#js && this.#nc && !this.#nc.isClosed()) return this.#js;
    const s = this.#settings;
    const nc = await connect({
      servers: s.servers,
      name: 'enmesh-connector-events',
      maxReconnectAttempts: -1,
      ...(s.user ? { user: s.user, pass: s.pass } : {}),
      ...(s.token ? { token: s.token } : {}),
      ...(s.credsFile ? { authenticator: credsAuthenticator(readFileSync(s.credsFile)) } : {}),
    });
    try {
      const jsm = await jetstreamManager(nc);
      const config = eventStreamConfig(s);
      const exists = await jsm.streams.info(config.name).then(
        () => true,
        () => false,
      );
      if (exists) await jsm.streams.update(config.name, config);
      else await jsm.streams.add(config);
    } catch (error) {
      await nc.close();
      throw error;
    }
    this.#nc = nc;
    this.#js = jetstream(nc);
    return this.#js;
  }

  async #publishBatch(js: JetStreamClient): Promise<number> {
    const identity = this.#log.identity;
    const from = (await this.#store.cursor(identity, natsCursorName)) + 1;
    const events = await this.#log.read(from, this.#batchSize);
    if (events.length === 0) return 0;
    // Sent back to back on one connection, the publishes are stored in this order.
    await Promise.all(
      events.map((event) => {
        const h = natsHeaders();
        h.set('Enmesh-Event-Sequence', String(event.sequence));
        h.set('Enmesh-Event-Namespace', event.namespace);
        return js.publish(
          eventSubject(this.#settings.subjectPrefix, event.namespace),
          JSON.stringify(event),
          {
            msgID: event.id,
            headers: h,
          },
        );
      }),
    );
    await this.#store.advanceCursor(identity, natsCursorName, events.at(-1)!.sequence);
    this.#published?.inc({}, events.length);
    return events.length;
  }
}
