/**
 * What the attribute use cases read: the attributes an own or peer listing shows, the versions of an
 * attribute shared with a peer, and forwarding details in the Connector's shape.
 */
import {
  type AttributeForwardingDetails,
  type Consumption,
  findAttributes,
  findForwardings,
  getAttribute,
  isLiveSharing,
  type LocalAttribute,
  runInTransaction,
  successorsOf,
  versionsOf,
} from '@enmesh/consumption';

/** One sharing of an attribute with a peer, as the Connector serves it. */
export interface AttributeForwardingDetailsDTO {
  readonly peer: string;
  readonly sourceReference: string;
  readonly sharedAt: string;
  readonly deletionInfo?: { readonly deletionStatus: string; readonly deletionDate: string };
}

/** Forwarding details without the local ids. */
export function forwardingDto(details: AttributeForwardingDetails): AttributeForwardingDetailsDTO {
  return {
    peer: details.peer,
    sourceReference: details.sourceReference,
    sharedAt: details.sharedAt,
    ...(details.deletionInfo ? { deletionInfo: { ...details.deletionInfo } } : {}),
  };
}

/** Tells whether a RelationshipAttribute is marked technical. */
export function isTechnical(attribute: LocalAttribute): boolean {
  return attribute.content['@type'] === 'RelationshipAttribute' && attribute.content.isTechnical === true;
}

/** Of the attributes, those none of whose successors is among them (the newest of each chain). */
export async function newestOfChains(
  consumption: Consumption,
  attributes: readonly LocalAttribute[],
): Promise<LocalAttribute[]> {
  const ids = new Set(attributes.map((attribute) => attribute.id));
  return runInTransaction(consumption.context, async (tx) => {
    const newest: LocalAttribute[] = [];
    for (const attribute of attributes) {
      const successors = await successorsOf(tx, attribute);
      if (!successors.some((successor) => ids.has(successor.id))) newest.push(attribute);
    }
    return newest;
  });
}

/**
 * The own attributes shared with `peer`: own identity attributes forwarded to it (the sharing still
 * standing), and own relationship attributes of the relationship with it or forwarded to it.
 */
export function ownAttributesSharedWith(consumption: Consumption, peer: string): Promise<LocalAttribute[]> {
  return runInTransaction(consumption.context, async (tx) => {
    const own = await findAttributes(tx, { type: ['OwnIdentityAttribute', 'OwnRelationshipAttribute'] });
    const shared: LocalAttribute[] = [];
    for (const attribute of own) {
      if (attribute['@type'] === 'OwnRelationshipAttribute' && attribute.peer === peer) {
        shared.push(attribute);
        continue;
      }
      const forwardings = await findForwardings(tx, attribute.id, peer);
      if (forwardings.some(isLiveSharing)) shared.push(attribute);
    }
    return shared;
  });
}

/** The versions of an attribute (newest first) that `peer` has: shared with it, or received from it. */
export function versionsSharedWith(
  consumption: Consumption,
  attributeId: string,
  peer: string,
): Promise<LocalAttribute[]> {
  return runInTransaction(consumption.context, async (tx) => {
    const attribute = await getAttribute(tx, attributeId);
    const shared: LocalAttribute[] = [];
    for (const version of await versionsOf(tx, attribute)) {
      const withPeer = 'peer' in version && version.peer === peer;
      if (withPeer || (await findForwardings(tx, version.id, peer)).some(isLiveSharing)) shared.push(version);
    }
    return shared;
  });
}

/** The forwarding details of an attribute, oldest first. */
export function forwardingsOf(consumption: Consumption, attributeId: string) {
  return runInTransaction(consumption.context, async (tx) => {
    await getAttribute(tx, attributeId);
    return (await findForwardings(tx, attributeId)).map(forwardingDto);
  });
}
