import type { DataSource, EntityManager } from 'typeorm';

/**
 * The one way actors touch SQL. With PostgreSQL every call runs on the pool, concurrently. With SQLite all
 * calls share one connection, where a statement issued while another handler's transaction is open would
 * silently join (and roll back with) that transaction; so there every call takes a lock first. The lock is
 * held only for the SQL work itself, never across NATS calls.
 */
export class SqlStore {
  readonly #db: DataSource;
  readonly #serialised: boolean;
  #tail: Promise<unknown> = Promise.resolve();

  /** Wraps an initialised DataSource. */
  constructor(db: DataSource) {
    this.#db = db;
    this.#serialised = db.options.type === 'better-sqlite3' || db.options.type === 'sqljs';
  }

  /** The underlying DataSource, for tests and migrations. */
  get dataSource(): DataSource {
    return this.#db;
  }

  /** Runs statements outside a transaction (each statement on its own). */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.#exclusive(() => work(this.#db.manager));
  }

  /** Runs statements in one transaction: all or nothing; a thrown error rolls back and is rethrown. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.#exclusive(() => this.#db.transaction(work));
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (!this.#serialised) return work();
    const result = this.#tail.then(work, work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
