import {
  addForwardingDetails,
  ConsumptionError,
  ConsumptionErrorCodes,
  findEqualOwnIdentityAttribute,
  getAttribute,
  type LocalAttribute,
  runInTransaction,
  sharedVersionWith,
} from '@enmesh/consumption';
import {
  ContentError,
  type IdentityAttribute,
  type IdentityAttributeQuery,
  type IQLQuery,
  type NotificationItem,
  parseIql,
  type RelationshipAttributeQuery,
  type ThirdPartyRelationshipAttributeQuery,
} from '@enmesh/content';
import type { z } from 'zod';
import type { ConsumptionBridge } from '../account/consumption-bridge.js';
import { notFound, RuntimeError, validate, validateContent, validationError } from '../errors.js';
import { identityContent, inputs, recordOwnNotification, typedQuery } from './attribute-inputs.js';
import {
  type AttributeForwardingDetailsDTO,
  forwardingsOf,
  isTechnical,
  newestOfChains,
  ownAttributesSharedWith,
  versionsSharedWith,
} from './attribute-reads.js';
import { checkQuery, matchesQuery, type Query } from './query-filter.js';

/** Sends the own notifications with these ids by message (queued; failures are logged and retried). */
export type NotificationSender = (notificationIds: readonly string[]) => Promise<void>;

/** The answer of `validateIQLQuery`. */
export type IqlValidationResult =
  | { readonly isValid: true }
  | {
      readonly isValid: false;
      readonly error: { readonly message: string; readonly location?: { start: { offset: number } } };
    };

/** The answer of `canCreateOwnIdentityAttribute` (Enmeshed `CanCreateOwnIdentityAttributeResponse`). */
export type CanCreateAttributeResult =
  | { readonly isSuccess: true }
  | { readonly isSuccess: false; readonly code: string; readonly message: string };

/** The successor of a succession and, when a peer was told, the notification. */
export interface SuccessionResult {
  readonly predecessor: LocalAttribute;
  readonly successor: LocalAttribute;
  readonly notificationId?: string;
}

/**
 * The local attributes of an account (Enmeshed `AttributesFacade`, v7 model): own identity attributes,
 * what was shared with peers and received from them, versions and forwarding details, the four queries;
 * successions and deletions tell the peers concerned by notification messages.
 */
export class AttributesService {
  readonly #bridge: ConsumptionBridge;
  readonly #send: NotificationSender;

  /** Serves one account; notifications go out through `send`. */
  constructor(bridge: ConsumptionBridge, send: NotificationSender) {
    this.#bridge = bridge;
    this.#send = send;
  }

