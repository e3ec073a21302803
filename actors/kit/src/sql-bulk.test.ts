import { DataSource, EntitySchema } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from './sql-bulk.js';

interface Peer {
  token: string;
  status: string;
}

/** A mapped table, to show that `{name}` resolves through the data source's metadata. */
const PeerEntity = new EntitySchema<Peer>({
  name: 'Peer',
  tableName: 'peers',
  columns: { token: { type: 'varchar', primary: true }, status: { type: 'varchar' } },
});

describe('selectRows', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [PeerEntity],
      synchronize: true,
    });
    await db.initialize();
    await db.query(`INSERT INTO peers VALUES ('a', 'Active'), ('b', 'Pending'), ('c', 'Active')`);
    // A table of another actor that this data source does not map.
    await db.query('CREATE TABLE counts ("ownerToken" varchar, n integer)');
    await db.query(`INSERT INTO counts VALUES ('a', 1), ('a', 2), ('c', 5)`);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('expands an array parameter into a list, binds the others, and names mapped and unmapped tables', async () => {
    const rows = await selectRows<Peer>(
      db.manager,
      'SELECT p.token AS token, p.status AS status FROM {peers} p WHERE p.token IN (?) AND p.status = ? ORDER BY p.token',
      [['a', 'b', 'c'], 'Active'],
    );
    expect(rows).toEqual([
      { token: 'a', status: 'Active' },
      { token: 'c', status: 'Active' },
    ]);
    const sums = await selectRows<{ ownerToken: string; total: number }>(
      db.manager,
      'SELECT c."ownerToken" AS "ownerToken", SUM(c.n) AS total FROM {counts} c WHERE c."ownerToken" IN (?) GROUP BY c."ownerToken" ORDER BY 1',
      [['a', 'c', 'z']],
    );
    expect(sums).toEqual([
      { ownerToken: 'a', total: 3 },
      { ownerToken: 'c', total: 5 },
    ]);
  });

  it('matches nothing for an empty list, and keeps a quote in a value a value', async () => {
    expect(await selectRows(db.manager, 'SELECT token FROM {peers} WHERE token IN (?)', [[]])).toEqual([]);
    expect(
      await selectRows(db.manager, 'SELECT token FROM {peers} WHERE token IN (?)', [["a' OR '1'='1"]]),
    ).toEqual([]);
  });

  it('refuses parameters that do not match the marks', async () => {
    await expect(selectRows(db.manager, 'SELECT token FROM {peers} WHERE token = ?', [])).rejects.toThrow(
      /0 parameters for 1 marks/,
    );
    await expect(
      selectRows(db.manager, 'SELECT token FROM {peers} WHERE token = ?', ['a', 'b']),
    ).rejects.toThrow(/2 parameters for 1 marks/);
  });
});
