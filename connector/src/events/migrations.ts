import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const varchar = (name: string, length: number, extra: object = {}) => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const bigint = (name: string, extra: object = {}) => ({ name, type: 'bigint', ...extra });

/** Creates the event log, its sequences, the webhook deliveries and the readers' cursors. */
export class CreateConnectorEvents1765000000000 implements MigrationInterface {
  name = 'CreateConnectorEvents1765000000000';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'connector_events',
        columns: [
          varchar('id', 36, { isPrimary: true }),
          varchar('identity', 100),
          bigint('sequence'),
          varchar('namespace', 200),
          { name: 'data', type: 'text' },
          bigint('time'),
        ],
      }),
    );
    await runner.createIndex(
      'connector_events',
      new TableIndex({
        name: 'uq_connector_events_sequence',
        columnNames: ['identity', 'sequence'],
        isUnique: true,
      }),
    );
    await runner.createTable(
      new Table({
        name: 'connector_event_sequences',
        columns: [varchar('identity', 100, { isPrimary: true }), bigint('last')],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'connector_webhook_deliveries',
        columns: [
          varchar('id', 36, { isPrimary: true }),
          varchar('identity', 100),
          varchar('webhook', 100),
          varchar('eventId', 36),
          bigint('sequence'),
          varchar('namespace', 200),
          varchar('status', 16),
          { name: 'attempts', type: 'integer' },
          bigint('nextAttemptAt'),
          bigint('lastAttemptAt', { isNullable: true }),
          { name: 'lastStatus', type: 'integer', isNullable: true },
          varchar('lastError', 500, { isNullable: true }),
          bigint('createdAt'),
          bigint('updatedAt'),
        ],
      }),
    );
    await runner.createIndex(
      'connector_webhook_deliveries',
      new TableIndex({
        name: 'uq_connector_deliveries_event',
        columnNames: ['eventId', 'webhook'],
        isUnique: true,
      }),
    );
    await runner.createIndex(
      'connector_webhook_deliveries',
      new TableIndex({
        name: 'idx_connector_deliveries_queue',
        columnNames: ['identity', 'webhook', 'status', 'sequence'],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'connector_cursors',
        columns: [
          varchar('identity', 100, { isPrimary: true }),
          varchar('name', 50, { isPrimary: true }),
          bigint('position'),
        ],
      }),
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'connector_cursors',
      'connector_webhook_deliveries',
      'connector_event_sequences',
      'connector_events',
    ]) {
      await runner.dropTable(table);
    }
  }
}

/** The connector's migrations, oldest first. */
export const connectorMigrations = [CreateConnectorEvents1765000000000];
