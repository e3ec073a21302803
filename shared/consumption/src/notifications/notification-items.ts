/**
 * Applying received notification items to the local copies (a successor from the owner, a deletion by
 * the owner or by the peer), and building the items an owner or a peer sends when it succeeds or deletes
 * a shared attribute. The v6 item names are applied like their v7 counterparts.
 */
import type { Attribute, NotificationItem } from '@enmesh/content';
import { findAttribute, findForwardings } from '../attributes/attribute-store.js';
import { setOwnRelationshipDeletionInfo, setReceivedDeletionInfo } from '../attributes/deletion.js';
import { setForwardingDeletionInfo } from '../attributes/forwarding.js';
import { isLiveSharing, isReceived, type LocalAttribute } from '../attributes/local-attribute.js';
import { succeedAttribute } from '../attributes/succession.js';
import type { Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes } from '../errors.js';

function senderIsNotPeer(sender: string, attributeId: string): ConsumptionError {
  return new ConsumptionError(
    ConsumptionErrorCodes.senderIsNotPeerOfSharedAttribute,
    `the sender is not the peer the attribute ${attributeId} is shared with`,
    { details: { id: attributeId, sender } },
  );
}

async function receivedFrom(
  tx: Tx,
  attributeId: string,
  sender: string,
): Promise<LocalAttribute | undefined> {
  const attribute = await findAttribute(tx, attributeId);
  if (attribute === undefined) return undefined;
  if (!isReceived(attribute) || attribute.peer !== sender) throw senderIsNotPeer(sender, attributeId);
  return attribute;
}

async function applySuccession(
  tx: Tx,
  item: { predecessorId: string; successorId: string; successorContent: Attribute },
  sender: string,
  notificationId: string,
): Promise<void> {
  const predecessor = await receivedFrom(tx, item.predecessorId, sender);
  if (predecessor === undefined || (await findAttribute(tx, item.successorId)) !== undefined) return;
  await succeedAttribute(tx, predecessor.id, {
    content: item.successorContent,
    id: item.successorId,
    peer: sender,
    sourceReference: notificationId,
  });
}

async function applyDeletedByOwner(tx: Tx, attributeId: string, sender: string): Promise<void> {
  const attribute = await receivedFrom(tx, attributeId, sender);
  if (attribute === undefined) return;
  await setReceivedDeletionInfo(tx, attribute, {
    deletionStatus: 'DeletedByEmitter',
    deletionDate: tx.now(),
  });
  tx.emit('consumption.ownAttributeDeletedByOwner', (await findAttribute(tx, attributeId)) ?? attribute);
}

async function applyForwardedDeleted(tx: Tx, attributeId: string, sender: string): Promise<void> {
  const attribute = await findAttribute(tx, attributeId);
  if (attribute === undefined) return;
  const forwardings = await findForwardings(tx, attributeId, sender);
  if (forwardings.length === 0) throw senderIsNotPeer(sender, attributeId);
  await setForwardingDeletionInfo(tx, attributeId, sender, {
    deletionStatus: 'DeletedByRecipient',
    deletionDate: tx.now(),
  });
  tx.emit('consumption.forwardedAttributeDeletedByPeer', attribute);
}

async function applyRelationshipDeletedByPeer(tx: Tx, attributeId: string, sender: string): Promise<void> {
  const attribute = await findAttribute(tx, attributeId);
  if (attribute === undefined) return;
  const deletionDate = tx.now();
  if (attribute['@type'] === 'OwnRelationshipAttribute' && attribute.peer === sender) {
    await setOwnRelationshipDeletionInfo(tx, attribute, {
      deletionStatus: 'DeletedByRecipient',
      deletionDate,
    });
  } else if (isReceived(attribute) && attribute.peer === sender) {
    await setReceivedDeletionInfo(tx, attribute, { deletionStatus: 'DeletedByEmitter', deletionDate });
  } else if ((await findForwardings(tx, attributeId, sender)).length > 0) {
    await setForwardingDeletionInfo(tx, attributeId, sender, {
      deletionStatus: 'DeletedByRecipient',
      deletionDate,
    });
  } else {
    throw senderIsNotPeer(sender, attributeId);
  }
  tx.emit(
    'consumption.peerRelationshipAttributeDeletedByPeer',
    (await findAttribute(tx, attributeId)) ?? attribute,
  );
}

