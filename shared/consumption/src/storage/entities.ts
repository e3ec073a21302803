/**
 * The consumption tables as TypeORM EntitySchemas (SQLite and PostgreSQL). JSON documents (attribute and
 * request content, responses, setting values) are stored as text; the fields the controllers filter on
 * have their own columns. Times are ISO-8601 UTC strings, which sort like the times they name.
 *
 * Every row belongs to one identity (`identity`, the own address): several identities may keep their
 * consumption data in one database. The primary key of every table is the identity and the row's id, so
 * ids are unique per identity (a peer's attribute or request keeps the id its sender gave it, which the
 * sender, held in the same database, may store too).
 */
import { EntitySchema } from 'typeorm';

/** A LocalAttribute. */
export interface AttributeRow {
  /** The own address of the identity the row belongs to. */
  identity: string;
  id: string;
  /** The LocalAttribute type (`OwnIdentityAttribute`, …). */
  type: string;
  /** `IdentityAttribute` or `RelationshipAttribute`. */
  contentType: string;
  valueType: string;
  owner: string;
  peer: string | null;
  /** The key of a RelationshipAttribute. */
  key: string | null;
  content: string;
  createdAt: string;
  succeeds: string | null;
  succeededBy: string | null;
  isDefault: boolean | null;
  sourceReference: string | null;
  initialAttributePeer: string | null;
  deletionStatus: string | null;
  deletionDate: string | null;
  wasViewedAt: string | null;
  numberOfForwards: number;
}

/** One sharing (forwarding) of an attribute with a peer. */
export interface AttributeForwardingRow {
  /** The own address of the identity the row belongs to. */
  identity: string;
  id: string;
  attributeId: string;
  peer: string;
  sourceReference: string;
  sharedAt: string;
  deletionStatus: string | null;
  deletionDate: string | null;
}

/** A LocalRequest. */
export interface RequestRow {
  /** The own address of the identity the row belongs to. */
  identity: string;
  id: string;
  isOwn: boolean;
  peer: string;
  createdAt: string;
  status: string;
  content: string;
  expiresAt: string | null;
  sourceType: string | null;
  sourceReference: string | null;
  /** The LocalResponse as JSON. */
  response: string | null;
  /** The status log as a JSON array. */
  statusLog: string;
  wasAutomaticallyDecided: boolean | null;
  decider: string | null;
}

/** A LocalNotification. */
export interface NotificationRow {
  /** The own address of the identity the row belongs to. */
  identity: string;
  id: string;
  isOwn: boolean;
  peer: string;
  createdAt: string;
  status: string;
  content: string;
  sourceReference: string | null;
  errorCode: string | null;
}

/** A setting. */
export interface SettingRow {
  /** The own address of the identity the row belongs to. */
  identity: string;
  id: string;
  key: string;
  scope: string;
  /** The relationship or device a scoped setting belongs to; '' for none. */
  reference: string;
  value: string;
  createdAt: string;
  succeedsItem: string | null;
  succeedsAt: string | null;
  metadata: string | null;
}

/** Identity metadata: a JSON value about a peer, under an optional key ('' for none). */
export interface IdentityMetadataRow {
  /** The own address of the identity the row belongs to. */
  identity: string;
  id: string;
  reference: string;
  key: string;
  value: string;
}

/** The key of every row: its identity and its id. */
const owned = {
  identity: { type: 'varchar', length: 320, primary: true },
  id: { type: 'varchar', length: 64, primary: true },
} as const;
const address = { type: 'varchar', length: 200 } as const;
const time = { type: 'varchar', length: 40 } as const;

/** Table `consumption_attributes`. */
export const AttributeEntity = new EntitySchema<AttributeRow>({
  name: 'ConsumptionAttribute',
  tableName: 'consumption_attributes',
  columns: {
    ...owned,
    type: { type: 'varchar', length: 40 },
    contentType: { type: 'varchar', length: 40 },
    valueType: { type: 'varchar', length: 60 },
    owner: address,
    peer: { ...address, nullable: true },
    key: { type: 'varchar', length: 100, nullable: true },
    content: { type: 'text' },
    createdAt: time,
    succeeds: { type: 'varchar', length: 64, nullable: true },
    succeededBy: { type: 'varchar', length: 64, nullable: true },
    isDefault: { type: 'boolean', nullable: true },
    sourceReference: { type: 'varchar', length: 64, nullable: true },
    initialAttributePeer: { ...address, nullable: true },
    deletionStatus: { type: 'varchar', length: 40, nullable: true },
    deletionDate: { ...time, nullable: true },
    wasViewedAt: { ...time, nullable: true },
    numberOfForwards: { type: 'integer' },
  },
  indices: [
    { name: 'idx_consumption_attributes_type_value', columns: ['identity', 'type', 'valueType'] },
    { name: 'idx_consumption_attributes_peer', columns: ['identity', 'peer'] },
  ],
  // One default per identity and value type: `isDefault` is true or null, and nulls never collide.
  uniques: [{ name: 'uq_consumption_attributes_default', columns: ['identity', 'valueType', 'isDefault'] }],
});

