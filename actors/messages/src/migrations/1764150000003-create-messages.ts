import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const ms = { type: 'bigint' } as const;

/** Creates the message and message recipient tables (SQLite and PostgreSQL). */
export class CreateMessages1764150000003 implements MigrationInterface {
  name = 'CreateMessages1764150000003';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'messages',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'senderToken', type: 'varchar', length: '128' },
          { name: 'senderDevice', type: 'varchar', length: '56' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'createdAt', ...ms },
          { name: 'envelopeBytes', type: 'integer' },
          { name: 'recipientCount', type: 'integer' },
        ],
      }),
    );
    await runner.createIndex(
      'messages',
      new TableIndex({ name: 'idx_messages_created', columnNames: ['createdAt'] }),
    );
    await runner.createTable(
      new Table({
        name: 'message_recipients',
        columns: [
          { name: 'messageId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'recipientToken', type: 'varchar', length: '128', isPrimary: true },
          { name: 'position', type: 'integer' },
          { name: 'senderToken', type: 'varchar', length: '128' },
          { name: 'receivedAt', ...ms, isNullable: true },
        ],
      }),
    );
    await runner.createIndex(
      'message_recipients',
      new TableIndex({
        name: 'idx_message_recipients_unreceived',
        columnNames: ['recipientToken', 'senderToken', 'receivedAt'],
      }),
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('message_recipients');
    await runner.dropTable('messages');
  }
}
