import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  type TableColumnOptions,
  TableIndex,
  TableUnique,
} from 'typeorm';

type Column = TableColumnOptions;

/** The key of every row: the identity it belongs to (the own address) and its id. */
const owned: Column[] = [
  { name: 'identity', type: 'varchar', length: '320', isPrimary: true },
  { name: 'id', type: 'varchar', length: '64', isPrimary: true },
];
const text = (name: string, nullable = false): Column => ({ name, type: 'text', isNullable: nullable });
const varchar = (name: string, length: number, nullable = false): Column => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const bool = (name: string, nullable = false): Column => ({ name, type: 'boolean', isNullable: nullable });

/**
 * Creates the consumption tables: local attributes and their forwarding details, local requests,
 * notifications, settings and identity metadata (SQLite and PostgreSQL). Every row belongs to one
 * identity: each table's primary key is the identity and the row's id, and every index starts with the
 * identity.
 */
export class CreateConsumption1764160000000 implements MigrationInterface {
  name = 'CreateConsumption1764160000000';

  /** Applies the migration. */
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'consumption_attributes',
        columns: [
          ...owned,
          varchar('type', 40),
          varchar('contentType', 40),
          varchar('valueType', 60),
          varchar('owner', 200),
          varchar('peer', 200, true),
          varchar('key', 100, true),
          text('content'),
          varchar('createdAt', 40),
          varchar('succeeds', 64, true),
          varchar('succeededBy', 64, true),
          bool('isDefault', true),
          varchar('sourceReference', 64, true),
          varchar('initialAttributePeer', 200, true),
          varchar('deletionStatus', 40, true),
          varchar('deletionDate', 40, true),
          varchar('wasViewedAt', 40, true),
          { name: 'numberOfForwards', type: 'integer' },
        ],
      }),
    );
    await this.index(runner, 'consumption_attributes', 'idx_consumption_attributes_type_value', [
      'identity',
      'type',
      'valueType',
    ]);
    await runner.createUniqueConstraint(
      'consumption_attributes',
      new TableUnique({
        name: 'uq_consumption_attributes_default',
        columnNames: ['identity', 'valueType', 'isDefault'],
      }),
    );
    await this.index(runner, 'consumption_attributes', 'idx_consumption_attributes_peer', [
      'identity',
      'peer',
    ]);

    await runner.createTable(
      new Table({
        name: 'consumption_attribute_forwardings',
        columns: [
          ...owned,
          varchar('attributeId', 64),
          varchar('peer', 200),
          varchar('sourceReference', 64),
          varchar('sharedAt', 40),
          varchar('deletionStatus', 40, true),
          varchar('deletionDate', 40, true),
        ],
      }),
    );
    await this.index(runner, 'consumption_attribute_forwardings', 'idx_consumption_forwardings_attribute', [
      'identity',
      'attributeId',
    ]);
    await this.index(runner, 'consumption_attribute_forwardings', 'idx_consumption_forwardings_peer', [
      'identity',
      'peer',
    ]);

    await runner.createTable(
      new Table({
        name: 'consumption_requests',
        columns: [
          ...owned,
          bool('isOwn'),
          varchar('peer', 200),
          varchar('createdAt', 40),
          varchar('status', 40),
          text('content'),
          varchar('expiresAt', 40, true),
          varchar('sourceType', 40, true),
          varchar('sourceReference', 64, true),
          text('response', true),
          text('statusLog'),
          bool('wasAutomaticallyDecided', true),
          varchar('decider', 200, true),
        ],
      }),
    );
    await this.index(runner, 'consumption_requests', 'idx_consumption_requests_peer', ['identity', 'peer']);
    await this.index(runner, 'consumption_requests', 'idx_consumption_requests_status', [
      'identity',
      'isOwn',
      'status',
    ]);

    await runner.createTable(
      new Table({
        name: 'consumption_notifications',
        columns: [
          ...owned,
          bool('isOwn'),
          varchar('peer', 200),
          varchar('createdAt', 40),
          varchar('status', 20),
          text('content'),
          varchar('sourceReference', 64, true),
          varchar('errorCode', 200, true),
        ],
      }),
    );
    await this.index(runner, 'consumption_notifications', 'idx_consumption_notifications_status', [
      'identity',
      'isOwn',
      'status',
    ]);

    await runner.createTable(
      new Table({
        name: 'consumption_settings',
        columns: [
          ...owned,
          varchar('key', 200),
          varchar('scope', 20),
          varchar('reference', 200),
          text('value'),
          varchar('createdAt', 40),
          varchar('succeedsItem', 64, true),
          varchar('succeedsAt', 40, true),
          text('metadata', true),
        ],
      }),
    );
    await this.index(runner, 'consumption_settings', 'idx_consumption_settings_key', [
      'identity',
      'key',
      'scope',
      'reference',
    ]);

    await runner.createTable(
      new Table({
        name: 'consumption_identity_metadata',
        columns: [...owned, varchar('reference', 200), varchar('key', 200), text('value')],
      }),
    );
    await runner.createUniqueConstraint(
      'consumption_identity_metadata',
      new TableUnique({
        name: 'uq_consumption_identity_metadata',
        columnNames: ['identity', 'reference', 'key'],
      }),
    );
  }

  /** Reverts the migration. */
  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'consumption_identity_metadata',
      'consumption_settings',
      'consumption_notifications',
      'consumption_requests',
      'consumption_attribute_forwardings',
      'consumption_attributes',
    ]) {
      await runner.dropTable(table);
    }
  }

  private async index(runner: QueryRunner, table: string, name: string, columnNames: string[]) {
    await runner.createIndex(table, new TableIndex({ name, columnNames }));
  }
}
