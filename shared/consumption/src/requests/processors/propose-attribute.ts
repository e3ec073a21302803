/**
 * ProposeAttributeRequestItem: the sender proposes an attribute for a query; the recipient takes it as is,
 * changes it, or answers with an existing one; the sender stores the peer's copy.
 */
import type { ProposeAttributeRequestItem } from '@enmesh/content';
import { ConsumptionErrorCodes } from '../../errors.js';
import { failure, success } from '../../validation.js';
import { defineProcessor } from '../item-processor.js';
import {
  applySharedAnswer,
  checkExistingAnswer,
  checkNewAnswer,
  checkSharedAnswer,
  shareExisting,
  shareNew,
} from './attribute-sharing.js';

/** The ProposeAttributeRequestItem processor. */
export const proposeAttributeProcessor = defineProcessor<ProposeAttributeRequestItem>({
  acceptResponseTypes: [
    'ProposeAttributeAcceptResponseItem',
    'AttributeSuccessionAcceptResponseItem',
    'AttributeAlreadySharedAcceptResponseItem',
  ],

  async canCreateOutgoing(tx, item, _request, peer) {
    if (item.attribute.owner === tx.address) {
      return failure(
        ConsumptionErrorCodes.invalidRequestItem,
        'the proposed attribute must be owned by the recipient',
      );
    }
    if (peer !== undefined && item.attribute.owner !== peer) {
      return failure(
        ConsumptionErrorCodes.invalidRequestItem,
        'the proposed attribute must be owned by the recipient',
      );
    }
    if (item.query['@type'] === 'RelationshipAttributeQuery' && item.query.owner === tx.address) {
      return failure(
        ConsumptionErrorCodes.invalidRequestItem,
        'the own RelationshipAttributes cannot be proposed to a peer',
      );
    }
    return success();
  },

  async canAccept(tx, item, params, request) {
    if ('attributeId' in params && params.attributeId !== undefined) {
      return checkExistingAnswer(
        tx,
        params.attributeId,
        'tags' in params ? params.tags : undefined,
        item.query,
        request,
      );
    }
    if ('attribute' in params) return checkNewAnswer(tx, params.attribute, item.query, request);
    return failure(ConsumptionErrorCodes.invalidAcceptParameters, 'give an attributeId or an attribute');
  },

  async accept(tx, _item, params, request) {
    if ('attributeId' in params && params.attributeId !== undefined) {
      const tags = 'tags' in params ? params.tags : undefined;
      return shareExisting(tx, params.attributeId, tags, request, 'ProposeAttributeAcceptResponseItem');
    }
    const content = (params as { attribute: Parameters<typeof shareNew>[1] }).attribute;
    return shareNew(tx, content, request, 'ProposeAttributeAcceptResponseItem');
  },

  async canApplyIncomingResponseItem(_tx, responseItem, item, request) {
    return checkSharedAnswer(responseItem, item.query, request);
  },

  async applyIncomingResponseItem(tx, responseItem, _item, request) {
    await applySharedAnswer(tx, responseItem, request);
  },
});
