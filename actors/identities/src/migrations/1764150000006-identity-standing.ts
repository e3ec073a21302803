import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';

const ms = { type: 'bigint' } as const;

/**
 * Adds an identity's quota tier and its deletion process (started, due), and the table of hashed audit
 * entries that is all that remains of a deleted identity.
 */
export class IdentityStanding1764150000006 implements MigrationInterface {
  name = 'IdentityStanding1764150000006';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('identities', [
      new TableColumn({ name: 'tier', type: 'varchar', length: '32', default: "'basic'" }),
      new TableColumn({ name: 'deletionStartedAt', ...ms, isNullable: true }),
      new TableColumn({ name: 'deletionDueAt', ...ms, isNullable: true }),
    ]);
    await runner.createTable(
      new Table({
        name: 'identity_deletion_audit',
        columns: [
          { name: 'addressHash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'startedAt', ...ms },
          { name: 'deletedAt', ...ms },
        ],
      }),
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('identity_deletion_audit');
    await runner.dropColumn('identities', 'deletionDueAt');
    await runner.dropColumn('identities', 'deletionStartedAt');
    await runner.dropColumn('identities', 'tier');
  }
}
