/**
 * Forwarding details (each sharing of an attribute with a peer) and the version chains of attributes.
 */
import type { Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes } from '../errors.js';
import { findAttribute, findForwardings, insertForwarding, saveForwarding } from './attribute-store.js';
import {
  type AttributeDeletionInfo,
  type AttributeForwardingDetails,
  type EmittedAttributeDeletionStatus,
  isForwardable,
  isLiveSharing,
  type LocalAttribute,
} from './local-attribute.js';

/**
 * Records that an attribute was shared with `peer` by a request or notification (`sourceReference`).
 * @throws {ConsumptionError} `wrongAttributeType` for attributes that cannot be forwarded
 */
export async function addForwardingDetails(
  tx: Tx,
  attribute: LocalAttribute,
  peer: string,
  sourceReference: string,
): Promise<AttributeForwardingDetails> {
  if (!isForwardable(attribute)) {
    throw new ConsumptionError(
      ConsumptionErrorCodes.wrongAttributeType,
      `a ${attribute['@type']} cannot be forwarded`,
      { details: { id: attribute.id } },
    );
  }
  const details: AttributeForwardingDetails = {
    id: tx.newId('ATTFD'),
    attributeId: attribute.id,
    peer,
    sourceReference,
    sharedAt: tx.now(),
  };
  await insertForwarding(tx, details);
  tx.emit('consumption.attributeForwardingDetailsChanged', details);
  return details;
}

/** Tells whether an attribute is shared with `peer` and the peer has neither deleted nor agreed to delete it. */
export async function isSharedWith(tx: Tx, attributeId: string, peer: string): Promise<boolean> {
  return (await findForwardings(tx, attributeId, peer)).some(isLiveSharing);
}

/** The peers an attribute is forwarded to, once each; with deleted sharings only when asked. */
export async function forwardingPeers(
  tx: Tx,
  attributeId: string,
  includeDeleted = false,
): Promise<string[]> {
  const forwardings = await findForwardings(tx, attributeId);
  const peers = forwardings
    .filter((details) => includeDeleted || isLiveSharing(details))
    .map((details) => details.peer);
  return [...new Set(peers)];
}

/**
 * Sets (or clears) the deletion info of every sharing of an attribute with `peer`.
 * @throws {ConsumptionError} `notForwardedToPeer` when it was never shared with the peer
 */
export async function setForwardingDeletionInfo(
  tx: Tx,
  attributeId: string,
  peer: string,
  deletionInfo: AttributeDeletionInfo<EmittedAttributeDeletionStatus> | undefined,
): Promise<void> {
  const forwardings = await findForwardings(tx, attributeId, peer);
  if (forwardings.length === 0) {
    throw new ConsumptionError(
      ConsumptionErrorCodes.notForwardedToPeer,
      `attribute ${attributeId} was not shared with ${peer}`,
      { details: { id: attributeId, peer } },
    );
  }
  for (const details of forwardings) {
    if (deletionInfo === undefined) delete details.deletionInfo;
    else details.deletionInfo = deletionInfo;
    await saveForwarding(tx, details);
    tx.emit('consumption.attributeForwardingDetailsChanged', details);
  }
}

/** The predecessors of an attribute, nearest first. */
export async function predecessorsOf(tx: Tx, attribute: LocalAttribute): Promise<LocalAttribute[]> {
  const result: LocalAttribute[] = [];
  let id = attribute.succeeds;
  while (id !== undefined) {
    const predecessor = await findAttribute(tx, id);
    if (predecessor === undefined) break;
    result.push(predecessor);
    id = predecessor.succeeds;
  }
  return result;
}

/** The successors of an attribute, nearest first. */
export async function successorsOf(tx: Tx, attribute: LocalAttribute): Promise<LocalAttribute[]> {
  const result: LocalAttribute[] = [];
  let id = attribute.succeededBy;
  while (id !== undefined) {
    const successor = await findAttribute(tx, id);
    if (successor === undefined) break;
    result.push(successor);
    id = successor.succeededBy;
  }
  return result;
}

/** Every version of an attribute, newest first. */
export async function versionsOf(tx: Tx, attribute: LocalAttribute): Promise<LocalAttribute[]> {
  return [
    ...(await successorsOf(tx, attribute)).reverse(),
    attribute,
    ...(await predecessorsOf(tx, attribute)),
  ];
}

/**
 * The newest version of an attribute that is shared with `peer` (still live), if any, among the attribute
 * and its predecessors.
 */
export async function sharedVersionWith(
  tx: Tx,
  attribute: LocalAttribute,
  peer: string,
): Promise<LocalAttribute | undefined> {
  for (const version of [attribute, ...(await predecessorsOf(tx, attribute))]) {
    if (await isSharedWith(tx, version.id, peer)) return version;
  }
  return undefined;
}
