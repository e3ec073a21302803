import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** Creates the tokens table (SQLite and PostgreSQL). */
export class CreateTokens1764150000000 implements MigrationInterface {
  name = 'CreateTokens1764150000000';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'ownerToken', type: 'varchar', length: '128', isNullable: true },
          { name: 'ownerDevice', type: 'varchar', length: '56', isNullable: true },
          { name: 'createdAt', type: 'bigint' },
          { name: 'expiresAt', type: 'bigint' },
          { name: 'forIdentity', type: 'varchar', length: '320', isNullable: true },
          { name: 'passwordVerifier', type: 'varchar', length: '64', isNullable: true },
          { name: 'passwordKind', type: 'varchar', length: '16', isNullable: true },
          { name: 'failedAttempts', type: 'integer', default: 0 },
          { name: 'lockedAt', type: 'bigint', isNullable: true },
          { name: 'content', type: 'text', isNullable: true },
          { name: 'filledBy', type: 'varchar', length: '128', isNullable: true },
        ],
      }),
    );
    await runner.createIndex(
      'tokens',
      new TableIndex({ name: 'idx_tokens_owner', columnNames: ['ownerToken'] }),
    );
    await runner.createIndex(
      'tokens',
      new TableIndex({ name: 'idx_tokens_expires', columnNames: ['expiresAt'] }),
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('tokens');
  }
}
