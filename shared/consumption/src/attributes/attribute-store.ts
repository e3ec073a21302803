/**
 * Reading and writing LocalAttributes and their forwarding details within a unit of work.
 */
import type { IdentityAttribute, RelationshipAttribute } from '@enmesh/content';
import { type FindOptionsWhere, In, IsNull } from 'typeorm';
import type { Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes, notFound } from '../errors.js';
import {
  AttributeEntity,
  AttributeForwardingEntity,
  type AttributeForwardingRow,
  type AttributeRow,
} from '../storage/entities.js';
import type {
  AttributeDeletionInfo,
  AttributeForwardingDetails,
  EmittedAttributeDeletionStatus,
  LocalAttribute,
  LocalAttributeType,
} from './local-attribute.js';

function deletionInfoOf(row: { deletionStatus: string | null; deletionDate: string | null }) {
  return row.deletionStatus === null || row.deletionDate === null
    ? undefined
    : { deletionStatus: row.deletionStatus, deletionDate: row.deletionDate };
}

/** The LocalAttribute a row holds. */
export function attributeFromRow(row: AttributeRow): LocalAttribute {
  const base: Record<string, unknown> = { '@type': row.type, id: row.id };
  base.content = JSON.parse(row.content) as IdentityAttribute | RelationshipAttribute;
  base.createdAt = row.createdAt;
  if (row.succeeds !== null) base.succeeds = row.succeeds;
  if (row.succeededBy !== null) base.succeededBy = row.succeededBy;
  if (row.wasViewedAt !== null) base.wasViewedAt = row.wasViewedAt;
  if (row.type === 'OwnIdentityAttribute') {
    if (row.isDefault === true) base.isDefault = true;
  } else {
    base.peer = row.peer;
    base.sourceReference = row.sourceReference;
    if (row.initialAttributePeer !== null) base.initialAttributePeer = row.initialAttributePeer;
    const deletionInfo = deletionInfoOf(row);
    if (deletionInfo !== undefined) base.deletionInfo = deletionInfo;
  }
  if (row.type !== 'PeerIdentityAttribute' && row.type !== 'ThirdPartyRelationshipAttribute') {
    base.numberOfForwards = row.numberOfForwards;
  }
  return base as unknown as LocalAttribute;
}

/** The row a LocalAttribute of the identity `identity` (an own address) is stored as. */
export function attributeToRow(identity: string, attribute: LocalAttribute): AttributeRow {
  const content = attribute.content;
  const withPeer = attribute['@type'] === 'OwnIdentityAttribute' ? undefined : attribute;
  const deletionInfo = withPeer?.deletionInfo;
  return {
    identity,
    id: attribute.id,
    type: attribute['@type'],
    contentType: content['@type'],
    valueType: content.value['@type'],
    owner: content.owner,
    peer: withPeer?.peer ?? null,
    key: content['@type'] === 'RelationshipAttribute' ? content.key : null,
    content: JSON.stringify(content),
    createdAt: attribute.createdAt,
    succeeds: attribute.succeeds ?? null,
    succeededBy: attribute.succeededBy ?? null,
    isDefault: attribute['@type'] === 'OwnIdentityAttribute' && attribute.isDefault === true ? true : null,
    sourceReference: withPeer?.sourceReference ?? null,
    initialAttributePeer:
      attribute['@type'] === 'ThirdPartyRelationshipAttribute' ? attribute.initialAttributePeer : null,
    deletionStatus: deletionInfo?.deletionStatus ?? null,
    deletionDate: deletionInfo?.deletionDate ?? null,
    wasViewedAt: attribute.wasViewedAt ?? null,
    numberOfForwards: 'numberOfForwards' in attribute ? attribute.numberOfForwards : 0,
  };
}

/** The LocalAttribute of the own identity with this id, or undefined. */
export async function findAttribute(tx: Tx, id: string): Promise<LocalAttribute | undefined> {
  const row = await tx.manager.findOneBy(AttributeEntity, { identity: tx.address, id });
  return row === null ? undefined : attributeFromRow(row);
}

/**
 * The LocalAttribute with this id, optionally of one of the given types.
 * @throws {ConsumptionError} `recordNotFound`; `wrongAttributeType` when it is of another type
 */
export async function getAttribute<T extends LocalAttributeType>(
  tx: Tx,
  id: string,
  types?: readonly T[],
): Promise<Extract<LocalAttribute, { '@type': T }>> {
  const attribute = await findAttribute(tx, id);
  if (attribute === undefined) throw notFound('LocalAttribute', id);
  if (types !== undefined && !types.includes(attribute['@type'] as T)) {
    throw new ConsumptionError(
      ConsumptionErrorCodes.wrongAttributeType,
      `attribute ${id} is a ${attribute['@type']}, expected ${types.join(' or ')}`,
      { details: { id, type: attribute['@type'] } },
    );
  }
  return attribute as Extract<LocalAttribute, { '@type': T }>;
}

/** A filter on the stored columns. */
export interface AttributeFilter {
  type?: LocalAttributeType | readonly LocalAttributeType[];
  valueType?: string;
  owner?: string;
  peer?: string | readonly string[];
  key?: string;
  /** Only the latest versions (not succeeded). */
  onlyLatestVersions?: boolean;
  isDefault?: boolean;
}

