import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  type TableColumnOptions,
  TableIndex,
} from 'typeorm';

const varchar = (name: string, length: number, extra: Partial<TableColumnOptions> = {}) => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const nullable = { isNullable: true };
const text = (name: string, extra: Partial<TableColumnOptions> = {}) => ({ name, type: 'text', ...extra });
const bool = (name: string) => ({ name, type: 'boolean' });
const bigint = (name: string, extra: Partial<TableColumnOptions> = {}) => ({
  name,
  type: 'bigint',
  ...extra,
});
const time = (name: string, extra: Partial<TableColumnOptions> = {}) => varchar(name, 32, extra);
const address = (name: string, extra: Partial<TableColumnOptions> = {}) => varchar(name, 100, extra);
/** The key of every per-identity table. */
const owned = () => [address('identity', { isPrimary: true }), varchar('id', 40, { isPrimary: true })];
const references = () => [varchar('truncatedReference', 1100), varchar('url', 1400)];

/** Creates the runtime's tables: accounts, relationships, templates, tokens, messages, files and events. */
export class CreateRuntime1765200000000 implements MigrationInterface {
  name = 'CreateRuntime1765200000000';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'runtime_accounts',
        columns: [
          varchar('name', 100, { isPrimary: true }),
          address('address', { isUnique: true }),
          varchar('deviceId', 100),
          time('createdAt'),
          bigint('mailboxCursor', nullable),
          bigint('lastEventSequence'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'runtime_relationships',
        columns: [
          ...owned(),
          varchar('templateId', 40),
          address('peer'),
          varchar('peerPublicKey', 100, nullable),
          varchar('status', 20),
          text('wire'),
          { name: 'auditLength', type: 'integer' },
          text('creationContent', nullable),
          text('peerDeletionInfo', nullable),
          bool('removed'),
          time('updatedAt'),
        ],
      }),
    );
    await runner.createIndex(
      'runtime_relationships',
      new TableIndex({ name: 'idx_runtime_relationships_peer', columnNames: ['identity', 'peer'] }),
    );
    await runner.createTable(
      new Table({
        name: 'runtime_templates',
        columns: [
          ...owned(),
          bool('isOwn'),
          address('createdBy'),
          varchar('createdByDevice', 100),
          time('createdAt'),
          time('expiresAt'),
          { name: 'maxNumberOfAllocations', type: 'integer', isNullable: true },
          address('forIdentity', nullable),
          text('passwordProtection', nullable),
          text('content'),
          varchar('creatorPublicKey', 100, nullable),
          text('verifiedContent', nullable),
          ...references(),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'runtime_tokens',
        columns: [
          ...owned(),
          bool('isOwn'),
          address('createdBy'),
          varchar('createdByDevice', 100),
          time('createdAt'),
          time('expiresAt'),
          address('forIdentity', nullable),
          text('passwordProtection', nullable),
          text('content'),
          ...references(),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'runtime_messages',
        columns: [
          ...owned(),
          bool('isOwn'),
          address('createdBy'),
          varchar('createdByDevice', 100),
          time('createdAt'),
          text('content', nullable),
          text('recipients'),
          text('attachments'),
          text('fileReferences'),
          time('wasReadAt', nullable),
        ],
      }),
    );
    await runner.createIndex(
      'runtime_messages',
      new TableIndex({ name: 'idx_runtime_messages_created', columnNames: ['identity', 'createdAt'] }),
    );
    await runner.createTable(
      new Table({
        name: 'runtime_files',
        columns: [
          ...owned(),
          bool('isOwn'),
          varchar('filename', 300),
          varchar('mimetype', 200),
          bigint('filesize'),
          varchar('title', 300, nullable),
          text('description', nullable),
          text('tags', nullable),
          time('createdAt'),
          address('createdBy'),
          varchar('createdByDevice', 100),
          time('expiresAt'),
          address('owner'),
          varchar('ownershipToken', 100, nullable),
          bool('ownershipIsLocked'),
          varchar('sha256', 64, nullable),
          ...references(),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'runtime_events',
        columns: [
          address('identity', { isPrimary: true }),
          bigint('sequence', { isPrimary: true }),
          varchar('id', 36, { isUnique: true }),
          varchar('namespace', 200),
          text('data'),
          time('time'),
        ],
      }),
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'runtime_events',
      'runtime_files',
      'runtime_messages',
      'runtime_tokens',
      'runtime_templates',
      'runtime_relationships',
      'runtime_accounts',
    ]) {
      await runner.dropTable(table);
    }
  }
}
