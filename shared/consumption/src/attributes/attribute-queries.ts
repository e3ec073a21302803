/**
 * Attribute queries over the local attributes: IdentityAttributeQuery, RelationshipAttributeQuery,
 * ThirdPartyRelationshipAttributeQuery and IQLQuery (with the content package's evaluator), and the checks
 * that tell whether an existing attribute or a new one answers a query.
 */
import {
  type Attribute,
  type AttributeQuery,
  evaluateIql,
  type IdentityAttributeQuery,
  type IQLQuery,
  type RelationshipAttributeQuery,
  type ThirdPartyRelationshipAttributeQuery,
} from '@enmesh/content';
import type { Tx } from '../context.js';
import { findAttributes } from './attribute-store.js';
import type {
  LocalAttribute,
  OwnIdentityAttribute,
  OwnRelationshipAttribute,
  PeerRelationshipAttribute,
} from './local-attribute.js';

/** Who asks and who answers: the own address and the peer that sent the query. */
export interface QueryParties {
  self: string;
  requester?: string | undefined;
}

function tagsMismatch(wanted: readonly string[] | undefined, tags: readonly string[] | undefined) {
  if (wanted === undefined || wanted.length === 0) return undefined;
  return (tags ?? []).some((tag) => wanted.includes(tag))
    ? undefined
    : `the attribute has none of the tags ${wanted.join(', ')}`;
}

function iqlMatches(queryString: string, content: Attribute): boolean {
  return evaluateIql(queryString, [content as unknown as { value: { '@type': string } }]).length === 1;
}

/**
 * Why an attribute's content cannot answer a query when the answering identity (`self`) creates it, or
 * undefined when it can.
 */
export function newAttributeMismatch(
  content: Attribute,
  query: AttributeQuery,
  self: string,
): string | undefined {
  const valueType = content.value['@type'];
  switch (query['@type']) {
    case 'IdentityAttributeQuery':
      if (content['@type'] !== 'IdentityAttribute') return 'the query asks for an IdentityAttribute';
      if (content.owner !== self) return 'the attribute must be owned by the answering identity';
      if (valueType !== query.valueType) return `the query asks for a ${query.valueType}, not a ${valueType}`;
      return tagsMismatch(query.tags, content.tags);
    case 'IQLQuery':
      if (content['@type'] !== 'IdentityAttribute') return 'the query asks for an IdentityAttribute';
      if (content.owner !== self) return 'the attribute must be owned by the answering identity';
      if (
        query.attributeCreationHints !== undefined &&
        valueType !== query.attributeCreationHints.valueType
      ) {
        return `the query asks for a ${query.attributeCreationHints.valueType}, not a ${valueType}`;
      }
      return iqlMatches(query.queryString, content)
        ? undefined
        : 'the attribute does not match the IQL query';
    case 'RelationshipAttributeQuery': {
      const hints = query.attributeCreationHints;
      if (content['@type'] !== 'RelationshipAttribute') return 'the query asks for a RelationshipAttribute';
      if (content.owner !== (query.owner === '' ? self : query.owner))
        return 'the attribute has the wrong owner';
      if (content.key !== query.key) return `the query asks for the key ${query.key}`;
      if (valueType !== hints.valueType) return `the query asks for a ${hints.valueType}, not a ${valueType}`;
      if (content.confidentiality !== hints.confidentiality) {
        return `the query asks for the confidentiality ${hints.confidentiality}`;
      }
      return undefined;
    }
    case 'ThirdPartyRelationshipAttributeQuery':
      return 'a ThirdPartyRelationshipAttributeQuery is answered with existing attributes only';
  }
}

/**
 * Why an existing local attribute cannot answer a query, or undefined when it can (succession and
 * deletion are checked by the caller).
 */