/** The LocalAttributes of the own identity matching the filter, oldest first. */
export async function findAttributes(tx: Tx, filter: AttributeFilter = {}): Promise<LocalAttribute[]> {
  const where: FindOptionsWhere<AttributeRow> = { identity: tx.address };
  if (filter.type !== undefined)
    where.type = typeof filter.type === 'string' ? filter.type : In([...filter.type]);
  if (filter.valueType !== undefined) where.valueType = filter.valueType;
  if (filter.owner !== undefined) where.owner = filter.owner;
  if (filter.peer !== undefined)
    where.peer = typeof filter.peer === 'string' ? filter.peer : In([...filter.peer]);
  if (filter.key !== undefined) where.key = filter.key;
  if (filter.onlyLatestVersions === true) where.succeededBy = IsNull();
  if (filter.isDefault === true) where.isDefault = true;
  const rows = await tx.manager.find(AttributeEntity, { where, order: { createdAt: 'ASC', id: 'ASC' } });
  return rows.map(attributeFromRow);
}

/**
 * Stores a new LocalAttribute of the own identity.
 * @throws {ConsumptionError} `recordAlreadyExists` when the own identity has an attribute with its id
 */
export async function insertAttribute(tx: Tx, attribute: LocalAttribute): Promise<void> {
  if ((await tx.manager.countBy(AttributeEntity, { identity: tx.address, id: attribute.id })) > 0) {
    throw new ConsumptionError(
      ConsumptionErrorCodes.recordAlreadyExists,
      `an attribute with id ${attribute.id} exists already`,
      { details: { id: attribute.id } },
    );
  }
  await tx.manager.insert(AttributeEntity, attributeToRow(tx.address, attribute));
}

/** Stores a changed LocalAttribute of the own identity. */
export async function saveAttribute(tx: Tx, attribute: LocalAttribute): Promise<void> {
  const { identity, id, ...row } = attributeToRow(tx.address, attribute);
  await tx.manager.update(AttributeEntity, { identity, id }, row);
}

/** Removes a LocalAttribute of the own identity and its forwarding details. */
export async function removeAttribute(tx: Tx, id: string): Promise<void> {
  await tx.manager.delete(AttributeForwardingEntity, { identity: tx.address, attributeId: id });
  await tx.manager.delete(AttributeEntity, { identity: tx.address, id });
}

function forwardingFromRow(row: AttributeForwardingRow): AttributeForwardingDetails {
  const details: AttributeForwardingDetails = {
    id: row.id,
    attributeId: row.attributeId,
    peer: row.peer,
    sourceReference: row.sourceReference,
    sharedAt: row.sharedAt,
  };
  const deletionInfo = deletionInfoOf(row);
  if (deletionInfo !== undefined) {
    details.deletionInfo = deletionInfo as AttributeDeletionInfo<EmittedAttributeDeletionStatus>;
  }
  return details;
}

/** The forwarding details of own attributes, optionally only those with one peer, oldest first. */
export async function findForwardings(
  tx: Tx,
  attributeIds: string | readonly string[],
  peer?: string,
): Promise<AttributeForwardingDetails[]> {
  const where: FindOptionsWhere<AttributeForwardingRow> = {
    identity: tx.address,
    attributeId: typeof attributeIds === 'string' ? attributeIds : In([...attributeIds]),
  };
  if (peer !== undefined) where.peer = peer;
  const rows = await tx.manager.find(AttributeForwardingEntity, {
    where,
    order: { sharedAt: 'ASC', id: 'ASC' },
  });
  return rows.map(forwardingFromRow);
}

/** Stores new forwarding details and counts them on their attribute. */
export async function insertForwarding(tx: Tx, details: AttributeForwardingDetails): Promise<void> {
  await tx.manager.insert(AttributeForwardingEntity, {
    identity: tx.address,
    ...details,
    deletionStatus: details.deletionInfo?.deletionStatus ?? null,
    deletionDate: details.deletionInfo?.deletionDate ?? null,
  });
  await tx.manager.increment(
    AttributeEntity,
    { identity: tx.address, id: details.attributeId },
    'numberOfForwards',
    1,
  );
}

/**
 * Removes every forwarding detail that names `peer` (each attribute's count of forwards goes down with
 * them) and returns the removed details, oldest first.
 */
export async function removeForwardingsWithPeer(tx: Tx, peer: string): Promise<AttributeForwardingDetails[]> {
  const rows = await tx.manager.find(AttributeForwardingEntity, {
    where: { identity: tx.address, peer },
    order: { sharedAt: 'ASC', id: 'ASC' },
  });
  for (const row of rows) {
    await tx.manager.delete(AttributeForwardingEntity, { identity: tx.address, id: row.id });
    await tx.manager.decrement(
      AttributeEntity,
      { identity: tx.address, id: row.attributeId },
      'numberOfForwards',
      1,
    );
  }
  return rows.map(forwardingFromRow);
}

/** Stores changed forwarding details (their deletion info). */
export async function saveForwarding(tx: Tx, details: AttributeForwardingDetails): Promise<void> {
  await tx.manager.update(
    AttributeForwardingEntity,
    { identity: tx.address, id: details.id },
    {
      deletionStatus: details.deletionInfo?.deletionStatus ?? null,
      deletionDate: details.deletionInfo?.deletionDate ?? null,
    },
  );
}
