/**
 * Succession: a new version of an attribute succeeds the current one, which stays as history
 * (`succeeds` / `succeededBy`). The rules of Enmeshed: only the latest version can be succeeded, the
 * successor id must be new, owner, content type, value type (and a RelationshipAttribute's key) stay,
 * the content changes, and a received copy is succeeded only by the peer it came from.
 */
import {
  type Attribute,
  attributeSchema,
  type IdentityAttribute,
  type RelationshipAttribute,
} from '@enmesh/content';
import type { Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes, notFound } from '../errors.js';
import { checkContent, sameJson } from '../validation.js';
import { findAttribute, insertAttribute, saveAttribute } from './attribute-store.js';
import type { LocalAttribute } from './local-attribute.js';

/** What a successor is made of. */
export interface SuccessorParams {
  content: Attribute;
  /** The successor's id; a new one when absent (a peer's copy takes the id the peer sent). */
  id?: string;
  /** The request or notification that brought the successor (shared attributes). */
  sourceReference?: string;
  /** The peer the successor came from (received attributes): must be the predecessor's peer. */
  peer?: string;
}

function fail(code: (typeof ConsumptionErrorCodes)[keyof typeof ConsumptionErrorCodes], message: string) {
  return new ConsumptionError(code, message);
}

/**
 * Checks a succession without changing anything.
 * @throws {ConsumptionError} `predecessorDoesNotExist`, `cannotSucceedAttributesWithASuccessor`,
 *   `successorMustNotYetExist`, `successionMustNotChangeContentType`, `successionMustNotChangeOwner`,
 *   `successionMustNotChangeValueType`, `successionMustNotChangeKey`, `successionMustChangeContent`,
 *   `successionMustNotChangePeer`, `successionPeerIsNotOwner`, `cannotSucceedAttributesWithDeletionInfo`,
 *   `invalidContent`
 */
export async function validateSuccession(
  tx: Tx,
  predecessorId: string,
  params: SuccessorParams,
): Promise<{ predecessor: LocalAttribute; content: Attribute }> {
  const predecessor = await findAttribute(tx, predecessorId);
  if (predecessor === undefined) {
    throw fail(
      ConsumptionErrorCodes.predecessorDoesNotExist,
      `the predecessor ${predecessorId} does not exist`,
    );
  }
  const content = checkContent(attributeSchema, params.content, 'successor content');
  if (predecessor.succeededBy !== undefined) {
    throw fail(
      ConsumptionErrorCodes.cannotSucceedAttributesWithASuccessor,
      `attribute ${predecessorId} was succeeded by ${predecessor.succeededBy}; succeed that one instead`,
    );
  }
  if (params.id !== undefined && (await findAttribute(tx, params.id)) !== undefined) {
    throw fail(ConsumptionErrorCodes.successorMustNotYetExist, `the successor ${params.id} exists already`);
  }
  const old = predecessor.content;
  if (content['@type'] !== old['@type']) {
    throw fail(
      ConsumptionErrorCodes.successionMustNotChangeContentType,
      'a succession must not change the content type',
    );
  }
  if (content.owner !== old.owner) {
    throw fail(ConsumptionErrorCodes.successionMustNotChangeOwner, 'a succession must not change the owner');
  }
  if (content.value['@type'] !== old.value['@type']) {
    throw fail(
      ConsumptionErrorCodes.successionMustNotChangeValueType,
      'a succession must not change the value type',
    );
  }
  if (
    content['@type'] === 'RelationshipAttribute' &&
    old['@type'] === 'RelationshipAttribute' &&
    content.key !== old.key
  ) {
    throw fail(ConsumptionErrorCodes.successionMustNotChangeKey, 'a succession must not change the key');
  }
  if (sameJson(content, old)) {
    throw fail(ConsumptionErrorCodes.successionMustChangeContent, 'a succession must change the content');
  }
  if (predecessor['@type'] === 'OwnRelationshipAttribute' && predecessor.deletionInfo !== undefined) {
    throw fail(
      ConsumptionErrorCodes.cannotSucceedAttributesWithDeletionInfo,
      'the peer may have deleted this attribute already; it cannot be succeeded',
    );
  }
  if (
    predecessor['@type'] === 'PeerIdentityAttribute' ||
    predecessor['@type'] === 'PeerRelationshipAttribute' ||
    predecessor['@type'] === 'ThirdPartyRelationshipAttribute'
  ) {
    if (params.peer !== undefined && params.peer !== predecessor.peer) {
      throw fail(
        ConsumptionErrorCodes.successionMustNotChangePeer,
        'the peer of a shared attribute must not change',
      );
    }
    if (predecessor['@type'] !== 'ThirdPartyRelationshipAttribute' && content.owner !== predecessor.peer) {
      throw fail(
        ConsumptionErrorCodes.successionPeerIsNotOwner,
        'only the owner can succeed a shared attribute',
      );
    }
    if (params.id === undefined) {
      throw fail(ConsumptionErrorCodes.invalidContent, 'a received successor needs the id its owner gave it');
    }
  }
  return { predecessor, content };
}