  /**
   * Tells whether an OwnIdentityAttribute with this content could be created (valid, and no equal one).
   * @throws RuntimeError `error.runtime.validation` for a malformed input.
   */
  async canCreateOwnIdentityAttribute(
    input: z.input<typeof inputs.content>,
  ): Promise<CanCreateAttributeResult> {
    const { content } = validate(inputs.content, input);
    try {
      await this.#bridge.write(async (c) => {
        const attribute = identityContent(c.context.address, content);
        await this.#refuseDuplicate(c.context, attribute);
      });
      return { isSuccess: true };
    } catch (error) {
      if (!RuntimeError.isRuntimeError(error) && !ConsumptionError.isConsumptionError(error)) throw error;
      return { isSuccess: false, code: error.code, message: error.message };
    }
  }

  /**
   * Creates an OwnIdentityAttribute (the default of its value type when it is the first).
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordAlreadyExists`
   *   when an equal one exists.
   */
  async createOwnIdentityAttribute(input: z.input<typeof inputs.content>): Promise<LocalAttribute> {
    const { content } = validate(inputs.content, input);
    return this.#bridge.write(async (c) => {
      const attribute = identityContent(c.context.address, content);
      await this.#refuseDuplicate(c.context, attribute);
      return c.attributes.createOwnIdentityAttribute({
        value: attribute.value,
        ...(attribute.tags ? { tags: attribute.tags } : {}),
      });
    });
  }

  /**
   * One attribute.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async getAttribute(input: z.input<typeof inputs.id>): Promise<LocalAttribute> {
    const { id } = validate(inputs.id, input);
    return this.#bridge.write((c) => c.attributes.getAttribute(id));
  }

  /**
   * The attributes matching the Connector's query filters (`@type`, `content.value.@type`, `peer`, …).
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getAttributes(input: z.input<typeof inputs.attributes> = {}): Promise<LocalAttribute[]> {
    const { query = {} } = validate(inputs.attributes, input);
    checkQuery(query as Query);
    const all = await this.#bridge.write((c) => c.attributes.getAttributes());
    return all.filter((attribute) => matchesQuery(attribute, query as Query));
  }

  /**
   * The OwnIdentityAttributes (by default only the latest versions).
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getOwnIdentityAttributes(input: z.input<typeof inputs.own> = {}): Promise<LocalAttribute[]> {
    const { query = {}, onlyLatestVersions = true } = validate(inputs.own, input);
    checkQuery(query as Query);
    const own = await this.#bridge.write((c) =>
      c.attributes.getAttributes({ type: 'OwnIdentityAttribute', onlyLatestVersions }),
    );
    return own.filter((attribute) => matchesQuery(attribute, query as Query));
  }

  /**
   * The own attributes shared with a peer (by default only the newest version shared of each).
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getOwnAttributesSharedWithPeer(input: z.input<typeof inputs.shared>): Promise<LocalAttribute[]> {
    const { peer, query = {}, onlyLatestVersions = true, hideTechnical } = validate(inputs.shared, input);
    checkQuery(query as Query);
    return this.#bridge.write(async (c) => {
      let shared = await ownAttributesSharedWith(c, peer);
      if (onlyLatestVersions) shared = await newestOfChains(c, shared);
      return shared.filter(
        (attribute) => !(hideTechnical && isTechnical(attribute)) && matchesQuery(attribute, query as Query),
      );
    });
  }

  /**
   * The attributes received from a peer (by default only the latest versions).
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getPeerAttributes(input: z.input<typeof inputs.peer>): Promise<LocalAttribute[]> {
    const { peer, query = {}, onlyLatestVersions = true, hideTechnical } = validate(inputs.peer, input);
    checkQuery(query as Query);
    const received = await this.#bridge.write((c) =>
      c.attributes.getAttributes({
        type: ['PeerIdentityAttribute', 'PeerRelationshipAttribute', 'ThirdPartyRelationshipAttribute'],
        peer,
        onlyLatestVersions,
      }),
    );
    return received.filter(
      (attribute) => !(hideTechnical && isTechnical(attribute)) && matchesQuery(attribute, query as Query),
    );
  }

  /**
   * Every version of an attribute, newest first.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async getVersionsOfAttribute(input: z.input<typeof inputs.attributeId>): Promise<LocalAttribute[]> {
    const { attributeId } = validate(inputs.attributeId, input);
    return this.#bridge.write((c) => c.attributes.getVersions(attributeId));
  }

  /**
   * The versions of an attribute a peer has (by default only the newest of them).
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async getVersionsOfAttributeSharedWithPeer(
    input: z.input<typeof inputs.versionsShared>,
  ): Promise<LocalAttribute[]> {
    const { attributeId, peer, onlyLatestVersions = true } = validate(inputs.versionsShared, input);
    const versions = await this.#bridge.write((c) => versionsSharedWith(c, attributeId, peer));
    return onlyLatestVersions ? versions.slice(0, 1) : versions;
  }

  /**
   * The sharings of an attribute with peers.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async getForwardingDetailsOfAttribute(
    input: z.input<typeof inputs.attributeId>,
  ): Promise<AttributeForwardingDetailsDTO[]> {
    const { attributeId } = validate(inputs.attributeId, input);
    return this.#bridge.write((c) => forwardingsOf(c, attributeId));
  }

  /**
   * Succeeds an OwnIdentityAttribute (peers are told with `notifyPeerAboutOwnIdentityAttributeSuccession`)
   * or an OwnRelationshipAttribute (the peer is told at once).
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `recordNotFound`, `wrongAttributeType`
   *   and the succession codes (`successionMustChangeContent`, …).
   */
  async succeedAttribute(input: z.input<typeof inputs.succeed>): Promise<SuccessionResult> {
    const { predecessorId, successorContent } = validate(inputs.succeed, input);
    const result = await this.#bridge.write(async (c): Promise<SuccessionResult> => {
      const predecessor = await c.attributes.getAttribute(predecessorId);
      if (predecessor['@type'] === 'OwnIdentityAttribute') {
        const content = identityContent(c.context.address, successorContent);
        return c.attributes.succeedOwnIdentityAttribute(predecessorId, {
          value: content.value,
          ...(content.tags ? { tags: content.tags } : {}),
        });
      }
      if (predecessor['@type'] !== 'OwnRelationshipAttribute') {
        throw new ConsumptionError(
          ConsumptionErrorCodes.wrongAttributeType,
          `a ${predecessor['@type']} is succeeded by its owner`,
          { details: { id: predecessorId } },
        );
      }
      const content = validateContent(
        { ...predecessor.content, value: successorContent.value },
        ['RelationshipAttribute'],
        'successorContent',
      );
      const done = await c.notifications.succeedAttributeAndNotify(predecessorId, content);
      const notificationId = done.notifications[0]?.notification.id;
      return {
        predecessor: done.predecessor,
        successor: done.successor,
        ...(notificationId ? { notificationId } : {}),
      };
    });
    if (result.notificationId) await this.#send([result.notificationId]);
    return result;
  }

  /**
   * Tells a peer that an OwnIdentityAttribute shared with it in an earlier version was succeeded by this
   * one; the successor is then shared with the peer.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `recordNotFound`, `wrongAttributeType`,
   *   `notForwardedToPeer` (no earlier version shared with the peer, or this one is already).
   */
  async notifyPeerAboutOwnIdentityAttributeSuccession(
    input: z.input<typeof inputs.notifyPeer>,
  ): Promise<Required<SuccessionResult>> {
    const { attributeId, peer } = validate(inputs.notifyPeer, input);
    const result = await this.#bridge.write((c) =>
      runInTransaction(c.context, async (tx) => {
        const successor = await getAttribute(tx, attributeId, ['OwnIdentityAttribute']);
        const predecessor = await sharedVersionWith(tx, successor, peer);
        if (!predecessor || predecessor.id === successor.id) {
          throw new ConsumptionError(
            ConsumptionErrorCodes.notForwardedToPeer,
            predecessor
              ? `attribute ${attributeId} is shared with ${peer} already`
              : `no earlier version of attribute ${attributeId} was shared with ${peer}`,
            { details: { id: attributeId, peer } },
          );
        }
        const item: NotificationItem = {
          '@type': 'PeerAttributeSucceededNotificationItem',
          predecessorId: predecessor.id,
          successorId: successor.id,
          successorContent: successor.content,
        };
        const notificationId = await recordOwnNotification(tx, peer, [item]);
        await addForwardingDetails(tx, successor, peer, notificationId);
        return {
          predecessor,
          successor: await getAttribute(tx, attributeId),
          notificationId,
        };
      }),
    );
    await this.#send([result.notificationId]);
    return result;
  }

  /**
   * Deletes an attribute with its predecessors (own, peer or third-party) and tells the peers concerned:
   * the peers it was shared with, or the peer it came from.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async deleteAttributeAndNotify(
    input: z.input<typeof inputs.attributeId>,
  ): Promise<{ notificationIds: string[] }> {
    const { attributeId } = validate(inputs.attributeId, input);
    const { notifications } = await this.#bridge.write((c) =>
      c.notifications.deleteAttributeAndNotify(attributeId),
    );
    const notificationIds = notifications.map(({ notification }) => notification.id);
    if (notificationIds.length > 0) await this.#send(notificationIds);
    return { notificationIds };
  }

  /**
   * Makes an OwnIdentityAttribute the default of its value type.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `recordNotFound`,
   *   `wrongAttributeType`, `isNotDefaultCandidate`.
   */
  async changeDefaultOwnIdentityAttribute(
    input: z.input<typeof inputs.attributeId>,
  ): Promise<LocalAttribute> {
    const { attributeId } = validate(inputs.attributeId, input);
    return this.#bridge.write((c) => c.attributes.changeDefaultOwnIdentityAttribute(attributeId));
  }

  /**
   * Records that the user has seen an attribute.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async markAttributeAsViewed(input: z.input<typeof inputs.attributeId>): Promise<LocalAttribute> {
    const { attributeId } = validate(inputs.attributeId, input);
    return this.#bridge.write((c) => c.attributes.markAttributeAsViewed(attributeId));
  }

  /**
   * The latest OwnIdentityAttributes an IdentityAttributeQuery (`{valueType, tags?}`) selects.
   * @throws RuntimeError `error.runtime.validation`.
   */
  async executeIdentityAttributeQuery(input: z.input<typeof inputs.query>): Promise<LocalAttribute[]> {
    const query = typedQuery<IdentityAttributeQuery>(input, 'IdentityAttributeQuery');
    return this.#bridge.write((c) => c.attributes.executeIdentityAttributeQuery(query));
  }

  /**
   * The RelationshipAttribute a RelationshipAttributeQuery asks for in the relationship with `peer` (by
   * default the query's owner).
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`.
   */
  async executeRelationshipAttributeQuery(
    input: z.input<typeof inputs.relationshipQuery>,
  ): Promise<LocalAttribute> {
    const parsed = validate(inputs.relationshipQuery, input);
    const query = typedQuery<RelationshipAttributeQuery>(
      { query: parsed.query },
      'RelationshipAttributeQuery',
    );
    const found = await this.#bridge.write(async (c) => {
      const peer = parsed.peer ?? (query.owner === c.context.address ? undefined : query.owner);
      if (!peer) throw validationError([{ path: '$.peer', message: 'names the peer of the relationship' }]);
      return c.attributes.executeRelationshipAttributeQuery(query, peer);
    });
    if (!found) throw notFound('relationship attribute with the key', query.key);
    return found;
  }

  /**
   * The RelationshipAttributes of relationships with third parties a query selects.
   * @throws RuntimeError `error.runtime.validation`.
   */
  async executeThirdPartyRelationshipAttributeQuery(
    input: z.input<typeof inputs.query>,
  ): Promise<LocalAttribute[]> {
    const query = typedQuery<ThirdPartyRelationshipAttributeQuery>(
      input,
      'ThirdPartyRelationshipAttributeQuery',
    );
    return this.#bridge.write((c) => c.attributes.executeThirdPartyRelationshipAttributeQuery(query));
  }

  /**
   * The latest OwnIdentityAttributes an IQL query selects.
   * @throws RuntimeError `error.runtime.validation` (also for a query that is not valid IQL).
   */
  async executeIQLQuery(input: z.input<typeof inputs.query>): Promise<LocalAttribute[]> {
    const query = typedQuery<IQLQuery>(input, 'IQLQuery');
    return this.#bridge.write((c) => c.attributes.executeIqlQuery(query));
  }

  /**
   * Tells whether a text is a valid IQL query, and if not, what is wrong and where.
   * @throws RuntimeError `error.runtime.validation` for a malformed input.
   */
  validateIQLQuery(input: z.input<typeof inputs.iql>): IqlValidationResult {
    const { query } = validate(inputs.iql, input);
    try {
      parseIql(query.queryString);
      return { isValid: true };
    } catch (error) {
      if (!ContentError.isContentError(error)) throw error;
      const offset = error.details?.offset;
      return {
        isValid: false,
        error: {
          message: error.message,
          ...(typeof offset === 'number' ? { location: { start: { offset } } } : {}),
        },
      };
    }
  }

  async #refuseDuplicate(context: Parameters<typeof runInTransaction>[0], content: IdentityAttribute) {
    const equal = await runInTransaction(context, (tx) => findEqualOwnIdentityAttribute(tx, content));
    if (equal) {
      throw new ConsumptionError(
        ConsumptionErrorCodes.recordAlreadyExists,
        `an equal OwnIdentityAttribute exists already: ${equal.id}`,
        { details: { id: equal.id } },
      );
    }
  }
}
