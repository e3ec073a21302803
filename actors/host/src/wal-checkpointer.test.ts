import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWalCheckpointer } from './wal-checkpointer.js';

/** The part of better-sqlite3 this test uses (the package ships no types). */
interface SqliteDatabase {
  pragma(text: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...values: unknown[]): unknown; get(): unknown };
  transaction(body: () => void): () => void;
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => SqliteDatabase;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('the WAL checkpointer', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('copies what the writing connection left in the WAL into the database file, from its own thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'enmesh-wal-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // As the actors' connection does while a checkpointer runs: no checkpoint of its own.
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)');
    const insert = db.prepare('INSERT INTO t (data) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(Buffer.alloc(1024, i % 256));
    })();
    const written = 2000 * 1024;
    // Everything is in the WAL, none of it in the database file yet.
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(written);
    expect(statSync(file).size).toBeLessThan(written / 10);

    const errors: string[] = [];
    const checkpointer = startWalCheckpointer(file, (message) => errors.push(message), 50);
    await until(() => statSync(file).size > written, 'the pages to reach the database file');
    // The writer goes on meanwhile: the checkpointer never holds it up.
    insert.run(Buffer.alloc(1024, 7));
    await checkpointer.stop();
    expect(errors).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 2001 });
    db.close();
  });

  it('reports a database it cannot open instead of failing silently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'enmesh-wal-'));
    dirs.push(dir);
    const errors: string[] = [];
    const checkpointer = startWalCheckpointer(
      join(dir, 'missing.sqlite'),
      (message) => errors.push(message),
      50,
    );
    await until(() => errors.length > 0, 'the error to be reported');
    expect(errors[0]).toMatch(/missing\.sqlite|unable to open|does not exist/i);
    await checkpointer.stop();
  });
});
