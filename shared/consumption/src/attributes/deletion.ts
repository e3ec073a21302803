/**
 * Deleting attributes (with their predecessors, switching the default when the default goes) and the
 * deletion infos each side keeps about the other side's copy.
 */
import type { Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes } from '../errors.js';
import {
  findAttribute,
  findAttributes,
  getAttribute,
  removeAttribute,
  removeForwardingsWithPeer,
  saveAttribute,
} from './attribute-store.js';
import { predecessorsOf } from './forwarding.js';
import {
  type AttributeDeletionInfo,
  type AttributeForwardingDetails,
  type EmittedAttributeDeletionStatus,
  isReceived,
  type LocalAttribute,
  type OwnIdentityAttribute,
  type ReceivedAttributeDeletionStatus,
} from './local-attribute.js';

/**
 * Makes the latest non-succeeded OwnIdentityAttribute of a value type its default, when it has none.
 * Returns the new default, if one was chosen.
 */
async function ensureDefault(tx: Tx, valueType: string): Promise<OwnIdentityAttribute | undefined> {
  if (tx.context.setDefaultOwnIdentityAttributes === false) return undefined;
  const candidates = (await findAttributes(tx, {
    type: 'OwnIdentityAttribute',
    valueType,
    onlyLatestVersions: true,
  })) as OwnIdentityAttribute[];
  if (candidates.length === 0 || candidates.some((c) => c.isDefault === true)) return undefined;
  const next = candidates[candidates.length - 1]!;
  next.isDefault = true;
  await saveAttribute(tx, next);
  return next;
}

/**
 * Deletes an attribute and all its predecessors, with their forwarding details. When the default
 * OwnIdentityAttribute of a value type goes, the latest remaining one of that type becomes the default.
 * Returns the deleted attributes, the given one first.
 * @throws {ConsumptionError} `recordNotFound`
 */
export async function deleteAttributeWithPredecessors(tx: Tx, id: string): Promise<LocalAttribute[]> {
  const attribute = await getAttribute(tx, id);
  const deleted = [attribute, ...(await predecessorsOf(tx, attribute))];
  if (attribute.succeededBy !== undefined) {
    const successor = await getAttribute(tx, attribute.succeededBy);
    delete successor.succeeds;
    await saveAttribute(tx, successor);
  }
  for (const version of deleted) {
    await removeAttribute(tx, version.id);
    tx.emit('consumption.attributeDeleted', version);
  }
  if (deleted.some((version) => version['@type'] === 'OwnIdentityAttribute' && version.isDefault === true)) {
    await ensureDefault(tx, attribute.content.value['@type']);
  }
  return deleted;
}

/** What cleaning up after a relationship removed: the deleted attributes and the removed sharings. */
export interface EndedRelationshipCleanup {
  deletedAttributes: LocalAttribute[];
  removedForwardings: AttributeForwardingDetails[];
}

/**
 * Cleans up the attributes of a relationship with `peer` that ended for this identity (rejected, revoked
 * or decomposed), as Enmeshed does: every attribute with that peer goes (the peer's identity and
 * relationship attributes received over it, the own relationship attributes of the relationship and the
 * third-party relationship attributes the peer forwarded), with all their versions and forwarding
 * details, each announced as `consumption.attributeDeleted`; and every forwarding detail naming the peer
 * is removed, announced as `consumption.attributeForwardingDetailsChanged`. The own identity attributes
 * stay.
 */
