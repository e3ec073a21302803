import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const ms = { type: 'bigint' } as const;

/** Creates the template, allocation, relationship and audit tables (SQLite and PostgreSQL). */
export class CreateRelationships1764150000002 implements MigrationInterface {
  name = 'CreateRelationships1764150000002';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'relationship_templates',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'ownerToken', type: 'varchar', length: '128' },
          { name: 'ownerDevice', type: 'varchar', length: '56' },
          { name: 'createdAt', ...ms },
          { name: 'expiresAt', ...ms },
          { name: 'forIdentity', type: 'varchar', length: '320', isNullable: true },
          { name: 'passwordVerifier', type: 'varchar', length: '64', isNullable: true },
          { name: 'passwordKind', type: 'varchar', length: '16', isNullable: true },
          { name: 'failedAttempts', type: 'integer', default: 0 },
          { name: 'lockedAt', ...ms, isNullable: true },
          { name: 'maxNumberOfAllocations', type: 'integer', isNullable: true },
          { name: 'content', type: 'text' },
          { name: 'exhaustedNotifiedAt', ...ms, isNullable: true },
        ],
      }),
    );
    await runner.createIndex(
      'relationship_templates',
      new TableIndex({ name: 'idx_templates_owner', columnNames: ['ownerToken'] }),
    );
    await runner.createTable(
      new Table({
        name: 'template_allocations',
        columns: [
          { name: 'templateId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'identityToken', type: 'varchar', length: '128', isPrimary: true },
          { name: 'allocatedAt', ...ms },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'relationships',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'templateId', type: 'varchar', length: '64' },
          { name: 'fromToken', type: 'varchar', length: '128' },
          { name: 'toToken', type: 'varchar', length: '128' },
          { name: 'status', type: 'varchar', length: '32' },
          { name: 'createdAt', ...ms },
          { name: 'creationContent', type: 'text' },
          { name: 'reactivationRequestedBy', type: 'varchar', length: '128', isNullable: true },
          { name: 'decomposedBy', type: 'varchar', length: '128', isNullable: true },
        ],
      }),
    );
    await runner.createIndex(
      'relationships',
      new TableIndex({ name: 'idx_relationships_from', columnNames: ['fromToken'] }),
    );
    await runner.createIndex(
      'relationships',
      new TableIndex({ name: 'idx_relationships_to', columnNames: ['toToken'] }),
    );
    await runner.createTable(
      new Table({
        name: 'relationship_audit',
        columns: [
          {
            name: 'seq',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'relationshipId', type: 'varchar', length: '64' },
          { name: 'reason', type: 'varchar', length: '40' },
          { name: 'oldStatus', type: 'varchar', length: '32', isNullable: true },
          { name: 'newStatus', type: 'varchar', length: '32' },
          { name: 'createdByToken', type: 'varchar', length: '128' },
          { name: 'createdByDevice', type: 'varchar', length: '56' },
          { name: 'createdAt', ...ms },
        ],
      }),
    );
    await runner.createIndex(
      'relationship_audit',
      new TableIndex({ name: 'idx_audit_relationship', columnNames: ['relationshipId'] }),
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'relationship_audit',
      'relationships',
      'template_allocations',
      'relationship_templates',
    ]) {
      await runner.dropTable(table);
    }
  }
}
