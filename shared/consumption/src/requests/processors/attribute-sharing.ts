/**
 * What ReadAttribute, ProposeAttribute, CreateAttribute and TransferFileOwnership items share: checking an
 * existing or a new attribute as the answer to a query, sharing it with the requester (or telling that it
 * was shared already, or that it succeeds a shared version), and storing the peer's copy on the
 * requester's side.
 */
import { type Attribute, type AttributeQuery, attributeSchema, type ResponseItem } from '@enmesh/content';
import { existingAttributeMismatch, newAttributeMismatch } from '../../attributes/attribute-queries.js';
import { findAttribute, findAttributes, getAttribute } from '../../attributes/attribute-store.js';
import {
  createOwnIdentityAttribute,
  createOwnRelationshipAttribute,
  createPeerIdentityAttribute,
  createPeerRelationshipAttribute,
  createThirdPartyRelationshipAttribute,
  findEqualOwnIdentityAttribute,
} from '../../attributes/create-attributes.js';
import { addForwardingDetails, isSharedWith, sharedVersionWith } from '../../attributes/forwarding.js';
import type { LocalAttribute } from '../../attributes/local-attribute.js';
import { succeedAttribute } from '../../attributes/succession.js';
import type { Tx } from '../../context.js';
import { ConsumptionErrorCodes } from '../../errors.js';
import { failure, success, type ValidationResult } from '../../validation.js';
import type { LocalRequest } from '../local-request.js';

/** The accept response item a sharing produces for an item type. */
export type SharedAnswerType = 'ReadAttributeAcceptResponseItem' | 'ProposeAttributeAcceptResponseItem';

function mergedTags(content: Attribute, tags: readonly string[] | undefined): Attribute {
  if (tags === undefined || content['@type'] !== 'IdentityAttribute') return content;
  const merged = [...new Set([...(content.tags ?? []), ...tags])];
  return { ...content, tags: merged };
}

function isDeletedCopy(attribute: LocalAttribute): boolean {
  const status = 'deletionInfo' in attribute ? attribute.deletionInfo?.deletionStatus : undefined;
  return status === 'DeletedByEmitter' || status === 'DeletedByRecipient';
}

/** Checks an existing attribute (with tags to add) as the answer to a query of the request's peer. */
export async function checkExistingAnswer(
  tx: Tx,
  attributeId: string,
  tags: readonly string[] | undefined,
  query: AttributeQuery,
  request: LocalRequest,
): Promise<ValidationResult> {
  const invalid = (message: string) => failure(ConsumptionErrorCodes.invalidAcceptParameters, message);
  if (query['@type'] === 'RelationshipAttributeQuery') {
    return invalid('a RelationshipAttributeQuery is answered with a new RelationshipAttribute only');
  }
  const attribute = await findAttribute(tx, attributeId);
  if (attribute === undefined) return invalid(`the attribute ${attributeId} does not exist`);
  if (attribute.succeededBy !== undefined) {
    return invalid(`the attribute ${attributeId} is an outdated version; share its latest version`);
  }
  if (isDeletedCopy(attribute)) return invalid(`the attribute ${attributeId} was deleted`);
  if (tags !== undefined && attribute['@type'] !== 'OwnIdentityAttribute') {
    return invalid('tags can only be added to an own IdentityAttribute');
  }
  const candidate = { ...attribute, content: mergedTags(attribute.content, tags) } as LocalAttribute;
  const mismatch = existingAttributeMismatch(candidate, query, { self: tx.address, requester: request.peer });
  return mismatch === undefined ? success() : failure(ConsumptionErrorCodes.attributeQueryMismatch, mismatch);
}

