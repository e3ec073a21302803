import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningBroker, startBroker } from '@enmesh/broker-config';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { type RunningActors, startActors } from './actors.js';
import { openDatabase } from './database.js';
import { startHealthServer } from './health-server.js';
import { backboneSchema } from './schema.js';
import type { StackSettings } from './settings.js';

/** The whole local stack, running. */
export interface RunningStack {
  readonly broker: RunningBroker;
  readonly db: DataSource;
  readonly actors: RunningActors;
  /** Where clients connect. */
  readonly natsUrl: string;
  /** Path of the bootstrap credentials file (public: registration and loading by id only). */
  readonly bootstrapCredsPath: string;
  readonly healthUrl: string;
  /** Drains the actors, closes connections and the database, stops nats-server. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options that tests use to isolate or speed up a stack. */
export interface StackOptions {
  readonly log: Logger;
  /** PostgreSQL schema for this stack (tests run side by side in one database). */
  readonly postgresSchema?: string;
  readonly clock?: () => number;
}

/**
 * Starts the local stack in order: nats-server (configured and applied by broker-config), the database
 * (migrated), the actors, the health endpoint. A second start on the same data directory resumes the same
 * keys, streams and rows. If any step fails, what was started is stopped again.
 * @throws BrokerStartError, SettingsError or the database's error, after cleaning up.
 */
export async function startStack(settings: StackSettings, options: StackOptions): Promise<RunningStack> {
  const { log } = options;
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    await mkdir(settings.broker.dataDir, { recursive: true, mode: 0o700 });
    const natsLog = log.child({ component: 'nats-server' });
    const broker = await startBroker(settings.broker, {
      ...(settings.natsServerPath ? { natsServerPath: settings.natsServerPath } : {}),
      onLog: (line) => natsLog.debug(line.replace(/^\[\d+\] \S+ \S+ /, '')),
    });
    cleanups.push(() => broker.stop());
    const bootstrapCredsPath = join(settings.broker.dataDir, 'bootstrap.creds');
    await writeFile(bootstrapCredsPath, broker.bootstrapCreds, { mode: 0o644 });

    const db = await openDatabase({
      databaseUrl: settings.databaseUrl,
      dataDir: settings.broker.dataDir,
      schema: backboneSchema,
      ...(options.postgresSchema ? { postgresSchema: options.postgresSchema } : {}),
    });
    cleanups.push(() => db.destroy());

    const nc = await broker.connectActor('actors');
    cleanups.push(() => nc.drain());
    const sys = await broker.connectSys();
    cleanups.push(() => sys.drain());
    const actors = await startActors({
      nc,
      sys,
      db,
      secrets: broker.secrets,
      log,
      settings: {
        backboneHost: settings.backboneHost,
        shardCount: settings.broker.shardCount,
        deviceJwtLifetimeMs: settings.deviceJwtLifetimeMs,
        mailboxInactiveMs: settings.mailboxInactiveMs,
        devicesPerIdentity: settings.devicesPerIdentity,
      },
      bootstrapRate: settings.bootstrapRate,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    cleanups.push(() => actors.drain());

    const health = await startHealthServer(settings.broker.host, settings.healthPort, {
      registry: actors.metrics.registry,
      isReady: () => !nc.isClosed() && actors.served.every((actor) => actor.isServing()),
      status: () => ({
        nats: nc.isClosed() ? 'closed' : 'connected',
        actors: Object.fromEntries(actors.served.map((a) => [a.name, a.isServing() ? 'serving' : 'stopped'])),
      }),
    });
    cleanups.push(() => health.close());

    let stopping: Promise<void> | undefined;
    return {
      broker,
      db,
      actors,
      natsUrl: broker.url,
      bootstrapCredsPath,
      healthUrl: health.url,
      stop: () => {
        stopping ??= cleanup();
        return stopping;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
