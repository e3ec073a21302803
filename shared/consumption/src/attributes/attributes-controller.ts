/**
 * The attribute use cases over a consumption context, each in one transaction: create and succeed own
 * identity attributes, choose defaults, mark as viewed, delete locally, read and query.
 */
import type {
  IdentityAttribute,
  IdentityAttributeQuery,
  IdentityAttributeValue,
  IQLQuery,
  RelationshipAttributeQuery,
  ThirdPartyRelationshipAttributeQuery,
} from '@enmesh/content';
import { type ConsumptionContext, runInTransaction } from '../context.js';
import {
  executeIdentityAttributeQuery,
  executeIqlQuery,
  executeRelationshipAttributeQuery,
  executeThirdPartyRelationshipAttributeQuery,
} from './attribute-queries.js';
import {
  type AttributeFilter,
  findAttribute,
  findAttributes,
  findForwardings,
  getAttribute,
  saveAttribute,
} from './attribute-store.js';
import { createOwnIdentityAttribute } from './create-attributes.js';
import {
  changeDefaultOwnIdentityAttribute,
  deleteAttributesOfEndedRelationship,
  deleteAttributeWithPredecessors,
  type EndedRelationshipCleanup,
} from './deletion.js';
import { versionsOf } from './forwarding.js';
import type { AttributeForwardingDetails, LocalAttribute, OwnIdentityAttribute } from './local-attribute.js';
import { succeedAttribute } from './succession.js';

/** The value and tags of an own identity attribute; the owner is the own identity. */
export interface OwnIdentityAttributeInput {
  value: IdentityAttributeValue;
  tags?: string[];
}

function ownIdentityContent(address: string, input: OwnIdentityAttributeInput): IdentityAttribute {
  const content: IdentityAttribute = { '@type': 'IdentityAttribute', owner: address, value: input.value };
  if (input.tags !== undefined) content.tags = input.tags;
  return content;
}

/** Attribute use cases. */
export class AttributesController {
  readonly #context: ConsumptionContext;

  /** Creates the controller over a consumption context. */
  constructor(context: ConsumptionContext) {
    this.#context = context;
  }

  /**
   * The attribute with this id.
   * @throws {ConsumptionError} `recordNotFound`
   */
  getAttribute(id: string): Promise<LocalAttribute> {
    return runInTransaction(this.#context, (tx) => getAttribute(tx, id));
  }

  /** The attributes matching a filter, oldest first. */
  getAttributes(filter: AttributeFilter = {}): Promise<LocalAttribute[]> {
    return runInTransaction(this.#context, (tx) => findAttributes(tx, filter));
  }

  /**
   * Every version of an attribute, newest first.
   * @throws {ConsumptionError} `recordNotFound`
   */
  getVersions(id: string): Promise<LocalAttribute[]> {
    return runInTransaction(this.#context, async (tx) => versionsOf(tx, await getAttribute(tx, id)));
  }

  /** The forwarding details of an attribute, optionally only those with one peer. */
  getForwardingDetails(attributeId: string, peer?: string): Promise<AttributeForwardingDetails[]> {
    return runInTransaction(this.#context, (tx) => findForwardings(tx, attributeId, peer));
  }

  /**
   * Creates an OwnIdentityAttribute (the default of its value type when it is the first).
   * @throws {ConsumptionError} `invalidContent` when the value or tags are not valid
   */
  createOwnIdentityAttribute(input: OwnIdentityAttributeInput): Promise<OwnIdentityAttribute> {
    return runInTransaction(this.#context, (tx) =>
      createOwnIdentityAttribute(tx, { content: ownIdentityContent(tx.address, input) }),
    );
  }

  /**
   * Succeeds an OwnIdentityAttribute that is not shared (the notifications controller succeeds shared
   * ones and tells the peers).
   * @throws {ConsumptionError} the succession errors (see `validateSuccession`)
   */
  succeedOwnIdentityAttribute(
    predecessorId: string,
    input: OwnIdentityAttributeInput,
  ): Promise<{ predecessor: LocalAttribute; successor: LocalAttribute }> {
    return runInTransaction(this.#context, async (tx) => {
      if ((await findAttribute(tx, predecessorId)) !== undefined) {
        await getAttribute(tx, predecessorId, ['OwnIdentityAttribute']);
      }
      return succeedAttribute(tx, predecessorId, { content: ownIdentityContent(tx.address, input) });
    });
  }

  /**
   * Makes an OwnIdentityAttribute the default of its value type.
   * @throws {ConsumptionError} `recordNotFound`, `wrongAttributeType`, `isNotDefaultCandidate`
   */
  changeDefaultOwnIdentityAttribute(id: string): Promise<OwnIdentityAttribute> {
    return runInTransaction(this.#context, (tx) => changeDefaultOwnIdentityAttribute(tx, id));
  }

  /**
   * Records that the user has seen an attribute.
   * @throws {ConsumptionError} `recordNotFound`
   */
  markAttributeAsViewed(id: string): Promise<LocalAttribute> {
    return runInTransaction(this.#context, async (tx) => {
      const attribute = await getAttribute(tx, id);
      if (attribute.wasViewedAt !== undefined) return attribute;
      attribute.wasViewedAt = tx.now();
      await saveAttribute(tx, attribute);
      tx.emit('consumption.attributeWasViewedAtChanged', attribute);
      return attribute;
    });
  }

  /**
   * Deletes an attribute and its predecessors locally, without telling anyone (the notifications
   * controller's `deleteAttributeAndNotify` tells the peers).
   * @throws {ConsumptionError} `recordNotFound`
   */
  deleteAttribute(id: string): Promise<LocalAttribute[]> {
    return runInTransaction(this.#context, (tx) => deleteAttributeWithPredecessors(tx, id));
  }

  /**
   * Cleans up the attributes of a relationship with `peer` that ended for this identity (rejected, revoked
   * or decomposed): see `deleteAttributesOfEndedRelationship`.
   */
  deleteAttributesOfEndedRelationship(peer: string): Promise<EndedRelationshipCleanup> {
    return runInTransaction(this.#context, (tx) => deleteAttributesOfEndedRelationship(tx, peer));
  }

  /** The latest OwnIdentityAttributes an IdentityAttributeQuery selects. */
  executeIdentityAttributeQuery(query: IdentityAttributeQuery): Promise<OwnIdentityAttribute[]> {
    return runInTransaction(this.#context, (tx) => executeIdentityAttributeQuery(tx, query));
  }

  /**
   * The latest OwnIdentityAttributes an IQLQuery selects.
   * @throws {ContentError} `error.content.iqlSyntax` for a query that is not valid IQL
   */
  executeIqlQuery(query: IQLQuery): Promise<OwnIdentityAttribute[]> {
    return runInTransaction(this.#context, (tx) => executeIqlQuery(tx, query));
  }

  /** The RelationshipAttribute of the relationship with `peer` the query asks for, if any. */
  executeRelationshipAttributeQuery(query: RelationshipAttributeQuery, peer: string) {
    return runInTransaction(this.#context, (tx) => executeRelationshipAttributeQuery(tx, query, peer));
  }

  /** The RelationshipAttributes with the query's third parties it selects. */
  executeThirdPartyRelationshipAttributeQuery(
    query: ThirdPartyRelationshipAttributeQuery,
    requester?: string,
  ) {
    return runInTransaction(this.#context, (tx) =>
      executeThirdPartyRelationshipAttributeQuery(tx, query, requester),
    );
  }
}