/** Checks a new attribute as the answer to a query of the request's peer. */
export async function checkNewAnswer(
  tx: Tx,
  json: unknown,
  query: AttributeQuery,
  request: LocalRequest,
): Promise<ValidationResult> {
  const parsed = attributeSchema.safeParse(json);
  if (!parsed.success) {
    return failure(
      ConsumptionErrorCodes.invalidAcceptParameters,
      `the new attribute is not valid: ${parsed.error.message}`,
    );
  }
  const content = parsed.data;
  const mismatch = newAttributeMismatch(content, query, tx.address);
  if (mismatch !== undefined) {
    const code =
      query['@type'] === 'ThirdPartyRelationshipAttributeQuery'
        ? ConsumptionErrorCodes.invalidAcceptParameters
        : ConsumptionErrorCodes.attributeQueryMismatch;
    return failure(code, mismatch);
  }
  if (
    content['@type'] === 'RelationshipAttribute' &&
    (await relationshipKeyTaken(tx, content, request.peer))
  ) {
    return failure(
      ConsumptionErrorCodes.invalidAcceptParameters,
      `a RelationshipAttribute with the key ${content.key} exists already in this relationship`,
    );
  }
  return success();
}

/** Tells whether the relationship with `peer` has a live attribute of this key, owner and value type. */
export async function relationshipKeyTaken(
  tx: Tx,
  content: Extract<Attribute, { '@type': 'RelationshipAttribute' }>,
  peer: string,
): Promise<boolean> {
  const existing = await findAttributes(tx, {
    type: ['OwnRelationshipAttribute', 'PeerRelationshipAttribute'],
    key: content.key,
    owner: content.owner,
    peer,
    valueType: content.value['@type'],
    onlyLatestVersions: true,
  });
  return existing.some((attribute) => !isDeletedCopy(attribute));
}

function answer(
  type: SharedAnswerType,
  attribute: LocalAttribute,
  initialAttributePeer?: string,
): ResponseItem {
  const item: ResponseItem = {
    '@type': type,
    result: 'Accepted',
    attributeId: attribute.id,
    attribute: attribute.content,
  } as ResponseItem;
  if (initialAttributePeer !== undefined)
    (item as { initialAttributePeer?: string }).initialAttributePeer = initialAttributePeer;
  return item;
}

/**
 * Shares an existing attribute with the request's peer: adds the tags (as a new version), and answers
 * that it was shared already, that it succeeds a version shared before, or with the attribute itself.
 */
export async function shareExisting(
  tx: Tx,
  attributeId: string,
  tags: readonly string[] | undefined,
  request: LocalRequest,
  type: SharedAnswerType,
): Promise<ResponseItem> {
  let attribute = await getAttribute(tx, attributeId);
  const current = attribute.content;
  if (
    tags !== undefined &&
    current['@type'] === 'IdentityAttribute' &&
    tags.some((tag) => !(current.tags ?? []).includes(tag))
  ) {
    const content = mergedTags(current, tags);
    attribute = (await succeedAttribute(tx, attribute.id, { content })).successor;
  }
  if (await isSharedWith(tx, attribute.id, request.peer)) {
    return {
      '@type': 'AttributeAlreadySharedAcceptResponseItem',
      result: 'Accepted',
      attributeId: attribute.id,
    };
  }
  if (attribute['@type'] === 'OwnIdentityAttribute') {
    const shared = await sharedVersionWith(tx, attribute, request.peer);
    await addForwardingDetails(tx, attribute, request.peer, request.id);
    if (shared !== undefined) {
      return {
        '@type': 'AttributeSuccessionAcceptResponseItem',
        result: 'Accepted',
        predecessorId: shared.id,
        successorId: attribute.id,
        successorContent: attribute.content,
      };
    }
    return answer(type, attribute);
  }
  await addForwardingDetails(tx, attribute, request.peer, request.id);
  return answer(type, attribute, 'peer' in attribute ? attribute.peer : undefined);
}

/**
 * Creates (or finds an equal) attribute of the answering identity and shares it with the request's peer.
 */
export async function shareNew(
  tx: Tx,
  content: Attribute,
  request: LocalRequest,
  type: SharedAnswerType,
): Promise<ResponseItem> {
  if (content['@type'] === 'RelationshipAttribute') {
    const created = await createOwnRelationshipAttribute(tx, {
      content,
      peer: request.peer,
      sourceReference: request.id,
    });
    return answer(type, created);
  }
  const equal = await findEqualOwnIdentityAttribute(tx, content);
  if (equal !== undefined) return shareExisting(tx, equal.id, undefined, request, type);
  const created = await createOwnIdentityAttribute(tx, { content });
  await addForwardingDetails(tx, created, request.peer, request.id);
  return answer(type, created);
}

