/**
 * CreateAttributeRequestItem: the sender creates an attribute for the recipient (an IdentityAttribute the
 * recipient owns, or a RelationshipAttribute either of them owns in their relationship); accepting stores
 * it on both sides under the same id.
 */
import type { CreateAttributeRequestItem } from '@enmesh/content';
import {
  createOwnIdentityAttribute,
  createOwnRelationshipAttribute,
  createPeerRelationshipAttribute,
  findEqualOwnIdentityAttribute,
} from '../../attributes/create-attributes.js';
import { addForwardingDetails, isSharedWith } from '../../attributes/forwarding.js';
import { ConsumptionErrorCodes } from '../../errors.js';
import { failure, success } from '../../validation.js';
import { defineProcessor } from '../item-processor.js';
import { relationshipKeyTaken, storePeerCopy } from './attribute-sharing.js';

/** The CreateAttributeRequestItem processor. */
export const createAttributeProcessor = defineProcessor<CreateAttributeRequestItem>({
  acceptResponseTypes: ['CreateAttributeAcceptResponseItem', 'AttributeAlreadySharedAcceptResponseItem'],

  async canCreateOutgoing(tx, item, _request, peer) {
    const attribute = item.attribute;
    if (attribute['@type'] === 'IdentityAttribute') {
      if (attribute.owner === tx.address || (peer !== undefined && attribute.owner !== peer)) {
        return failure(
          ConsumptionErrorCodes.invalidRequestItem,
          'an IdentityAttribute can only be created for the recipient',
        );
      }
      return success();
    }
    if (attribute.owner !== tx.address && peer !== undefined && attribute.owner !== peer) {
      return failure(
        ConsumptionErrorCodes.invalidRequestItem,
        'a RelationshipAttribute is owned by the sender or the recipient',
      );
    }
    if (peer !== undefined && (await relationshipKeyTaken(tx, attribute, peer))) {
      return failure(
        ConsumptionErrorCodes.invalidRequestItem,
        `a RelationshipAttribute with the key ${attribute.key} exists already in this relationship`,
      );
    }
    return success();
  },

  async canAccept(tx, item, _params, request) {
    const attribute = item.attribute;
    if (attribute['@type'] === 'IdentityAttribute') {
      return attribute.owner === tx.address
        ? success()
        : failure(
            ConsumptionErrorCodes.invalidRequestItem,
            'the IdentityAttribute must be owned by the recipient',
          );
    }
    if (attribute.owner !== tx.address && attribute.owner !== request.peer) {
      return failure(
        ConsumptionErrorCodes.invalidRequestItem,
        'the RelationshipAttribute must be owned by one of the two',
      );
    }
    if (await relationshipKeyTaken(tx, attribute, request.peer)) {
      return failure(
        ConsumptionErrorCodes.invalidRequestItem,
        `a RelationshipAttribute with the key ${attribute.key} exists already in this relationship`,
      );
    }
    return success();
  },

  async accept(tx, item, _params, request) {
    const attribute = item.attribute;
    const shared = { peer: request.peer, sourceReference: request.id };
    if (attribute['@type'] === 'IdentityAttribute') {
      const equal = await findEqualOwnIdentityAttribute(tx, attribute);
      if (equal !== undefined && (await isSharedWith(tx, equal.id, request.peer))) {
        return {
          '@type': 'AttributeAlreadySharedAcceptResponseItem',
          result: 'Accepted',
          attributeId: equal.id,
        };
      }
      const own = equal ?? (await createOwnIdentityAttribute(tx, { content: attribute }));
      await addForwardingDetails(tx, own, request.peer, request.id);
      return { '@type': 'CreateAttributeAcceptResponseItem', result: 'Accepted', attributeId: own.id };
    }
    const created =
      attribute.owner === tx.address
        ? await createOwnRelationshipAttribute(tx, { ...shared, content: attribute })
        : await createPeerRelationshipAttribute(tx, { ...shared, content: attribute, id: tx.newId('ATT') });
    return { '@type': 'CreateAttributeAcceptResponseItem', result: 'Accepted', attributeId: created.id };
  },

  async applyIncomingResponseItem(tx, responseItem, item, request) {
    if (responseItem['@type'] !== 'CreateAttributeAcceptResponseItem') return;
    await storePeerCopy(tx, { id: responseItem.attributeId, content: item.attribute, request });
  },
});
