import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { redactConfig } from './config/redact.js';
import type { ConnectorConfig } from './config/schema.js';
import { openDatabase } from './events/database.js';
import { DeliveryStore } from './events/delivery-store.js';
import { EventLog } from './events/event-log.js';
import { EventStore } from './events/event-store.js';
import { NatsEventPublisher, natsCursorName } from './events/nats-publisher.js';
import { RetentionPruner } from './events/retention.js';
import { registerEventRoutes } from './events/routes.js';
import { SseHub } from './events/sse.js';
import { resolveWebhooks } from './events/webhook-config.js';
import { WebhookDispatcher } from './events/webhook-dispatcher.js';
import { createHttpApp } from './http/app.js';
import { createAuthenticator } from './http/auth.js';
import type { HealthChecks, VersionInfo } from './http/monitoring.js';
import { type RunningServer, startHttpServer } from './http/server.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { RouteRegistry } from './openapi/registry.js';

/** What a connector is started with besides its configuration. */
export interface ConnectorOptions {
  readonly logger?: Logger;
  readonly version?: VersionInfo;
  /** Routes of other features (the domain API), registered before the app is built. */
  readonly registry?: RouteRegistry;
  /** The identity whose events are logged; defaults to `database.dbName` until the runtime provides one. */
  readonly identity?: string;
  /** Further health checks, e.g. the backbone connection. */
  readonly health?: HealthChecks;
  /** Folder relative paths in the configuration resolve against. */
  readonly cwd?: string;
}

/**
 * A running connector: its database and event log, webhook dispatcher, NATS publisher, SSE streams and
 * HTTP server, wired in plain code. `close` shuts down in order: refuse new requests and streams, let
 * requests and webhook deliveries in flight finish, stop publishing, close the database.
 */
export class Connector {
  readonly events: EventLog;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly #dataSource: DataSource;
  readonly #dispatcher: WebhookDispatcher | undefined;
  readonly #publisher: NatsEventPublisher | undefined;
  readonly #sse: SseHub | undefined;
  readonly #pruner: RetentionPruner;
  readonly #server: RunningServer | undefined;
  #closed: Promise<void> | undefined;

  private constructor(parts: {
    events: EventLog;
    metrics: Metrics;
    logger: Logger;
    dataSource: DataSource;
    dispatcher: WebhookDispatcher | undefined;
    publisher: NatsEventPublisher | undefined;
    sse: SseHub | undefined;
    pruner: RetentionPruner;
    server: RunningServer | undefined;
  }) {
    this.events = parts.events;
    this.metrics = parts.metrics;
    this.logger = parts.logger;
    this.#dataSource = parts.dataSource;
    this.#dispatcher = parts.dispatcher;
    this.#publisher = parts.publisher;
    this.#sse = parts.sse;
    this.#pruner = parts.pruner;
    this.#server = parts.server;
  }

  /** The HTTP port, when the server is enabled. */
  get port(): number | undefined {
    return this.#server?.port;
  }

