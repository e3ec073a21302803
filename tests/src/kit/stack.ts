import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  type DeletionStep,
  loadStackSettings,
  type RunningStack,
  type StackSettings,
  startStack,
} from '@enmesh/actor-host';
import { DataSource } from 'typeorm';
import { freePort } from './ports.js';

/** Which database a test stack uses. */
export type TestDatabase = 'sqlite' | 'postgres';

/** PostgreSQL of the test machine (trust auth); override with TEST_DATABASE_URL. */
export const testPostgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A whole backbone started for one test file: its own nats-server, data directory and database. */
export interface TestStack {
  readonly stack: RunningStack;
  readonly settings: StackSettings;
  /** The environment the stack's settings were read from (for processes the test starts itself). */
  readonly env: Record<string, string>;
  readonly endpoint: { servers: string };
  readonly bootstrapCreds: string;
  readonly database: TestDatabase;
  /** Stops the stack (it can be started again on the same data with `restart`). */
  stop(): Promise<void>;
  /** Starts the stack again on the same data directory and database. */
  restart(): Promise<TestStack>;
  /** Stops the stack and removes its data directory and database schema. */
  destroy(): Promise<void>;
}

/** Starts a backbone for tests on free ports with a temporary data directory and a few mailbox shards. */
export async function startTestStack(
  options: {
    database?: TestDatabase;
    env?: Record<string, string>;
    clock?: () => number;
    /** Whether the stack runs the actors in-process (default) or leaves them to a process of the test's. */
    actors?: boolean;
    /** Receives every log line (JSON) of the stack. */
    logSink?: (line: string) => void;
    /** Called after each step of an identity's deletion; throwing stops the job there, as a crash would. */
    afterDeletionStep?: (step: DeletionStep) => void;
  } = {},
): Promise<TestStack> {
  const database = options.database ?? 'sqlite';
  const dataDir = await mkdtemp(join(tmpdir(), 'enmesh-test-'));
  const schema = `t_${Math.random().toString(36).slice(2, 10)}`;
  const env = {
    ENMESH_DATA_DIR: dataDir,
    ENMESH_NATS_PORT: String(await freePort()),
    ENMESH_NATS_HTTP_PORT: String(await freePort()),
    ENMESH_HEALTH_PORT: '0',
    ENMESH_MAILBOX_SHARDS: '4',
    ENMESH_JETSTREAM_MAX_FILE_BYTES: String(1024 ** 3),
    // Tests register many identities from one host; the rate-limit test sets its own, lower limits.
    ENMESH_BOOTSTRAP_RATE_PER_HOST: '10000',
    ENMESH_BOOTSTRAP_BURST_PER_HOST: '10000',
    ENMESH_LOG_LEVEL: process.env.ENMESH_TEST_LOG_LEVEL ?? 'silent',
    ...(database === 'postgres' ? { DATABASE_URL: testPostgresUrl } : {}),
    ...options.env,
  };
  const settings = loadStackSettings(env, process.cwd());
  const start = async (): Promise<TestStack> => {
    const stack = await startStack(settings, {
      log: createLogger(
        settings.logLevel,
        false,
        options.logSink ? { write: (line: string) => options.logSink?.(line) } : undefined,
      ),
      ...(database === 'postgres' ? { postgresSchema: schema } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.actors === false ? { actors: false } : {}),
      ...(options.afterDeletionStep ? { afterDeletionStep: options.afterDeletionStep } : {}),
    });
    const bootstrapCreds = await readFile(stack.bootstrapCredsPath, 'utf8');
    const handle: TestStack = {
      stack,
      settings,
      env,
      endpoint: { servers: stack.natsUrl },
      bootstrapCreds,
      database,
      stop: () => stack.stop(),
      restart: async () => {
        await stack.stop();
        return start();
      },
      destroy: async () => {
        await stack.stop();
        await rm(dataDir, { recursive: true, force: true });
        if (database === 'postgres') await dropSchema(schema);
      },
    };
    return handle;
  };
  return start();
}

async function dropSchema(schema: string): Promise<void> {
  const db = new DataSource({ type: 'postgres', url: testPostgresUrl });
  await db.initialize();
  try {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await db.destroy();
  }
}
