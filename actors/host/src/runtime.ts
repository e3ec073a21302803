import { createActorMetrics } from '@enmesh/actor-kit';
import type { BrokerSecrets } from '@enmesh/broker-config';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { type RunningActors, startActors } from './actors.js';
import { openDatabase, sqliteFile } from './database.js';
import { startHealthServer } from './health-server.js';
import type { DeletionStep } from './identity-deletion-job.js';
import { backboneSchema } from './schema.js';
import type { StackSettings } from './settings.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

/** How the runtime reaches a running broker. */
export interface BrokerAccess {
  readonly secrets: BrokerSecrets;
  connectActor(name: string): Promise<NatsConnection>;
  connectSys(): Promise<NatsConnection>;
}

/** The backbone's runtime in one process: database, actors, health endpoint. */
export interface BackboneRuntime {
  readonly db: DataSource;
  /** Undefined when this process runs no actors. */
  readonly actors: RunningActors | undefined;
  readonly healthUrl: string;
  /** Drains the actors, closes the connections, the database and the health endpoint. */
  stop(): Promise<void>;
}

/**
 * Starts the backbone's runtime against a running broker: opens and migrates the database, connects, serves
 * the actors (unless `actors` is false) and the health endpoint. On failure, what was started is stopped.
 */
export async function startBackboneRuntime(
  settings: StackSettings,
  broker: BrokerAccess,
  options: {
    log: Logger;
    postgresSchema?: string;
    clock?: () => number;
    actors?: boolean;
    afterDeletionStep?: (step: DeletionStep) => void;
  },
): Promise<BackboneRuntime> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const db = await openDatabase({
      databaseUrl: settings.databaseUrl,
      dataDir: settings.broker.dataDir,
      schema: backboneSchema,
      ...(options.postgresSchema ? { postgresSchema: options.postgresSchema } : {}),
    });
    cleanups.push(() => db.destroy());
    if (!settings.databaseUrl) {
      // Checkpoints move off the actors' event loop (see startWalCheckpointer).
      await db.query('PRAGMA wal_autocheckpoint = 0');
      const checkpointer = startWalCheckpointer(sqliteFile(settings.broker.dataDir), (message) =>
        options.log.warn({ event: 'walCheckpointFailed', message }, 'the SQLite WAL checkpoint failed'),
      );
      cleanups.push(() => checkpointer.stop());
    }
    let actors: RunningActors | undefined;
    let nc: NatsConnection | undefined;
    if (options.actors !== false) {
      nc = await broker.connectActor('actors');
      const connection = nc;
      cleanups.push(() => connection.drain());
      const sys = await broker.connectSys();
      cleanups.push(() => sys.drain());
      actors = await startActors({
        nc,
        sys,
        db,
        secrets: broker.secrets,
        log: options.log,
        settings: {
          backboneHost: settings.backboneHost,
          shardCount: settings.broker.shardCount,
          deviceJwtLifetimeMs: settings.deviceJwtLifetimeMs,
          mailboxInactiveMs: settings.mailboxInactiveMs,
          fileMaxBytes: settings.fileMaxBytes,
          deletionGracePeriodMs: settings.deletionGracePeriodMs,
        },
        bootstrapRate: settings.bootstrapRate,
        quotas: settings.quotas,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.afterDeletionStep ? { afterDeletionStep: options.afterDeletionStep } : {}),
      });
      const running = actors;
      cleanups.push(() => running.drain());
    }
    const served = actors?.served ?? [];
    const health = await startHealthServer(settings.broker.host, settings.healthPort, {
      registry: (actors?.metrics ?? createActorMetrics()).registry,
      isReady: () => (nc ? !nc.isClosed() : true) && served.every((actor) => actor.isServing()),
      status: () => ({
        nats: nc ? (nc.isClosed() ? 'closed' : 'connected') : 'not used',
        actors: Object.fromEntries(served.map((a) => [a.name, a.isServing() ? 'serving' : 'stopped'])),
      }),
    });
    cleanups.push(() => health.close());
    return { db, actors, healthUrl: health.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
