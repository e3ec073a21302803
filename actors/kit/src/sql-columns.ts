import type { EntityManager, EntityTarget, ObjectLiteral, ValueTransformer } from 'typeorm';

/**
 * Epoch milliseconds in a `bigint` column: PostgreSQL returns bigint as text, SQLite as a number; both
 * come back as a number here. Plain numbers keep comparisons identical in both databases.
 */
export const epochMs: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** Column options for an epoch-milliseconds `bigint` column. */
export const epochMsColumn = { type: 'bigint', transformer: epochMs } as const;

/**
 * Counts one failed password attempt on a row with `failedAttempts` and `lockedAt` columns, and locks it when
 * the count reaches `maxAttempts`, in one statement, so concurrent guesses cannot slip past the limit.
 */
export async function recordFailedAttempt<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  id: string,
  now: number,
  maxAttempts: number,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(entity)
    .set({
      failedAttempts: () => '"failedAttempts" + 1',
      lockedAt: () =>
        `CASE WHEN "failedAttempts" + 1 >= ${Math.trunc(maxAttempts)} THEN ${Math.trunc(now)} ELSE "lockedAt" END`,
    } as never)
    .where('id = :id', { id })
    .execute();
}
