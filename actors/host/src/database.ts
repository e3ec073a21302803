import { join } from 'node:path';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';

/** The entities and migrations of the backbone's SQL metadata. */
export interface SchemaParts {
  // biome-ignore lint/suspicious/noExplicitAny: TypeORM's entity list is untyped by design.
  readonly entities: EntitySchema<any>[];
  // biome-ignore lint/complexity/noBannedTypes: TypeORM takes migration classes.
  readonly migrations: MixedList<Function>;
}

/** The backbone's SQLite file under a data directory. */
export function sqliteFile(dataDir: string): string {
  return join(dataDir, 'backbone.sqlite');
}

/**
 * Opens the backbone database and applies pending migrations: PostgreSQL when `databaseUrl` is given, else a
 * SQLite file under the data directory (WAL mode). Migrations, never `synchronize`.
 */
export async function openDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  schema: SchemaParts;
  /** PostgreSQL schema to use (tests isolate themselves in their own). */
  postgresSchema?: string;
}): Promise<DataSource> {
  const common = {
    entities: options.schema.entities,
    migrations: options.schema.migrations,
    migrationsRun: true,
    synchronize: false,
    logging: false,
  } as const;
  const dataSource = options.databaseUrl
    ? new DataSource({
        ...common,
        type: 'postgres',
        url: options.databaseUrl,
        ...(options.postgresSchema ? { schema: options.postgresSchema } : {}),
        extra: { max: 10, connectionTimeoutMillis: 10_000 },
      })
    : new DataSource({
        ...common,
        type: 'better-sqlite3',
        database: sqliteFile(options.dataDir),
        enableWAL: true,
        prepareDatabase: (db: { pragma(text: string): unknown }) => {
          db.pragma('busy_timeout = 5000');
          // In WAL mode NORMAL never corrupts the database; a power loss may drop the last commits, as it may
          // drop the last minute of JetStream's page cache (DESIGN §3). FULL would fsync on every commit.
          db.pragma('synchronous = NORMAL');
        },
      });
  if (options.databaseUrl && options.postgresSchema) {
    // The schema must exist before TypeORM runs migrations into it.
    const bootstrap = new DataSource({ type: 'postgres', url: options.databaseUrl });
    await bootstrap.initialize();
    try {
      await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${options.postgresSchema.replaceAll('"', '')}"`);
    } finally {
      await bootstrap.destroy();
    }
  }
  await dataSource.initialize();
  return dataSource;
}
