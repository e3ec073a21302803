import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** Creates the files and file_chunks tables (SQLite and PostgreSQL). */
export class CreateFiles1764150000004 implements MigrationInterface {
  name = 'CreateFiles1764150000004';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'files',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'ownerToken', type: 'varchar', length: '128' },
          { name: 'ownerDevice', type: 'varchar', length: '56' },
          { name: 'createdByToken', type: 'varchar', length: '128' },
          { name: 'createdByDevice', type: 'varchar', length: '56' },
          { name: 'createdAt', type: 'bigint' },
          { name: 'expiresAt', type: 'bigint' },
          { name: 'size', type: 'bigint' },
          { name: 'chunkSize', type: 'integer' },
          { name: 'chunkCount', type: 'integer' },
          { name: 'metadata', type: 'text', isNullable: true },
          { name: 'completedAt', type: 'bigint', isNullable: true },
          { name: 'ownershipTokenHash', type: 'varchar', length: '64' },
          { name: 'ownershipLockedAt', type: 'bigint', isNullable: true },
          { name: 'deletedAt', type: 'bigint', isNullable: true },
        ],
      }),
    );
    for (const [name, column] of [
      ['idx_files_owner', 'ownerToken'],
      ['idx_files_expires', 'expiresAt'],
      ['idx_files_deleted', 'deletedAt'],
    ] as const) {
      await runner.createIndex('files', new TableIndex({ name, columnNames: [column] }));
    }
    await runner.createTable(
      new Table({
        name: 'file_chunks',
        columns: [
          { name: 'fileId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'chunkIndex', type: 'integer', isPrimary: true },
        ],
      }),
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('file_chunks');
    await runner.dropTable('files');
  }
}
