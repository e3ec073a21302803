import type { TestStack } from './stack.js';

/** Counts the rows of a backbone table whose `column` equals `value`, in either database. */
export async function countRows(
  test: TestStack,
  table: string,
  column: string,
  value: string,
): Promise<number> {
  const row = await test.stack.db
    .createQueryBuilder()
    .select('COUNT(*)', 'n')
    .from(table, 't')
    .where(`t."${column}" = :value`, { value })
    .getRawOne<{ n: string | number }>();
  return Number(row?.n);
}