export async function deleteAttributesOfEndedRelationship(
  tx: Tx,
  peer: string,
): Promise<EndedRelationshipCleanup> {
  const doomed = await findAttributes(tx, {
    type: [
      'OwnRelationshipAttribute',
      'PeerIdentityAttribute',
      'PeerRelationshipAttribute',
      'ThirdPartyRelationshipAttribute',
    ],
    peer,
  });
  const ids = new Set(doomed.map((attribute) => attribute.id));
  // A version chain stays within one peer; should a neighbour of another peer remain, unlink it.
  for (const attribute of doomed) {
    for (const [neighbourId, link] of [
      [attribute.succeededBy, 'succeeds'],
      [attribute.succeeds, 'succeededBy'],
    ] as const) {
      if (neighbourId === undefined || ids.has(neighbourId)) continue;
      const neighbour = await findAttribute(tx, neighbourId);
      if (neighbour === undefined) continue;
      delete neighbour[link];
      await saveAttribute(tx, neighbour);
    }
  }
  for (const attribute of doomed) {
    await removeAttribute(tx, attribute.id);
    tx.emit('consumption.attributeDeleted', attribute);
  }
  const removedForwardings = await removeForwardingsWithPeer(tx, peer);
  for (const details of removedForwardings) {
    tx.emit('consumption.attributeForwardingDetailsChanged', details);
  }
  return { deletedAttributes: doomed, removedForwardings };
}

/**
 * Makes an OwnIdentityAttribute the default of its value type (and the previous default no longer).
 * @throws {ConsumptionError} `recordNotFound`; `wrongAttributeType`; `isNotDefaultCandidate` when it was
 *   succeeded
 */
export async function changeDefaultOwnIdentityAttribute(tx: Tx, id: string): Promise<OwnIdentityAttribute> {
  const attribute = await getAttribute(tx, id, ['OwnIdentityAttribute']);
  if (attribute.succeededBy !== undefined) {
    throw new ConsumptionError(
      ConsumptionErrorCodes.isNotDefaultCandidate,
      `attribute ${id} was succeeded; only a latest version can be the default`,
    );
  }
  const previous = (await findAttributes(tx, {
    type: 'OwnIdentityAttribute',
    valueType: attribute.content.value['@type'],
    isDefault: true,
  })) as OwnIdentityAttribute[];
  for (const old of previous) {
    if (old.id === id) continue;
    delete old.isDefault;
    await saveAttribute(tx, old);
  }
  attribute.isDefault = true;
  await saveAttribute(tx, attribute);
  return attribute;
}

/**
 * Sets the deletion info of a received copy (and its predecessors from the same peer).
 * @throws {ConsumptionError} `wrongAttributeType` unless the attribute was received from a peer
 */
export async function setReceivedDeletionInfo(
  tx: Tx,
  attribute: LocalAttribute,
  deletionInfo: AttributeDeletionInfo<ReceivedAttributeDeletionStatus>,
): Promise<LocalAttribute[]> {
  if (!isReceived(attribute)) {
    throw new ConsumptionError(
      ConsumptionErrorCodes.wrongAttributeType,
      `a ${attribute['@type']} has no received deletion info`,
    );
  }
  const changed: LocalAttribute[] = [];
  for (const version of [attribute, ...(await predecessorsOf(tx, attribute))]) {
    if (!isReceived(version) || version.peer !== attribute.peer) continue;
    if (version.deletionInfo?.deletionStatus === 'DeletedByEmitter') continue;
    version.deletionInfo = { ...deletionInfo };
    await saveAttribute(tx, version);
    changed.push(version);
  }
  return changed;
}

/**
 * Sets the deletion info an OwnRelationshipAttribute keeps about the peer's copy (and its predecessors').
 * @throws {ConsumptionError} `wrongAttributeType` unless it is an OwnRelationshipAttribute
 */
export async function setOwnRelationshipDeletionInfo(
  tx: Tx,
  attribute: LocalAttribute,
  deletionInfo: AttributeDeletionInfo<EmittedAttributeDeletionStatus>,
): Promise<LocalAttribute[]> {
  if (attribute['@type'] !== 'OwnRelationshipAttribute') {
    throw new ConsumptionError(
      ConsumptionErrorCodes.wrongAttributeType,
      `a ${attribute['@type']} has no deletion info about a peer's copy`,
    );
  }
  const changed: LocalAttribute[] = [];
  for (const version of [attribute, ...(await predecessorsOf(tx, attribute))]) {
    if (version['@type'] !== 'OwnRelationshipAttribute') continue;
    if (version.deletionInfo?.deletionStatus === 'DeletedByRecipient') continue;
    version.deletionInfo = { ...deletionInfo };
    await saveAttribute(tx, version);
    changed.push(version);
  }
  return changed;
}
