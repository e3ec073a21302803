/**
 * ShareCredentialOfferRequestItem (OpenID4VCI) and ShareAuthorizationRequestRequestItem (OpenID4VP): the
 * consumption layer records the decision; fetching or presenting credentials is the runtime's job, which
 * the `shareCredentialOfferRequestItemProcessedByRecipient` event starts.
 */
import type { ShareAuthorizationRequestRequestItem, ShareCredentialOfferRequestItem } from '@enmesh/content';
import { findAttribute } from '../../attributes/attribute-store.js';
import { ConsumptionErrorCodes } from '../../errors.js';
import { failure, success } from '../../validation.js';
import { defineProcessor, rejectResponseItem } from '../item-processor.js';

/** The ShareCredentialOfferRequestItem processor. */
export const shareCredentialOfferProcessor = defineProcessor<ShareCredentialOfferRequestItem>({
  async accept(tx, item, _params, request) {
    tx.emit('consumption.shareCredentialOfferRequestItemProcessedByRecipient', {
      credentialOfferUrl: item.credentialOfferUrl,
      accepted: true,
      requestId: request.id,
      peer: request.peer,
    });
    return { '@type': 'AcceptResponseItem', result: 'Accepted' };
  },

  async reject(tx, item, params, request) {
    tx.emit('consumption.shareCredentialOfferRequestItemProcessedByRecipient', {
      credentialOfferUrl: item.credentialOfferUrl,
      accepted: false,
      requestId: request.id,
      peer: request.peer,
    });
    return rejectResponseItem(params);
  },
});

/** The ShareAuthorizationRequestRequestItem processor: the presented attribute must be a credential. */
export const shareAuthorizationRequestProcessor = defineProcessor<ShareAuthorizationRequestRequestItem>({
  async canAccept(tx, _item, params) {
    const attributeId = (params as { attributeId?: string }).attributeId;
    if (attributeId === undefined) return success();
    const attribute = await findAttribute(tx, attributeId);
    if (attribute === undefined || attribute['@type'] !== 'OwnIdentityAttribute') {
      return failure(
        ConsumptionErrorCodes.invalidAcceptParameters,
        `${attributeId} is not an own IdentityAttribute`,
      );
    }
    return attribute.content.value['@type'] === 'VerifiableCredential'
      ? success()
      : failure(ConsumptionErrorCodes.attributeQueryMismatch, 'only a VerifiableCredential can be presented');
  },
});