/** Table `consumption_attribute_forwardings`. */
export const AttributeForwardingEntity = new EntitySchema<AttributeForwardingRow>({
  name: 'ConsumptionAttributeForwarding',
  tableName: 'consumption_attribute_forwardings',
  columns: {
    ...owned,
    attributeId: { type: 'varchar', length: 64 },
    peer: address,
    sourceReference: { type: 'varchar', length: 64 },
    sharedAt: time,
    deletionStatus: { type: 'varchar', length: 40, nullable: true },
    deletionDate: { ...time, nullable: true },
  },
  indices: [
    { name: 'idx_consumption_forwardings_attribute', columns: ['identity', 'attributeId'] },
    { name: 'idx_consumption_forwardings_peer', columns: ['identity', 'peer'] },
  ],
});

/** Table `consumption_requests`. */
export const RequestEntity = new EntitySchema<RequestRow>({
  name: 'ConsumptionRequest',
  tableName: 'consumption_requests',
  columns: {
    ...owned,
    isOwn: { type: 'boolean' },
    peer: address,
    createdAt: time,
    status: { type: 'varchar', length: 40 },
    content: { type: 'text' },
    expiresAt: { ...time, nullable: true },
    sourceType: { type: 'varchar', length: 40, nullable: true },
    sourceReference: { type: 'varchar', length: 64, nullable: true },
    response: { type: 'text', nullable: true },
    statusLog: { type: 'text' },
    wasAutomaticallyDecided: { type: 'boolean', nullable: true },
    decider: { type: 'varchar', length: 200, nullable: true },
  },
  indices: [
    { name: 'idx_consumption_requests_peer', columns: ['identity', 'peer'] },
    { name: 'idx_consumption_requests_status', columns: ['identity', 'isOwn', 'status'] },
  ],
});

/** Table `consumption_notifications`. */
export const NotificationEntity = new EntitySchema<NotificationRow>({
  name: 'ConsumptionNotification',
  tableName: 'consumption_notifications',
  columns: {
    ...owned,
    isOwn: { type: 'boolean' },
    peer: address,
    createdAt: time,
    status: { type: 'varchar', length: 20 },
    content: { type: 'text' },
    sourceReference: { type: 'varchar', length: 64, nullable: true },
    errorCode: { type: 'varchar', length: 200, nullable: true },
  },
  indices: [{ name: 'idx_consumption_notifications_status', columns: ['identity', 'isOwn', 'status'] }],
});

/** Table `consumption_settings`. */
export const SettingEntity = new EntitySchema<SettingRow>({
  name: 'ConsumptionSetting',
  tableName: 'consumption_settings',
  columns: {
    ...owned,
    key: { type: 'varchar', length: 200 },
    scope: { type: 'varchar', length: 20 },
    reference: { type: 'varchar', length: 200 },
    value: { type: 'text' },
    createdAt: time,
    succeedsItem: { type: 'varchar', length: 64, nullable: true },
    succeedsAt: { ...time, nullable: true },
    metadata: { type: 'text', nullable: true },
  },
  indices: [{ name: 'idx_consumption_settings_key', columns: ['identity', 'key', 'scope', 'reference'] }],
});

/** Table `consumption_identity_metadata`. */
export const IdentityMetadataEntity = new EntitySchema<IdentityMetadataRow>({
  name: 'ConsumptionIdentityMetadata',
  tableName: 'consumption_identity_metadata',
  columns: {
    ...owned,
    reference: address,
    key: { type: 'varchar', length: 200 },
    value: { type: 'text' },
  },
  uniques: [{ name: 'uq_consumption_identity_metadata', columns: ['identity', 'reference', 'key'] }],
});

/** Every consumption entity. */
export const consumptionEntities = [
  AttributeEntity,
  AttributeForwardingEntity,
  RequestEntity,
  NotificationEntity,
  SettingEntity,
  IdentityMetadataEntity,
];