  /**
   * Opens the database (running migrations), starts webhook delivery, the NATS publisher and the HTTP server
   * as configured.
   * @throws Error when the database cannot be opened or the port cannot be bound.
   */
  static async start(config: ConnectorConfig, options: ConnectorOptions = {}): Promise<Connector> {
    const logger = options.logger ?? createLogger(config.logging.level);
    const metrics = new Metrics();
    const identity = options.identity ?? config.database.dbName;
    const dataSource = await openDatabase(config.database, options.cwd);
    const store = new EventStore(dataSource);
    const events = new EventLog(store, { identity, maxDataBytes: config.events.maxDataBytes });
    const registry = options.registry ?? new RouteRegistry();
    const pageSize = config.events.readBatchSize;

    const webhooks = resolveWebhooks(config.modules.webhooks);
    let dispatcher: WebhookDispatcher | undefined;
    let deliveries: DeliveryStore | undefined;
    if (webhooks.length > 0) {
      if (!config.modules.webhooks.signingSecret && webhooks.some((w) => !w.signingSecret)) {
        logger.warn('webhooks without a signing secret are sent unsigned');
      }
      deliveries = new DeliveryStore(store, identity);
      events.addAppendHook(
        deliveries.fanOut((ns) => webhooks.filter((w) => w.matches(ns)).map((w) => w.name)),
      );
      dispatcher = new WebhookDispatcher({
        webhooks,
        deliveries,
        events: store,
        identity,
        settings: config.modules.webhooks.delivery,
        skipTlsCheck: config.modules.webhooks.skipTlsCheck,
        logger: logger.child({ part: 'webhooks' }),
        metrics: {
          attempts: metrics.counter(
            'enmesh_connector_webhook_attempts_total',
            'Webhook delivery attempts by outcome.',
          ),
        },
      });
      const d = dispatcher;
      events.subscribe(() => d.notify());
      dispatcher.start();
    }
    const appended = metrics.counter('enmesh_connector_events_total', 'Events appended to the log.');
    events.subscribe(() => appended.inc());

    let publisher: NatsEventPublisher | undefined;
    if (config.events.nats.enabled) {
      publisher = new NatsEventPublisher({
        settings: config.events.nats,
        log: events,
        store,
        logger: logger.child({ part: 'nats-events' }),
        batchSize: pageSize,
        published: metrics.counter(
          'enmesh_connector_nats_events_published_total',
          'Events published to NATS.',
        ),
      });
      publisher.start();
    }
    const pruner = new RetentionPruner({
      store,
      identity,
      settings: config.events.retention,
      ...(publisher ? { publishedUpTo: () => store.cursor(identity, natsCursorName) } : {}),
      logger: logger.child({ part: 'retention' }),
    });
    pruner.start();
    const sse = config.events.sse.enabled
      ? new SseHub(events, logger.child({ part: 'sse' }), { ...config.events.sse, batchSize: pageSize })
      : undefined;
    if (sse)
      metrics.gauge('enmesh_connector_sse_streams', 'Open event streams.', () => [{ value: sse.open }]);

    registerEventRoutes(registry, {
      log: events,
      pageSize,
      ...(sse ? { sse } : {}),
      ...(dispatcher && deliveries
        ? {
            webhooks: {
              names: webhooks.map((w) => w.name),
              triggers: Object.fromEntries(webhooks.map((w) => [w.name, w.triggers])),
              deliveries,
              dispatcher,
            },
          }
        : {}),
    });

    const http = config.infrastructure.httpServer;
    let server: RunningServer | undefined;
    if (http.enabled) {
      const pub = publisher;
      const app = createHttpApp({
        config,
        registry,
        authenticator: createAuthenticator(http),
        metrics,
        logger: logger.child({ part: 'http' }),
        health: {
          database: async () => (await dataSource.query('SELECT 1')) !== undefined,
          ...(pub ? { events: async () => pub.healthy() } : {}),
          ...options.health,
        },
        // Without build information (a development run) the start of this process stands in for the build time.
        version: options.version ?? {
          version: '0.0.0',
          build: 'dev',
          commit: 'unknown',
          date: new Date(Date.now() - process.uptime() * 1000).toISOString(),
        },
        supportConfiguration: redactConfig(config),
      });
      server = await startHttpServer(app, http);
      logger.info({ port: server.port }, 'connector listening');
    }
    return new Connector({ events, metrics, logger, dataSource, dispatcher, publisher, sse, pruner, server });
  }

  /** Shuts down gracefully (see the class comment); calling it again waits for the same shutdown. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#sse?.close();
      await this.#server?.close();
      await this.#dispatcher?.close();
      await this.#publisher?.close();
      await this.#pruner.close();
      await this.#dataSource.destroy();
      this.logger.info('connector stopped');
    })();
    return this.#closed;
  }
}