/**
 * Succeeds an attribute of any kind with a new version of the same kind; the successor of an
 * OwnIdentityAttribute takes over its default flag, shared successors keep the peer.
 * @throws {ConsumptionError} as `validateSuccession`
 */
export async function succeedAttribute(
  tx: Tx,
  predecessorId: string,
  params: SuccessorParams,
): Promise<{ predecessor: LocalAttribute; successor: LocalAttribute }> {
  const { predecessor, content } = await validateSuccession(tx, predecessorId, params);
  const common = {
    id: params.id ?? tx.newId('ATT'),
    createdAt: tx.now(),
    succeeds: predecessor.id,
  };
  let successor: LocalAttribute;
  switch (predecessor['@type']) {
    case 'OwnIdentityAttribute':
      successor = {
        ...common,
        '@type': 'OwnIdentityAttribute',
        content: content as IdentityAttribute,
        numberOfForwards: 0,
      };
      if (predecessor.isDefault === true) {
        successor.isDefault = true;
        delete predecessor.isDefault;
      }
      break;
    case 'OwnRelationshipAttribute':
    case 'PeerRelationshipAttribute':
      successor = {
        ...common,
        '@type': predecessor['@type'],
        content: content as RelationshipAttribute,
        peer: predecessor.peer,
        sourceReference: params.sourceReference ?? predecessor.sourceReference,
        numberOfForwards: 0,
      };
      break;
    case 'PeerIdentityAttribute':
      successor = {
        ...common,
        '@type': 'PeerIdentityAttribute',
        content: content as IdentityAttribute,
        peer: predecessor.peer,
        sourceReference: params.sourceReference ?? predecessor.sourceReference,
      };
      break;
    case 'ThirdPartyRelationshipAttribute':
      successor = {
        ...common,
        '@type': 'ThirdPartyRelationshipAttribute',
        content: content as RelationshipAttribute,
        peer: predecessor.peer,
        sourceReference: params.sourceReference ?? predecessor.sourceReference,
        initialAttributePeer: predecessor.initialAttributePeer,
      };
      break;
  }
  predecessor.succeededBy = successor.id;
  await saveAttribute(tx, predecessor);
  await insertAttribute(tx, successor);
  tx.emit('consumption.attributeSucceeded', { predecessor, successor });
  return { predecessor, successor };
}

/**
 * The latest version of an attribute.
 * @throws {ConsumptionError} `recordNotFound`
 */
export async function latestVersionOf(tx: Tx, id: string): Promise<LocalAttribute> {
  let attribute = await findAttribute(tx, id);
  if (attribute === undefined) throw notFound('LocalAttribute', id);
  while (attribute.succeededBy !== undefined) {
    const next: LocalAttribute | undefined = await findAttribute(tx, attribute.succeededBy);
    if (next === undefined) break;
    attribute = next;
  }
  return attribute;
}
