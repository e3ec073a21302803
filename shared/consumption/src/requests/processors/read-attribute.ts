/**
 * ReadAttributeRequestItem: the sender asks for an attribute matching a query; the recipient answers with
 * an existing one (tags may be added) or a new one, the sender stores the peer's copy.
 */
import type { ReadAttributeRequestItem } from '@enmesh/content';
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

/** The ReadAttributeRequestItem processor. */
export const readAttributeProcessor = defineProcessor<ReadAttributeRequestItem>({
  acceptResponseTypes: [
    'ReadAttributeAcceptResponseItem',
    'AttributeSuccessionAcceptResponseItem',
    'AttributeAlreadySharedAcceptResponseItem',
  ],

  async canCreateOutgoing(tx, item, _request, peer) {
    const query = item.query;
    if (query['@type'] === 'RelationshipAttributeQuery' && query.owner === tx.address) {
      return failure(
        ConsumptionErrorCodes.invalidRequestItem,
        'the own RelationshipAttributes cannot be read from a peer',
      );
    }
    if (query['@type'] === 'ThirdPartyRelationshipAttributeQuery') {
      if (query.thirdParty.includes(tx.address) || (peer !== undefined && query.thirdParty.includes(peer))) {
        return failure(
          ConsumptionErrorCodes.invalidRequestItem,
          'a third party must be neither the sender nor the recipient',
        );
      }
    }
    return success();
  },

  async canAccept(tx, item, params, request) {
    if ('existingAttributeId' in params) {
      return checkExistingAnswer(tx, params.existingAttributeId, params.tags, item.query, request);
    }
    if ('newAttribute' in params) return checkNewAnswer(tx, params.newAttribute, item.query, request);
    return failure(
      ConsumptionErrorCodes.invalidAcceptParameters,
      'give an existingAttributeId or a newAttribute',
    );
  },

  async accept(tx, _item, params, request) {
    if ('existingAttributeId' in params) {
      return shareExisting(
        tx,
        params.existingAttributeId,
        params.tags,
        request,
        'ReadAttributeAcceptResponseItem',
      );
    }
    const content = (params as { newAttribute: Parameters<typeof shareNew>[1] }).newAttribute;
    return shareNew(tx, content, request, 'ReadAttributeAcceptResponseItem');
  },

  async canApplyIncomingResponseItem(_tx, responseItem, item, request) {
    return checkSharedAnswer(responseItem, item.query, request);
  },

  async applyIncomingResponseItem(tx, responseItem, _item, request) {
    await applySharedAnswer(tx, responseItem, request);
  },
});
