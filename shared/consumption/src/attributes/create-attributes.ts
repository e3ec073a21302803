/**
 * Creating LocalAttributes of each kind, with the owner checks of Enmeshed and the default handling of
 * OwnIdentityAttributes (the first of a value type becomes its default).
 */
import {
  type IdentityAttribute,
  identityAttributeSchema,
  type RelationshipAttribute,
  relationshipAttributeSchema,
} from '@enmesh/content';
import type { Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes } from '../errors.js';
import { checkContent, sameJson } from '../validation.js';
import { findAttributes, insertAttribute } from './attribute-store.js';
import type {
  OwnIdentityAttribute,
  OwnRelationshipAttribute,
  PeerIdentityAttribute,
  PeerRelationshipAttribute,
  ThirdPartyRelationshipAttribute,
} from './local-attribute.js';

function requireOwner(actual: string, expected: string, what: string): void {
  if (actual !== expected) {
    throw new ConsumptionError(ConsumptionErrorCodes.wrongOwner, `the owner of ${what} must be ${expected}`, {
      details: { owner: actual },
    });
  }
}

/**
 * Creates an OwnIdentityAttribute; it becomes the default of its value type when there is none yet.
 * @throws {ConsumptionError} `invalidContent`; `wrongOwner` unless the own identity owns it;
 *   `recordAlreadyExists` when `id` is taken
 */
export async function createOwnIdentityAttribute(
  tx: Tx,
  params: { content: IdentityAttribute; id?: string; succeeds?: string },
): Promise<OwnIdentityAttribute> {
  const content = checkContent(identityAttributeSchema, params.content, 'IdentityAttribute');
  requireOwner(content.owner, tx.address, 'an OwnIdentityAttribute');
  const attribute: OwnIdentityAttribute = {
    '@type': 'OwnIdentityAttribute',
    id: params.id ?? tx.newId('ATT'),
    content,
    createdAt: tx.now(),
    numberOfForwards: 0,
  };
  if (params.succeeds !== undefined) attribute.succeeds = params.succeeds;
  if (params.succeeds === undefined && tx.context.setDefaultOwnIdentityAttributes !== false) {
    const defaults = await findAttributes(tx, {
      type: 'OwnIdentityAttribute',
      valueType: content.value['@type'],
      isDefault: true,
    });
    if (defaults.length === 0) attribute.isDefault = true;
  }
  await insertAttribute(tx, attribute);
  tx.emit('consumption.attributeCreated', attribute);
  return attribute;
}

/**
 * The latest OwnIdentityAttribute whose content equals `content` (tags compared as sets), if any.
 */
export async function findEqualOwnIdentityAttribute(
  tx: Tx,
  content: IdentityAttribute,
): Promise<OwnIdentityAttribute | undefined> {
  const candidates = await findAttributes(tx, {
    type: 'OwnIdentityAttribute',
    valueType: content.value['@type'],
    onlyLatestVersions: true,
  });
  const tags = [...(content.tags ?? [])].sort();
  return candidates.find(
    (candidate) =>
      sameJson(candidate.content.value, content.value) &&
      sameJson([...((candidate.content as IdentityAttribute).tags ?? [])].sort(), tags),
  ) as OwnIdentityAttribute | undefined;
}

/** The common parameters of attributes that belong to a relationship or came from a peer. */
export interface SharedAttributeParams<C> {
  content: C;
  peer: string;
  sourceReference: string;
  id?: string;
  succeeds?: string;
}

/**
 * Creates an OwnRelationshipAttribute in the relationship with `peer`.
 * @throws {ConsumptionError} `invalidContent`; `wrongOwner` unless the own identity owns it
 */
