/**
 * DeleteAttributeRequestItem: the sender asks the peer to delete the copy of an attribute it received;
 * both sides keep the deletion info (DeletionRequestSent, ToBeDeletedByRecipient / ToBeDeleted,
 * DeletionRequestRejected).
 */
import type { DeleteAttributeRequestItem } from '@enmesh/content';
import { findAttribute, findForwardings } from '../../attributes/attribute-store.js';
import { setOwnRelationshipDeletionInfo, setReceivedDeletionInfo } from '../../attributes/deletion.js';
import { setForwardingDeletionInfo } from '../../attributes/forwarding.js';
import {
  type AttributeDeletionInfo,
  type EmittedAttributeDeletionStatus,
  isReceived,
} from '../../attributes/local-attribute.js';
import type { Tx } from '../../context.js';
import { ConsumptionErrorCodes } from '../../errors.js';
import { failure, success } from '../../validation.js';
import { defineProcessor } from '../item-processor.js';

async function setEmitted(
  tx: Tx,
  attributeId: string,
  peer: string,
  deletionInfo: AttributeDeletionInfo<EmittedAttributeDeletionStatus>,
): Promise<void> {
  const attribute = await findAttribute(tx, attributeId);
  if (attribute === undefined) return;
  if (attribute['@type'] === 'OwnRelationshipAttribute' && attribute.peer === peer) {
    await setOwnRelationshipDeletionInfo(tx, attribute, deletionInfo);
  } else if ((await findForwardings(tx, attributeId, peer)).length > 0) {
    await setForwardingDeletionInfo(tx, attributeId, peer, deletionInfo);
  }
}

/** The DeleteAttributeRequestItem processor. */
export const deleteAttributeProcessor = defineProcessor<DeleteAttributeRequestItem>({
  acceptResponseTypes: ['DeleteAttributeAcceptResponseItem'],

  async canCreateOutgoing(tx, item, _request, peer) {
    const attribute = await findAttribute(tx, item.attributeId);
    if (attribute === undefined || peer === undefined) {
      return failure(
        ConsumptionErrorCodes.invalidRequestItem,
        `the attribute ${item.attributeId} is not shared with the peer`,
      );
    }
    if (attribute['@type'] === 'OwnRelationshipAttribute' && attribute.peer === peer) return success();
    const forwardings = await findForwardings(tx, item.attributeId, peer);
    if (forwardings.some((f) => f.deletionInfo?.deletionStatus !== 'DeletedByRecipient')) return success();
    return failure(
      ConsumptionErrorCodes.invalidRequestItem,
      `the attribute ${item.attributeId} is not shared with the peer`,
    );
  },

  async onSent(tx, item, request) {
    await setEmitted(tx, item.attributeId, request.peer, {
      deletionStatus: 'DeletionRequestSent',
      deletionDate: tx.now(),
    });
  },

  async canAccept(tx, _item, params) {
    const deletionDate = (params as { deletionDate?: string }).deletionDate;
    if (deletionDate === undefined || Date.parse(deletionDate) <= tx.clock().getTime()) {
      return failure(ConsumptionErrorCodes.invalidAcceptParameters, 'the deletionDate must be in the future');
    }
    return success();
  },

  async accept(tx, item, params, request) {
    const deletionDate = (params as { deletionDate: string }).deletionDate;
    const attribute = await findAttribute(tx, item.attributeId);
    if (attribute !== undefined && isReceived(attribute) && attribute.peer === request.peer) {
      await setReceivedDeletionInfo(tx, attribute, { deletionStatus: 'ToBeDeleted', deletionDate });
    }
    return { '@type': 'DeleteAttributeAcceptResponseItem', result: 'Accepted', deletionDate };
  },

  async applyIncomingResponseItem(tx, responseItem, item, request) {
    if (responseItem['@type'] === 'DeleteAttributeAcceptResponseItem') {
      await setEmitted(tx, item.attributeId, request.peer, {
        deletionStatus: 'ToBeDeletedByRecipient',
        deletionDate: responseItem.deletionDate,
      });
    } else if (responseItem['@type'] === 'RejectResponseItem') {
      await setEmitted(tx, item.attributeId, request.peer, {
        deletionStatus: 'DeletionRequestRejected',
        deletionDate: tx.now(),
      });
    }
  },
});
