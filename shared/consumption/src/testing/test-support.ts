/**
 * Helpers for the consumption tests only (imported by *.test.ts, never by library code, never
 * re-exported): databases, addresses and a clock the test moves.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveAddress, signingKeyPairFromSeed } from '@enmesh/protocol';
import { DataSource } from 'typeorm';
import type { ConsumptionContext } from '../context.js';
import type { ConsumptionEvent } from '../events.js';
import { consumptionSchema } from '../storage/schema.js';

/** The PostgreSQL the tests use (trust authentication, database `test`). */
export const testPostgresUrl = 'postgres://postgres@127.0.0.1:5432/test';

/** A valid identity address derived from a fixed seed. */
export function testAddress(seedByte: number, host = 'enmesh.example'): string {
  return deriveAddress(signingKeyPairFromSeed(new Uint8Array(32).fill(seedByte)).publicKey, host);
}

/** An opened test database and how to remove it. */
export interface TestDatabase {
  dataSource: DataSource;
  drop(): Promise<void>;
}

const common = {
  entities: [...consumptionSchema.entities],
  migrations: [...consumptionSchema.migrations],
  migrationsRun: true,
  synchronize: false,
  logging: false,
};

/** A SQLite database in a file of a fresh temporary folder, migrated. */
export async function sqliteTestDatabase(): Promise<TestDatabase> {
  const folder = await mkdtemp(join(tmpdir(), 'consumption-'));
  const dataSource = new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: join(folder, 'db.sqlite'),
  });
  await dataSource.initialize();
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** A fresh schema in the PostgreSQL test database, migrated; dropped with everything in it. */
export async function postgresTestDatabase(): Promise<TestDatabase> {
  const schema = `consumption_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new DataSource({ type: 'postgres', url: testPostgresUrl });
  await admin.initialize();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const dataSource = new DataSource({ ...common, type: 'postgres', url: testPostgresUrl, schema });
  await dataSource.initialize();
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.destroy();
      }
    },
  };
}

/** A clock the test sets and moves. */
export class TestClock {
  #now: number;

  /** Starts at the given time. */
  constructor(start = '2030-01-01T10:00:00.000Z') {
    this.#now = Date.parse(start);
  }

  /** The current time (one millisecond later on every call, so that times are distinct and ordered). */
  readonly now = (): Date => new Date(this.#now++);

  /** Moves the clock forward. */
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** A consumption context over a test database that records its events. */
export function testContext(
  dataSource: DataSource,
  address: string,
  clock = new TestClock(),
): ConsumptionContext & { events: ConsumptionEvent[]; clock: () => Date } {
  const events: ConsumptionEvent[] = [];
  return { dataSource, address, clock: clock.now, emit: (event) => events.push(event), events };
}