export function existingAttributeMismatch(
  attribute: LocalAttribute,
  query: AttributeQuery,
  parties: QueryParties,
): string | undefined {
  const content = attribute.content;
  switch (query['@type']) {
    case 'IdentityAttributeQuery':
    case 'IQLQuery':
      if (attribute['@type'] !== 'OwnIdentityAttribute') return 'the query asks for an own IdentityAttribute';
      return newAttributeMismatch(content, query, parties.self);
    case 'RelationshipAttributeQuery':
      if (
        attribute['@type'] !== 'OwnRelationshipAttribute' &&
        attribute['@type'] !== 'PeerRelationshipAttribute'
      ) {
        return 'the query asks for a RelationshipAttribute of this relationship';
      }
      if (parties.requester !== undefined && attribute.peer !== parties.requester) {
        return 'the attribute belongs to another relationship';
      }
      return newAttributeMismatch(content, query, parties.self);
    case 'ThirdPartyRelationshipAttributeQuery': {
      if (
        attribute['@type'] !== 'OwnRelationshipAttribute' &&
        attribute['@type'] !== 'PeerRelationshipAttribute'
      ) {
        return 'the query asks for a RelationshipAttribute of a relationship with a third party';
      }
      const relationshipContent = attribute.content;
      if (!query.thirdParty.includes(attribute.peer)) return 'the attribute belongs to another relationship';
      if (attribute.peer === parties.requester)
        return 'the attribute belongs to the relationship with the requester';
      if (relationshipContent.key !== query.key) return `the query asks for the key ${query.key}`;
      if (relationshipContent.confidentiality === 'private') return 'a private attribute cannot be shared';
      if (query.owner === 'thirdParty' && relationshipContent.owner !== attribute.peer) {
        return 'the query asks for an attribute owned by the third party';
      }
      if (query.owner === 'recipient' && relationshipContent.owner !== parties.self) {
        return 'the query asks for an attribute owned by the recipient';
      }
      return undefined;
    }
  }
}

function isLiveCopy(attribute: LocalAttribute): boolean {
  const status = 'deletionInfo' in attribute ? attribute.deletionInfo?.deletionStatus : undefined;
  return status !== 'DeletedByRecipient' && status !== 'DeletedByEmitter';
}

/** The latest OwnIdentityAttributes an IdentityAttributeQuery selects. */
export async function executeIdentityAttributeQuery(
  tx: Tx,
  query: IdentityAttributeQuery,
): Promise<OwnIdentityAttribute[]> {
  const candidates = await findAttributes(tx, {
    type: 'OwnIdentityAttribute',
    valueType: query.valueType,
    onlyLatestVersions: true,
  });
  return candidates.filter(
    (a) => existingAttributeMismatch(a, query, { self: tx.address }) === undefined,
  ) as OwnIdentityAttribute[];
}

/** The latest OwnIdentityAttributes an IQLQuery selects. */
export async function executeIqlQuery(tx: Tx, query: IQLQuery): Promise<OwnIdentityAttribute[]> {
  const candidates = await findAttributes(tx, { type: 'OwnIdentityAttribute', onlyLatestVersions: true });
  const byContent = new Map(
    candidates.map((a) => [a.content as unknown as { value: { '@type': string } }, a]),
  );
  return evaluateIql(query.queryString, [...byContent.keys()]).map((c) =>
    byContent.get(c),
  ) as OwnIdentityAttribute[];
}

/** The latest RelationshipAttribute of the relationship with `peer` a RelationshipAttributeQuery asks for. */
export async function executeRelationshipAttributeQuery(
  tx: Tx,
  query: RelationshipAttributeQuery,
  peer: string,
): Promise<(OwnRelationshipAttribute | PeerRelationshipAttribute) | undefined> {
  const candidates = await findAttributes(tx, {
    type: ['OwnRelationshipAttribute', 'PeerRelationshipAttribute'],
    key: query.key,
    peer,
    onlyLatestVersions: true,
  });
  return candidates.find(
    (a) =>
      isLiveCopy(a) &&
      existingAttributeMismatch(a, query, { self: tx.address, requester: peer }) === undefined,
  ) as OwnRelationshipAttribute | PeerRelationshipAttribute | undefined;
}

/** The latest RelationshipAttributes with third parties a ThirdPartyRelationshipAttributeQuery selects. */
export async function executeThirdPartyRelationshipAttributeQuery(
  tx: Tx,
  query: ThirdPartyRelationshipAttributeQuery,
  requester?: string,
): Promise<(OwnRelationshipAttribute | PeerRelationshipAttribute)[]> {
  const candidates = await findAttributes(tx, {
    type: ['OwnRelationshipAttribute', 'PeerRelationshipAttribute'],
    key: query.key,
    peer: query.thirdParty,
    onlyLatestVersions: true,
  });
  return candidates.filter(
    (a) =>
      isLiveCopy(a) && existingAttributeMismatch(a, query, { self: tx.address, requester }) === undefined,
  ) as (OwnRelationshipAttribute | PeerRelationshipAttribute)[];
}
