/**
 * TransferFileOwnershipRequestItem: the sender hands a file over; the recipient claims its ownership (with
 * the `claimFileOwnership` the context was given) and keeps an IdentityFileReference OwnIdentityAttribute,
 * which the sender receives as a PeerIdentityAttribute.
 */
import type { TransferFileOwnershipRequestItem } from '@enmesh/content';
import { createOwnIdentityAttribute } from '../../attributes/create-attributes.js';
import { addForwardingDetails } from '../../attributes/forwarding.js';
import { ConsumptionErrorCodes } from '../../errors.js';
import { failure, success } from '../../validation.js';
import { defineProcessor } from '../item-processor.js';
import { applySharedAnswer } from './attribute-sharing.js';

/** The TransferFileOwnershipRequestItem processor. */
export const transferFileOwnershipProcessor = defineProcessor<TransferFileOwnershipRequestItem>({
  acceptResponseTypes: ['TransferFileOwnershipAcceptResponseItem'],

  async canAccept(_tx, item) {
    return item.fileReference.length >= 30 && item.fileReference.length <= 150
      ? success()
      : failure(
          ConsumptionErrorCodes.invalidRequestItem,
          'the file reference cannot be kept as an attribute',
        );
  },

  async accept(tx, item, _params, request) {
    await tx.context.claimFileOwnership?.(item.fileReference, item.ownershipToken);
    const attribute = await createOwnIdentityAttribute(tx, {
      content: {
        '@type': 'IdentityAttribute',
        owner: tx.address,
        value: { '@type': 'IdentityFileReference', value: item.fileReference },
      },
    });
    await addForwardingDetails(tx, attribute, request.peer, request.id);
    return {
      '@type': 'TransferFileOwnershipAcceptResponseItem',
      result: 'Accepted',
      attributeId: attribute.id,
      attribute: attribute.content,
    };
  },

  async canApplyIncomingResponseItem(_tx, responseItem, item, request) {
    if (responseItem['@type'] !== 'TransferFileOwnershipAcceptResponseItem') return success();
    const value = responseItem.attribute.value;
    if (responseItem.attribute.owner !== request.peer || value['@type'] !== 'IdentityFileReference') {
      return failure(
        ConsumptionErrorCodes.invalidResponseItem,
        'the answer must be the peer’s IdentityFileReference',
      );
    }
    return value.value === item.fileReference
      ? success()
      : failure(ConsumptionErrorCodes.invalidResponseItem, 'the answer names another file');
  },

  async applyIncomingResponseItem(tx, responseItem, _item, request) {
    await applySharedAnswer(tx, responseItem, request);
  },
});