export async function createOwnRelationshipAttribute(
  tx: Tx,
  params: SharedAttributeParams<RelationshipAttribute>,
): Promise<OwnRelationshipAttribute> {
  const content = checkContent(relationshipAttributeSchema, params.content, 'RelationshipAttribute');
  requireOwner(content.owner, tx.address, 'an OwnRelationshipAttribute');
  const attribute: OwnRelationshipAttribute = {
    '@type': 'OwnRelationshipAttribute',
    id: params.id ?? tx.newId('ATT'),
    content,
    createdAt: tx.now(),
    peer: params.peer,
    sourceReference: params.sourceReference,
    numberOfForwards: 0,
  };
  if (params.succeeds !== undefined) attribute.succeeds = params.succeeds;
  await insertAttribute(tx, attribute);
  tx.emit('consumption.attributeCreated', attribute);
  return attribute;
}

/**
 * Creates a PeerIdentityAttribute: identity data `peer` shared, under the id the peer gave it.
 * @throws {ConsumptionError} `invalidContent`; `wrongOwner` unless `peer` owns it
 */
export async function createPeerIdentityAttribute(
  tx: Tx,
  params: SharedAttributeParams<IdentityAttribute> & { id: string },
): Promise<PeerIdentityAttribute> {
  const content = checkContent(identityAttributeSchema, params.content, 'IdentityAttribute');
  requireOwner(content.owner, params.peer, 'a PeerIdentityAttribute');
  const attribute: PeerIdentityAttribute = {
    '@type': 'PeerIdentityAttribute',
    id: params.id,
    content,
    createdAt: tx.now(),
    peer: params.peer,
    sourceReference: params.sourceReference,
  };
  if (params.succeeds !== undefined) attribute.succeeds = params.succeeds;
  await insertAttribute(tx, attribute);
  tx.emit('consumption.attributeCreated', attribute);
  return attribute;
}

/**
 * Creates a PeerRelationshipAttribute: one `peer` owns in its relationship with the own identity.
 * @throws {ConsumptionError} `invalidContent`; `wrongOwner` unless `peer` owns it
 */
export async function createPeerRelationshipAttribute(
  tx: Tx,
  params: SharedAttributeParams<RelationshipAttribute> & { id: string },
): Promise<PeerRelationshipAttribute> {
  const content = checkContent(relationshipAttributeSchema, params.content, 'RelationshipAttribute');
  requireOwner(content.owner, params.peer, 'a PeerRelationshipAttribute');
  const attribute: PeerRelationshipAttribute = {
    '@type': 'PeerRelationshipAttribute',
    id: params.id,
    content,
    createdAt: tx.now(),
    peer: params.peer,
    sourceReference: params.sourceReference,
    numberOfForwards: 0,
  };
  if (params.succeeds !== undefined) attribute.succeeds = params.succeeds;
  await insertAttribute(tx, attribute);
  tx.emit('consumption.attributeCreated', attribute);
  return attribute;
}

/**
 * Creates a ThirdPartyRelationshipAttribute: a RelationshipAttribute of the relationship between `peer`
 * and `initialAttributePeer`, forwarded by `peer`.
 * @throws {ConsumptionError} `invalidContent`; `wrongOwner` unless `peer` or `initialAttributePeer` owns it
 */
export async function createThirdPartyRelationshipAttribute(
  tx: Tx,
  params: SharedAttributeParams<RelationshipAttribute> & { id: string; initialAttributePeer: string },
): Promise<ThirdPartyRelationshipAttribute> {
  const content = checkContent(relationshipAttributeSchema, params.content, 'RelationshipAttribute');
  if (content.owner !== params.peer && content.owner !== params.initialAttributePeer) {
    requireOwner(content.owner, params.peer, 'a ThirdPartyRelationshipAttribute');
  }
  const attribute: ThirdPartyRelationshipAttribute = {
    '@type': 'ThirdPartyRelationshipAttribute',
    id: params.id,
    content,
    createdAt: tx.now(),
    peer: params.peer,
    sourceReference: params.sourceReference,
    initialAttributePeer: params.initialAttributePeer,
  };
  if (params.succeeds !== undefined) attribute.succeeds = params.succeeds;
  await insertAttribute(tx, attribute);
  tx.emit('consumption.attributeCreated', attribute);
  return attribute;
}
