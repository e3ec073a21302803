import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Rows per statement: well under SQLite's (32,766) and PostgreSQL's (65,535) limits on bound parameters. */
const rowsPerStatement = 200;

/** Bound-parameter placeholders of the manager's database: `?` for SQLite, `$n` for PostgreSQL. */
function placeholder(manager: EntityManager): (index: number) => string {
  return manager.connection.driver.options.type === 'postgres' ? (index) => `$${index}` : () => '?';
}

/**
 * The table's quoted name, with its schema when the database has one: of an entity, or of a table by name (a
 * table of another actor that this data source does not map is named as it is).
 */
function quotedTable(manager: EntityManager, entity: EntityTarget<ObjectLiteral>): string {
  if (typeof entity === 'string' && !manager.connection.hasMetadata(entity)) return `"${entity}"`;
  const { schema, tableName } = manager.getRepository(entity).metadata;
  return schema ? `"${schema}"."${tableName}"` : `"${tableName}"`;
}

/**
 * Inserts rows of an entity in multi-row statements written here, with every column given. For the hot paths
 * only: TypeORM's insert builder spends more time rewriting parameters than the database spends storing a
 * batch, and reads default columns back. Values are bound as they are (no column transformers run; the
 * columns these rows use store plain numbers, strings and booleans). Statements of the same row count are
 * prepared once and reused by the driver.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly T[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = manager.getRepository(entity).metadata.columns;
  const names = columns.map((column) => `"${column.databaseName}"`).join(', ');
  const table = quotedTable(manager, entity);
  const mark = placeholder(manager);
  for (let at = 0; at < rows.length; at += rowsPerStatement) {
    const chunk = rows.slice(at, at + rowsPerStatement);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const marks = columns.map((column) => {
        params.push(row[column.propertyName as keyof T] ?? null);
        return mark(params.length);
      });
      return `(${marks.join(', ')})`;
    });
    await manager.query(`INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}`, params);
  }
}

/**
 * Sets one column to a value on the rows whose `keyColumn` is among `keys`, in statements written here (see
 * `insertRows` for why).
 */
export async function updateWhereIn<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  set: { column: string; value: unknown },
  keyColumn: string,
  keys: readonly (string | number)[],
): Promise<void> {
  const table = quotedTable(manager, entity);
  const mark = placeholder(manager);
  for (let at = 0; at < keys.length; at += rowsPerStatement) {
    const chunk = keys.slice(at, at + rowsPerStatement);
    const params: unknown[] = [set.value, ...chunk];
    const marks = chunk.map((_, i) => mark(i + 2));
    await manager.query(
      `UPDATE ${table} SET "${set.column}" = ${mark(1)} WHERE "${keyColumn}" IN (${marks.join(', ')})`,
      params,
    );
  }
}

/**
 * Adds to counters in one statement per chunk: rows whose key columns exist get `countColumn` increased by the
 * row's value, new keys are inserted. The sum happens in SQL (an upsert that adds), so replicas counting at the
 * same time never overwrite each other. Every row gives the key columns and the count column.
 */
export async function addToCounters<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  keyColumns: readonly (keyof T & string)[],
  countColumn: keyof T & string,
  rows: readonly T[],
): Promise<void> {
  if (rows.length === 0) return;
  const table = quotedTable(manager, entity);
  const mark = placeholder(manager);
  const columns = [...keyColumns, countColumn];
  const names = columns.map((column) => `"${column}"`).join(', ');
  const keys = keyColumns.map((column) => `"${column}"`).join(', ');
  for (let at = 0; at < rows.length; at += rowsPerStatement) {
    const params: unknown[] = [];
    const tuples = rows.slice(at, at + rowsPerStatement).map((row) => {
      const marks = columns.map((column) => {
        params.push(row[column]);
        return mark(params.length);
      });
      return `(${marks.join(', ')})`;
    });
    await manager.query(
      `INSERT INTO ${table} AS c (${names}) VALUES ${tuples.join(', ')}
       ON CONFLICT (${keys}) DO UPDATE SET "${countColumn}" = c."${countColumn}" + excluded."${countColumn}"`,
      params,
    );
  }
}

/**
 * Runs a query written here, for the hot paths (see `insertRows` for why; TypeORM's select builder costs more
 * per statement than SQLite spends answering these). In `sql`, `?` marks a parameter and an array parameter
 * becomes a list of them (for `IN (?)`; an empty list matches nothing), and `{name}` stands for the quoted
 * table `name` with its schema. Columns must be quoted as stored (`"fromToken"`): PostgreSQL folds unquoted
 * names to lower case; `?` and `{` belong to no literal in `sql` (values are parameters). Rows come back as the
 * driver gives them (PostgreSQL returns counts and sums as strings).
 */
export async function selectRows<R>(
  manager: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<R[]> {
  const mark = placeholder(manager);
  const values: unknown[] = [];
  let next = 0;
  const bind = (value: unknown) => {
    values.push(value);
    return mark(values.length);
  };
  const text = sql.replace(/\{(\w+)\}|\?/g, (_match, table: string | undefined) => {
    if (table !== undefined) return quotedTable(manager, table);
    const value = params[next++];
    if (!Array.isArray(value)) return bind(value);
    return value.length === 0 ? 'NULL' : value.map(bind).join(', ');
  });
  if (next !== params.length) throw new Error(`selectRows: ${params.length} parameters for ${next} marks`);
  return manager.query(text, values);
}
