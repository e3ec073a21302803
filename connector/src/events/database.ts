import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import type { ConnectorConfig } from '../config/schema.js';
import { connectorEntities } from './entities.js';
import { connectorMigrations } from './migrations.js';

/**
 * Opens the connector's database and applies pending migrations (never `synchronize`): PostgreSQL when
 * `database.connectionString` is set (in `database.schema` when given, created if missing), else the SQLite
 * file `<folder>/<dbName>.sqlite` in WAL mode.
 */
export async function openDatabase(settings: ConnectorConfig['database'], cwd = '.'): Promise<DataSource> {
  const common = {
    entities: connectorEntities,
    migrations: connectorMigrations,
    migrationsRun: true,
    migrationsTableName: 'connector_migrations',
    synchronize: false,
    logging: false,
  } as const;
  if (settings.connectionString) {
    if (settings.schema) {
      const bootstrap = new DataSource({ type: 'postgres', url: settings.connectionString });
      await bootstrap.initialize();
      try {
        await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${settings.schema}"`);
      } finally {
        await bootstrap.destroy();
      }
    }
    const dataSource = new DataSource({
      ...common,
      type: 'postgres',
      url: settings.connectionString,
      ...(settings.schema ? { schema: settings.schema } : {}),
      extra: { max: settings.poolSize, connectionTimeoutMillis: 10_000 },
    });
    return await dataSource.initialize();
  }
  const folder = resolve(cwd, settings.folder);
  mkdirSync(folder, { recursive: true });
  const dataSource = new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: join(folder, `${settings.dbName}.sqlite`),
    enableWAL: true,
    prepareDatabase: (db: { pragma(text: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      // NORMAL in WAL mode: never corrupts, and a power loss may drop the last commits — which are copied
      // again from the runtime (from the stored cursor), itself rebuilt from the mailbox if it lost them too.
      // FULL would fsync (and block the event loop) on every commit.
      db.pragma('synchronous = NORMAL');
    },
  });
  return await dataSource.initialize();
}
