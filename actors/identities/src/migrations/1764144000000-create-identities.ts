import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const ms = { type: 'bigint' } as const;

/** Creates the identities, devices, challenges and device_revocations tables (SQLite and PostgreSQL). */
export class CreateIdentities1764144000000 implements MigrationInterface {
  name = 'CreateIdentities1764144000000';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'identities',
        columns: [
          { name: 'address', type: 'varchar', length: '320', isPrimary: true },
          { name: 'token', type: 'varchar', length: '128', isUnique: true },
          { name: 'publicKey', type: 'varchar', length: '64', isUnique: true },
          { name: 'shard', type: 'integer' },
          { name: 'createdAt', ...ms },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'devices',
        columns: [
          { name: 'id', type: 'varchar', length: '56', isPrimary: true },
          { name: 'identityToken', type: 'varchar', length: '128' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'createdAt', ...ms },
          { name: 'createdByDevice', type: 'varchar', length: '56', isNullable: true },
          { name: 'lastLoginAt', ...ms, isNullable: true },
          { name: 'revokedAt', ...ms, isNullable: true },
          { name: 'cursor', ...ms, default: 0 },
        ],
      }),
    );
    await runner.createIndex(
      'devices',
      new TableIndex({ name: 'idx_devices_identity', columnNames: ['identityToken'] }),
    );
    await runner.createTable(
      new Table({
        name: 'challenges',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'type', type: 'varchar', length: '16' },
          { name: 'createdBy', type: 'varchar', length: '320', isNullable: true },
          { name: 'createdByDevice', type: 'varchar', length: '56', isNullable: true },
          { name: 'expiresAt', ...ms },
          { name: 'usedAt', ...ms, isNullable: true },
        ],
      }),
    );
    await runner.createIndex(
      'challenges',
      new TableIndex({ name: 'idx_challenges_expires', columnNames: ['expiresAt'] }),
    );
    await runner.createTable(
      new Table({
        name: 'device_revocations',
        columns: [
          { name: 'deviceKey', type: 'varchar', length: '56', isPrimary: true },
          { name: 'revokedAtSeconds', ...ms },
          { name: 'expiresAt', ...ms },
        ],
      }),
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['device_revocations', 'challenges', 'devices', 'identities'])
      await runner.dropTable(table);
  }
}