/** Requester: checks the attribute in a response item against the query asked. */
export function checkSharedAnswer(
  responseItem: ResponseItem,
  query: AttributeQuery,
  request: LocalRequest,
): ValidationResult {
  let content: Attribute;
  switch (responseItem['@type']) {
    case 'ReadAttributeAcceptResponseItem':
    case 'ProposeAttributeAcceptResponseItem':
      content = responseItem.attribute;
      break;
    case 'AttributeSuccessionAcceptResponseItem':
      content = responseItem.successorContent;
      break;
    default:
      return success();
  }
  const mismatch =
    query['@type'] === 'ThirdPartyRelationshipAttributeQuery'
      ? thirdPartyMismatch(content, query, responseItem)
      : newAttributeMismatch(content, query, request.peer);
  return mismatch === undefined ? success() : failure(ConsumptionErrorCodes.attributeQueryMismatch, mismatch);
}

function thirdPartyMismatch(
  content: Attribute,
  query: Extract<AttributeQuery, { '@type': 'ThirdPartyRelationshipAttributeQuery' }>,
  responseItem: ResponseItem,
): string | undefined {
  if (content['@type'] !== 'RelationshipAttribute') return 'the query asks for a RelationshipAttribute';
  if (content.key !== query.key) return `the query asks for the key ${query.key}`;
  const initial = (responseItem as { initialAttributePeer?: string }).initialAttributePeer;
  if (initial === undefined || !query.thirdParty.includes(initial))
    return 'the attribute comes from another relationship';
  return undefined;
}

/**
 * Requester: stores the peer's copy of an attribute it shared (under the peer's id), unless it is there
 * already; a RelationshipAttribute the requester owns becomes an OwnRelationshipAttribute.
 */
export async function storePeerCopy(
  tx: Tx,
  params: {
    id: string;
    content: Attribute;
    request: LocalRequest;
    initialAttributePeer?: string | undefined;
  },
): Promise<void> {
  const { id, content, request } = params;
  if ((await findAttribute(tx, id)) !== undefined) return;
  const common = { id, peer: request.peer, sourceReference: request.id };
  if (content['@type'] === 'IdentityAttribute') {
    await createPeerIdentityAttribute(tx, { ...common, content });
  } else if (params.initialAttributePeer !== undefined) {
    await createThirdPartyRelationshipAttribute(tx, {
      ...common,
      content,
      initialAttributePeer: params.initialAttributePeer,
    });
  } else if (content.owner === tx.address) {
    await createOwnRelationshipAttribute(tx, { ...common, content });
  } else {
    await createPeerRelationshipAttribute(tx, { ...common, content });
  }
}

/** Requester: applies a response item that shares an attribute (or its new version) with it. */
export async function applySharedAnswer(
  tx: Tx,
  responseItem: ResponseItem,
  request: LocalRequest,
): Promise<void> {
  switch (responseItem['@type']) {
    case 'ReadAttributeAcceptResponseItem':
      return storePeerCopy(tx, {
        id: responseItem.attributeId,
        content: responseItem.attribute,
        request,
        initialAttributePeer: responseItem.initialAttributePeer,
      });
    case 'ProposeAttributeAcceptResponseItem':
    case 'TransferFileOwnershipAcceptResponseItem':
      return storePeerCopy(tx, { id: responseItem.attributeId, content: responseItem.attribute, request });
    case 'AttributeSuccessionAcceptResponseItem': {
      const predecessor = await findAttribute(tx, responseItem.predecessorId);
      if (predecessor === undefined || predecessor.succeededBy !== undefined) {
        return storePeerCopy(tx, {
          id: responseItem.successorId,
          content: responseItem.successorContent,
          request,
        });
      }
      await succeedAttribute(tx, predecessor.id, {
        content: responseItem.successorContent,
        id: responseItem.successorId,
        peer: request.peer,
        sourceReference: request.id,
      });
      return;
    }
    default:
      return;
  }
}