/**
 * Applies one notification item received from `sender`.
 * @throws {ConsumptionError} `senderIsNotPeerOfSharedAttribute` when the sender has no say over the
 *   attribute; the succession errors for a successor that breaks the rules
 */
export async function applyNotificationItem(
  tx: Tx,
  item: NotificationItem,
  sender: string,
  notificationId: string,
): Promise<void> {
  switch (item['@type']) {
    case 'PeerAttributeSucceededNotificationItem':
    case 'PeerSharedAttributeSucceededNotificationItem':
      return applySuccession(tx, item, sender, notificationId);
    case 'OwnAttributeDeletedByOwnerNotificationItem':
    case 'OwnSharedAttributeDeletedByOwnerNotificationItem':
      return applyDeletedByOwner(tx, item.attributeId, sender);
    case 'PeerRelationshipAttributeDeletedByPeerNotificationItem':
    case 'PeerSharedAttributeDeletedByPeerNotificationItem':
      return applyRelationshipDeletedByPeer(tx, item.attributeId, sender);
    case 'ForwardedAttributeDeletedByPeerNotificationItem':
    case 'ThirdPartyRelationshipAttributeDeletedByPeerNotificationItem':
      return applyForwardedDeleted(tx, item.attributeId, sender);
  }
}

/** The peers to tell, and the item to tell them, when an attribute version is deleted. */
export async function deletionNoticesFor(
  tx: Tx,
  attribute: LocalAttribute,
): Promise<{ peer: string; item: NotificationItem }[]> {
  const notices: { peer: string; item: NotificationItem }[] = [];
  const forwardedTo = (await findForwardings(tx, attribute.id))
    .filter((details) => details.deletionInfo?.deletionStatus !== 'DeletedByRecipient')
    .map((details) => details.peer);
  const status = 'deletionInfo' in attribute ? attribute.deletionInfo?.deletionStatus : undefined;
  const gone = status === 'DeletedByRecipient' || status === 'DeletedByEmitter';
  const id = attribute.id;
  switch (attribute['@type']) {
    case 'OwnIdentityAttribute':
      for (const peer of forwardedTo) {
        notices.push({
          peer,
          item: { '@type': 'OwnAttributeDeletedByOwnerNotificationItem', attributeId: id },
        });
      }
      break;
    case 'OwnRelationshipAttribute':
      for (const peer of gone ? forwardedTo : [attribute.peer, ...forwardedTo]) {
        notices.push({
          peer,
          item: { '@type': 'OwnAttributeDeletedByOwnerNotificationItem', attributeId: id },
        });
      }
      break;
    case 'PeerRelationshipAttribute':
      for (const peer of gone ? forwardedTo : [attribute.peer, ...forwardedTo]) {
        notices.push({
          peer,
          item: { '@type': 'PeerRelationshipAttributeDeletedByPeerNotificationItem', attributeId: id },
        });
      }
      break;
    case 'PeerIdentityAttribute':
    case 'ThirdPartyRelationshipAttribute':
      if (!gone) {
        notices.push({
          peer: attribute.peer,
          item: { '@type': 'ForwardedAttributeDeletedByPeerNotificationItem', attributeId: id },
        });
      }
      break;
  }
  return notices;
}

/** The peers a new version of an own attribute is to be announced to. */
export async function successionPeersOf(tx: Tx, attribute: LocalAttribute): Promise<string[]> {
  if (attribute['@type'] === 'OwnIdentityAttribute') {
    const forwardings = (await findForwardings(tx, attribute.id)).filter(isLiveSharing);
    return [...new Set(forwardings.map((details) => details.peer))];
  }
  if (attribute['@type'] === 'OwnRelationshipAttribute') {
    return attribute.deletionInfo === undefined ? [attribute.peer] : [];
  }
  return [];
}
