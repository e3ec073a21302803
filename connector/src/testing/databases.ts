import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ConnectorConfig } from '../config/schema.js';

/** The PostgreSQL the tests use (trust authentication, database `test`). */
export const testPostgresUrl = 'postgres://postgres@127.0.0.1:5432/test';

/** Database settings for one test, and how to remove what it created. */
export interface TestDatabase {
  readonly settings: ConnectorConfig['database'];
  drop(): Promise<void>;
}

/** A SQLite file in a fresh temporary folder. */
export async function sqliteTestDatabase(): Promise<TestDatabase> {
  const folder = await mkdtemp(join(tmpdir(), 'connector-db-'));
  return {
    settings: { dbName: 'test', folder, poolSize: 1 },
    drop: () => rm(folder, { recursive: true, force: true }),
  };
}

/** A unique PostgreSQL schema in the test database, dropped with everything in it. */
export function postgresTestDatabase(): TestDatabase {
  const schema = `connector_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    settings: { connectionString: testPostgresUrl, schema, dbName: 'test', folder: '.', poolSize: 5 },
    drop: async () => {
      const db = new DataSource({ type: 'postgres', url: testPostgresUrl });
      await db.initialize();
      try {
        await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await db.destroy();
      }
    },
  };
}

/**
 * Waits until `check` returns a value other than undefined/false, polling every few milliseconds.
 * @throws Error when the deadline passes first.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
