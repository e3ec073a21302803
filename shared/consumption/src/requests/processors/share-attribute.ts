/**
 * ShareAttributeRequestItem: the sender shares one of its attributes (an own IdentityAttribute, or a
 * RelationshipAttribute of another relationship, naming that relationship's peer); the recipient stores a
 * copy under the same id, the sender records the forwarding.
 */
import type { ShareAttributeRequestItem } from '@enmesh/content';
import { findAttribute } from '../../attributes/attribute-store.js';
import {
  createPeerIdentityAttribute,
  createThirdPartyRelationshipAttribute,
} from '../../attributes/create-attributes.js';
import { addForwardingDetails, isSharedWith } from '../../attributes/forwarding.js';
import { ConsumptionErrorCodes } from '../../errors.js';
import { failure, sameJson, success } from '../../validation.js';
import { defineProcessor } from '../item-processor.js';

const invalid = (message: string) => failure(ConsumptionErrorCodes.invalidRequestItem, message);

/** The ShareAttributeRequestItem processor. */
export const shareAttributeProcessor = defineProcessor<ShareAttributeRequestItem>({
  acceptResponseTypes: [
    'AcceptResponseItem',
    'ShareAttributeAcceptResponseItem',
    'AttributeAlreadySharedAcceptResponseItem',
  ],

  async canCreateOutgoing(tx, item, _request, peer) {
    const attribute = await findAttribute(tx, item.attributeId);
    if (attribute === undefined) return invalid(`the attribute ${item.attributeId} does not exist`);
    if (!sameJson(attribute.content, item.attribute))
      return invalid('the attribute differs from the stored one');
    if (attribute.succeededBy !== undefined) return invalid('an outdated version cannot be shared');
    switch (attribute['@type']) {
      case 'OwnIdentityAttribute':
        if (item.initialAttributePeer !== undefined)
          return invalid('an own IdentityAttribute has no initial peer');
        break;
      case 'OwnRelationshipAttribute':
      case 'PeerRelationshipAttribute':
        if (attribute.content.confidentiality === 'private')
          return invalid('a private attribute cannot be shared');
        if (attribute.peer === peer) return invalid('the peer has this attribute already');
        if (item.initialAttributePeer !== attribute.peer) {
          return invalid(
            'initialAttributePeer must be the peer of the relationship the attribute belongs to',
          );
        }
        break;
      default:
        return invalid(`a ${attribute['@type']} cannot be shared`);
    }
    if (peer !== undefined && (await isSharedWith(tx, attribute.id, peer))) {
      return invalid('the attribute is shared with the peer already');
    }
    return success();
  },

  async canAccept(_tx, item, _params, request) {
    if (item.attribute['@type'] === 'IdentityAttribute') {
      return item.attribute.owner === request.peer
        ? success()
        : invalid('only the owner can share an IdentityAttribute');
    }
    return item.initialAttributePeer === undefined
      ? invalid('a shared RelationshipAttribute names the peer of its relationship')
      : success();
  },

  async accept(tx, item, _params, request) {
    if ((await findAttribute(tx, item.attributeId)) !== undefined) {
      return {
        '@type': 'AttributeAlreadySharedAcceptResponseItem',
        result: 'Accepted',
        attributeId: item.attributeId,
      };
    }
    const common = { id: item.attributeId, peer: request.peer, sourceReference: request.id };
    if (item.attribute['@type'] === 'IdentityAttribute') {
      await createPeerIdentityAttribute(tx, { ...common, content: item.attribute });
    } else {
      await createThirdPartyRelationshipAttribute(tx, {
        ...common,
        content: item.attribute,
        initialAttributePeer: item.initialAttributePeer as string,
      });
    }
    return { '@type': 'AcceptResponseItem', result: 'Accepted' };
  },

  async applyIncomingResponseItem(tx, responseItem, item, request) {
    if (
      responseItem.result !== 'Accepted' ||
      responseItem['@type'] === 'AttributeAlreadySharedAcceptResponseItem'
    ) {
      return;
    }
    const attribute = await findAttribute(tx, item.attributeId);
    if (attribute !== undefined) await addForwardingDetails(tx, attribute, request.peer, request.id);
  },
});
