import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Creates the per-minute send counts of the hourly message quota, and marks each message whether its mailbox
 * entries were all published and whether the sender's devices got a copy (SQLite and PostgreSQL).
 */
export class MessageSendCountsPublished1764150000007 implements MigrationInterface {
  name = 'MessageSendCountsPublished1764150000007';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    // Messages stored before this were published, with a MessageSent entry for the sender's devices.
    await runner.addColumns('messages', [
      new TableColumn({ name: 'published', type: 'boolean', default: true, isNullable: false }),
      new TableColumn({ name: 'senderCopied', type: 'boolean', default: true, isNullable: false }),
    ]);
    // Housekeeping finds the unpublished ones by this.
    await runner.createIndex(
      'messages',
      new TableIndex({ name: 'idx_messages_unpublished', columnNames: ['published', 'createdAt'] }),
    );
    await runner.createTable(
      new Table({
        name: 'message_send_counts',
        columns: [
          { name: 'senderToken', type: 'varchar', length: '128', isPrimary: true },
          { name: 'minute', type: 'integer', isPrimary: true },
          { name: 'sent', type: 'integer' },
        ],
      }),
    );
    // The messages of the last hour count from the start, as they did when the quota counted messages. The
    // bound is a number computed here, so it is written into the statement (placeholders differ per driver).
    const hourAgo = Math.floor(Date.now() - 3_600_000);
    const schema = (runner.connection.options as { schema?: string }).schema;
    const table = (name: string) => (schema ? `"${schema}"."${name}"` : `"${name}"`);
    await runner.query(
      `INSERT INTO ${table('message_send_counts')} ("senderToken", "minute", "sent")
       SELECT "senderToken", "createdAt" / 60000, COUNT(*) FROM ${table('messages')} WHERE "createdAt" > ${hourAgo}
       GROUP BY "senderToken", "createdAt" / 60000`,
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('message_send_counts');
    await runner.dropIndex('messages', 'idx_messages_unpublished');
    await runner.dropColumns('messages', ['published', 'senderCopied']);
  }
}
