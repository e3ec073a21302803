import { EntitySchema, type ValueTransformer } from 'typeorm';

/**
 * A `bigint` column read back as a number: PostgreSQL returns bigint as text, SQLite as a number.
 * Sequences and epoch milliseconds stay far below 2^53.
 */
const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
const bigint = { type: 'bigint', transformer: bigintNumber } as const;

/** A stored event. */
export interface EventRow {
  id: string;
  identity: string;
  sequence: number;
  namespace: string;
  /** The event's data as JSON text. */
  data: string;
  /** Epoch milliseconds. */
  time: number;
}

/** The last sequence number given out per identity; its row lock makes sequences gap-free. */
export interface SequenceRow {
  identity: string;
  last: number;
}

/** Where a webhook delivery stands. */
export const DeliveryStatus = { pending: 'pending', delivered: 'delivered', dead: 'dead' } as const;

/** One of the delivery states. */
export type DeliveryStatusValue = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/** One event to one webhook: pending until a 2xx answer, dead after the configured number of attempts. */
export interface DeliveryRow {
  id: string;
  identity: string;
  webhook: string;
  eventId: string;
  sequence: number;
  namespace: string;
  status: DeliveryStatusValue;
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

/** How far a reader of the log (the NATS publisher) has come, per identity. */
export interface CursorRow {
  identity: string;
  name: string;
  position: number;
}

/** Table `connector_events`. */
export const EventEntity = new EntitySchema<EventRow>({
  name: 'ConnectorEvent',
  tableName: 'connector_events',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    identity: { type: 'varchar', length: 100 },
    sequence: { ...bigint },
    namespace: { type: 'varchar', length: 200 },
    data: { type: 'text' },
    time: { ...bigint },
  },
  indices: [{ name: 'uq_connector_events_sequence', columns: ['identity', 'sequence'], unique: true }],
});

/** Table `connector_event_sequences`. */
export const SequenceEntity = new EntitySchema<SequenceRow>({
  name: 'ConnectorEventSequence',
  tableName: 'connector_event_sequences',
  columns: {
    identity: { type: 'varchar', length: 100, primary: true },
    last: { ...bigint },
  },
});

/** Table `connector_webhook_deliveries`. */
export const DeliveryEntity = new EntitySchema<DeliveryRow>({
  name: 'ConnectorWebhookDelivery',
  tableName: 'connector_webhook_deliveries',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    identity: { type: 'varchar', length: 100 },
    webhook: { type: 'varchar', length: 100 },
    eventId: { type: 'varchar', length: 36 },
    sequence: { ...bigint },
    namespace: { type: 'varchar', length: 200 },
    status: { type: 'varchar', length: 16 },
    attempts: { type: 'integer' },
    nextAttemptAt: { ...bigint },
    lastAttemptAt: { ...bigint, nullable: true },
    lastStatus: { type: 'integer', nullable: true },
    lastError: { type: 'varchar', length: 500, nullable: true },
    createdAt: { ...bigint },
    updatedAt: { ...bigint },
  },
  indices: [
    { name: 'uq_connector_deliveries_event', columns: ['eventId', 'webhook'], unique: true },
    { name: 'idx_connector_deliveries_queue', columns: ['identity', 'webhook', 'status', 'sequence'] },
  ],
});

/** Table `connector_cursors`. */
export const CursorEntity = new EntitySchema<CursorRow>({
  name: 'ConnectorCursor',
  tableName: 'connector_cursors',
  columns: {
    identity: { type: 'varchar', length: 100, primary: true },
    name: { type: 'varchar', length: 50, primary: true },
    position: { ...bigint },
  },
});

/** Every entity of the connector's SQL schema. */
export const connectorEntities = [EventEntity, SequenceEntity, DeliveryEntity, CursorEntity];
