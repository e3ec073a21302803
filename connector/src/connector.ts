import type { Hono } from 'hono';
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
import type { AppEnv } from './http/route-handler.js';
import { type RunningServer, startHttpServer } from './http/server.js';
import { RuntimeEventForwarder } from './identity/event-forwarder.js';
import { type IdentityRuntime, openIdentityRuntime } from './identity/identity-runtime.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { RouteRegistry } from './openapi/registry.js';
import { registerDomainRoutes } from './routes/domain-routes.js';

/** What a connector is started with besides its configuration. */
export interface ConnectorOptions {
  readonly logger?: Logger;
  readonly version?: VersionInfo;
  /** Routes of other features (the domain API), registered before the app is built. */
  readonly registry?: RouteRegistry;
  /**
   * The identity whose events are logged; defaults to the runtime account's address, or to
   * `database.dbName` when `transportLibrary.enabled` is false.
   */
  readonly identity?: string;
  /** Further health checks, e.g. the backbone connection. */
  readonly health?: HealthChecks;
  /** Folder relative paths in the configuration resolve against. */
  readonly cwd?: string;
}

/**
 * A running connector: its identity (the SDK runtime's account, whose events are copied into the event
 * log), its database and event log, webhook dispatcher, NATS publisher, SSE streams and HTTP server with
 * the domain routes, wired in plain code. `close` shuts down in order: refuse new requests and streams, let
 * requests in flight finish, stop the identity and the copying of its events, let webhook deliveries in
 * flight finish, stop publishing, close the database.
 */
export class Connector {
  readonly events: EventLog;
  /** The identity the connector runs; undefined when `transportLibrary.enabled` is false. */
  readonly identity: IdentityRuntime | undefined;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly #dataSource: DataSource;
  readonly #dispatcher: WebhookDispatcher | undefined;
  readonly #publisher: NatsEventPublisher | undefined;
  readonly #sse: SseHub | undefined;
  readonly #pruner: RetentionPruner;
  readonly #server: RunningServer | undefined;
  /** The HTTP app (for in-process requests with `app.request`), when the server is enabled. */
  readonly app: Hono<AppEnv> | undefined;
  readonly #forwarder: RuntimeEventForwarder | undefined;
  #closed: Promise<void> | undefined;

  private constructor(parts: {
    events: EventLog;
    identity: IdentityRuntime | undefined;
    forwarder: RuntimeEventForwarder | undefined;
    metrics: Metrics;
    logger: Logger;
    dataSource: DataSource;
    dispatcher: WebhookDispatcher | undefined;
    publisher: NatsEventPublisher | undefined;
    sse: SseHub | undefined;
    pruner: RetentionPruner;
    server: RunningServer | undefined;
    app?: Hono<AppEnv> | undefined;
  }) {
    this.events = parts.events;
    this.identity = parts.identity;
    this.#forwarder = parts.forwarder;
    this.metrics = parts.metrics;
    this.logger = parts.logger;
    this.#dataSource = parts.dataSource;
    this.#dispatcher = parts.dispatcher;
    this.#publisher = parts.publisher;
    this.#sse = parts.sse;
    this.#pruner = parts.pruner;
    this.#server = parts.server;
    this.app = parts.app;
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
    const dataSource = await openDatabase(config.database, options.cwd);
    let runtime: IdentityRuntime | undefined;
    try {
      runtime = config.transportLibrary.enabled
        ? await openIdentityRuntime(config, {
            ...(options.cwd ? { cwd: options.cwd } : {}),
            logger: logger.child({ part: 'runtime' }),
          })
        : undefined;
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
    const identity = options.identity ?? runtime?.account.address ?? config.database.dbName;
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

    let forwarder: RuntimeEventForwarder | undefined;
    if (runtime) {
      registerDomainRoutes(registry, {
        account: runtime.account,
        timeoutMs: config.transportLibrary.timeoutMs,
      });
      forwarder = new RuntimeEventForwarder({
        hub: runtime.runtime.events,
        log: events,
        store,
        identity: runtime.account.address,
        logger: logger.child({ part: 'runtime-events' }),
      });
      forwarder.start();
    }
    const account = runtime?.account;
    const http = config.infrastructure.httpServer;
    const parts = {
      events,
      identity: runtime,
      forwarder,
      metrics,
      logger,
      dataSource,
      dispatcher,
      publisher,
      sse,
      pruner,
    };
    let server: RunningServer | undefined;
    let httpApp: Hono<AppEnv> | undefined;
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
          ...(account
            ? {
                // A round trip as this device: the connection is up and the device is still admitted.
                backbone: async () => {
                  await account.transport.account.getDevices({
                    signal: AbortSignal.timeout(http.healthTimeoutMs),
                  });
                  return true;
                },
              }
            : {}),
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
        ...(account ? { identityInfo: account.transport.account.getIdentityInfo() } : {}),
      });
      try {
        server = await startHttpServer(app, http);
        httpApp = app;
      } catch (error) {
        await new Connector({ ...parts, server: undefined }).close();
        throw error;
      }
      logger.info({ port: server.port, identity }, 'connector listening');
    }
    return new Connector({ ...parts, server, app: httpApp });
  }

  /** Shuts down gracefully (see the class comment); calling it again waits for the same shutdown. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#sse?.close();
      await this.#server?.close();
      // The runtime stores every event before it hands it out: what the forwarder has not copied yet is
      // copied after the next start.
      await this.identity?.runtime.close();
      await this.#forwarder?.close();
      await this.#dispatcher?.close();
      await this.#publisher?.close();
      await this.#pruner.close();
      await this.#dataSource.destroy();
      this.logger.info('connector stopped');
    })();
    return this.#closed;
  }
}
