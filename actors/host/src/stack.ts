import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningBroker, startBroker } from '@enmesh/broker-config';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { RunningActors } from './actors.js';
import type { DeletionStep } from './identity-deletion-job.js';
import { startBackboneRuntime } from './runtime.js';
import type { StackSettings } from './settings.js';

/** The whole local stack, running. */
export interface RunningStack {
  readonly broker: RunningBroker;
  /** The database and actors of this process; absent when the actors run elsewhere. */
  readonly db: DataSource;
  readonly actors: RunningActors | undefined;
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
  /** Whether this process runs the actors too (default); tests run them in a process of their own. */
  readonly actors?: boolean;
  /** Called after each step of an identity's deletion; tests throw here to stop the job half-way. */
  readonly afterDeletionStep?: (step: DeletionStep) => void;
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

    const runtime = await startBackboneRuntime(settings, broker, {
      log,
      ...(options.postgresSchema ? { postgresSchema: options.postgresSchema } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.actors === false ? { actors: false } : {}),
      ...(options.afterDeletionStep ? { afterDeletionStep: options.afterDeletionStep } : {}),
    });
    cleanups.push(() => runtime.stop());

    let stopping: Promise<void> | undefined;
    return {
      broker,
      db: runtime.db,
      actors: runtime.actors,
      natsUrl: broker.url,
      bootstrapCredsPath,
      healthUrl: runtime.healthUrl,
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
