import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { consumptionEntities, consumptionSchema } from '@enmesh/consumption';
import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';
import { RuntimeError, RuntimeErrorCodes } from '../errors.js';
import { AccountEntity } from './entities.js';
import { runtimeSchema } from './schema.js';

/** A part of the database schema: its entities and migrations. */
export interface SchemaPart {
  readonly entities: readonly EntitySchema[];
  readonly migrations: readonly (new () => MigrationInterface)[];
}

/** Where the runtime keeps its local state. */
export interface DatabaseOptions {
  /** A PostgreSQL URL; without it, the SQLite file `sqlitePath` is used. */
  readonly databaseUrl?: string;
  /** The PostgreSQL schema (created when missing). */
  readonly postgresSchema?: string;
  /** The SQLite file (its directory is created). */
  readonly sqlitePath?: string;
  /** Further schema parts beside the runtime's and consumption's (which are always included). */
  readonly parts?: readonly SchemaPart[];
}

/**
 * Opens the runtime's database, which holds the consumption tables too, and applies pending migrations of
 * both in one run (never `synchronize`): PostgreSQL when
 * `databaseUrl` is set, else the SQLite file `sqlitePath` in WAL mode.
 * @throws RuntimeError `error.runtime.configuration` when neither is given; errors of the database driver.
 */
export async function openRuntimeDatabase(options: DatabaseOptions): Promise<DataSource> {
  const parts = [
    runtimeSchema,
    consumptionSchema,
    ...(options.parts ?? []).filter((part) => part !== consumptionSchema),
  ];
  const common = {
    entities: parts.flatMap((part) => [...part.entities]),
    migrations: parts.flatMap((part) => [...part.migrations]),
    migrationsRun: true,
    migrationsTableName: 'runtime_migrations',
    synchronize: false,
    logging: false,
  } as const;
  if (options.databaseUrl) {
    const schema = options.postgresSchema;
    if (schema) {
      const bootstrap = new DataSource({ type: 'postgres', url: options.databaseUrl });
      await bootstrap.initialize();
      try {
        await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '')}"`);
      } finally {
        await bootstrap.destroy();
      }
    }
    const dataSource = new DataSource({
      ...common,
      type: 'postgres',
      url: options.databaseUrl,
      ...(schema ? { schema } : {}),
      extra: { max: 5, connectionTimeoutMillis: 10_000 },
    });
    return await dataSource.initialize();
  }
  if (!options.sqlitePath) {
    throw new RuntimeError(
      RuntimeErrorCodes.configuration,
      'the runtime needs a database URL or an SQLite path',
    );
  }
  if (options.sqlitePath !== ':memory:') mkdirSync(dirname(options.sqlitePath), { recursive: true });
  const dataSource = new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: options.sqlitePath,
    enableWAL: options.sqlitePath !== ':memory:',
    prepareDatabase: (db: { pragma(text: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      // NORMAL in WAL mode: never corrupts, and a power loss may drop the last commits — which the runtime
      // makes again, because the mailbox entries behind them stay in the stream and are read again from the
      // stored cursor. FULL would fsync (and block the event loop) on every commit.
      db.pragma('synchronous = NORMAL');
    },
  });
  return await dataSource.initialize();
}

/**
 * Checks that a DataSource handed in holds the runtime's and consumption's entities (their migrations must
 * have run).
 * @throws RuntimeError `error.runtime.configuration`.
 */
export function assertRuntimeDataSource(dataSource: DataSource): void {
  const consumption = consumptionEntities[0];
  if (
    !dataSource.isInitialized ||
    !dataSource.hasMetadata(AccountEntity) ||
    (consumption !== undefined && !dataSource.hasMetadata(consumption))
  ) {
    throw new RuntimeError(
      RuntimeErrorCodes.configuration,
      'the DataSource must be initialized with runtimeSchema and consumptionSchema (entities and migrations)',
    );
  }
}
