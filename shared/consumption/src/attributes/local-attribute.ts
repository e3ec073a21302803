/**
 * LocalAttributes of the Enmeshed v7 model, in the JSON shape the Connector serves: an own or a peer's
 * IdentityAttribute or RelationshipAttribute, or a RelationshipAttribute forwarded from a third
 * relationship; each sharing of an attribute is recorded as AttributeForwardingDetails.
 */
import type { IdentityAttribute, RelationshipAttribute } from '@enmesh/content';

/** Where a sharing or a copy stands in its deletion, seen by the side that shared (emitted) it. */
export const EmittedAttributeDeletionStatus = {
  DeletionRequestSent: 'DeletionRequestSent',
  DeletionRequestRejected: 'DeletionRequestRejected',
  ToBeDeletedByRecipient: 'ToBeDeletedByRecipient',
  DeletedByRecipient: 'DeletedByRecipient',
} as const;
/** One of the emitted deletion statuses. */
export type EmittedAttributeDeletionStatus =
  (typeof EmittedAttributeDeletionStatus)[keyof typeof EmittedAttributeDeletionStatus];

/** Where a received copy stands in its deletion, seen by the side that received it. */
export const ReceivedAttributeDeletionStatus = {
  ToBeDeleted: 'ToBeDeleted',
  DeletedByEmitter: 'DeletedByEmitter',
} as const;
/** One of the received deletion statuses. */
export type ReceivedAttributeDeletionStatus =
  (typeof ReceivedAttributeDeletionStatus)[keyof typeof ReceivedAttributeDeletionStatus];

/** Any deletion status. */
export type AttributeDeletionStatus = EmittedAttributeDeletionStatus | ReceivedAttributeDeletionStatus;

/** The deletion state of a sharing or a copy and when it was (or will be) deleted. */
export interface AttributeDeletionInfo<S extends AttributeDeletionStatus = AttributeDeletionStatus> {
  deletionStatus: S;
  deletionDate: string;
}

/** The kinds of LocalAttribute. */
export const LocalAttributeType = {
  OwnIdentityAttribute: 'OwnIdentityAttribute',
  OwnRelationshipAttribute: 'OwnRelationshipAttribute',
  PeerIdentityAttribute: 'PeerIdentityAttribute',
  PeerRelationshipAttribute: 'PeerRelationshipAttribute',
  ThirdPartyRelationshipAttribute: 'ThirdPartyRelationshipAttribute',
} as const;
/** One of the kinds of LocalAttribute. */
export type LocalAttributeType = (typeof LocalAttributeType)[keyof typeof LocalAttributeType];

interface LocalAttributeBase {
  id: string;
  createdAt: string;
  succeeds?: string;
  succeededBy?: string;
  wasViewedAt?: string;
}

/** Identity data of the own identity; one per value type is the default. */
export interface OwnIdentityAttribute extends LocalAttributeBase {
  '@type': 'OwnIdentityAttribute';
  content: IdentityAttribute;
  isDefault?: true;
  numberOfForwards: number;
}

/** A RelationshipAttribute the own identity owns in the relationship with `peer`. */
export interface OwnRelationshipAttribute extends LocalAttributeBase {
  '@type': 'OwnRelationshipAttribute';
  content: RelationshipAttribute;
  peer: string;
  sourceReference: string;
  deletionInfo?: AttributeDeletionInfo<EmittedAttributeDeletionStatus>;
  numberOfForwards: number;
}

/** Identity data `peer` shared with the own identity. */
export interface PeerIdentityAttribute extends LocalAttributeBase {
  '@type': 'PeerIdentityAttribute';
  content: IdentityAttribute;
  peer: string;
  sourceReference: string;
  deletionInfo?: AttributeDeletionInfo<ReceivedAttributeDeletionStatus>;
}

/** A RelationshipAttribute `peer` owns in its relationship with the own identity. */
export interface PeerRelationshipAttribute extends LocalAttributeBase {
  '@type': 'PeerRelationshipAttribute';
  content: RelationshipAttribute;
  peer: string;
  sourceReference: string;
  deletionInfo?: AttributeDeletionInfo<ReceivedAttributeDeletionStatus>;
  numberOfForwards: number;
}

/** A RelationshipAttribute of the relationship between `peer` and `initialAttributePeer`, forwarded by `peer`. */
export interface ThirdPartyRelationshipAttribute extends LocalAttributeBase {
  '@type': 'ThirdPartyRelationshipAttribute';
  content: RelationshipAttribute;
  peer: string;
  sourceReference: string;
  initialAttributePeer: string;
  deletionInfo?: AttributeDeletionInfo<ReceivedAttributeDeletionStatus>;
}

/** Any LocalAttribute. */
export type LocalAttribute =
  | OwnIdentityAttribute
  | OwnRelationshipAttribute
  | PeerIdentityAttribute
  | PeerRelationshipAttribute
  | ThirdPartyRelationshipAttribute;

/** The LocalAttributes that can be forwarded to further peers (and so have forwarding details). */
export type ForwardableAttribute =
  | OwnIdentityAttribute
  | OwnRelationshipAttribute
  | PeerRelationshipAttribute;

/** The LocalAttributes received from a peer. */
export type ReceivedAttribute =
  | PeerIdentityAttribute
  | PeerRelationshipAttribute
  | ThirdPartyRelationshipAttribute;

/** One sharing of an attribute with a peer: by which request or notification, when, and its deletion. */
export interface AttributeForwardingDetails {
  id: string;
  attributeId: string;
  peer: string;
  sourceReference: string;
  sharedAt: string;
  deletionInfo?: AttributeDeletionInfo<EmittedAttributeDeletionStatus>;
}

/** Tells whether an attribute can be forwarded (has forwarding details). */
export function isForwardable(attribute: LocalAttribute): attribute is ForwardableAttribute {
  return (
    attribute['@type'] === 'OwnIdentityAttribute' ||
    attribute['@type'] === 'OwnRelationshipAttribute' ||
    attribute['@type'] === 'PeerRelationshipAttribute'
  );
}

/** Tells whether an attribute is a copy received from a peer. */
export function isReceived(attribute: LocalAttribute): attribute is ReceivedAttribute {
  return (
    attribute['@type'] === 'PeerIdentityAttribute' ||
    attribute['@type'] === 'PeerRelationshipAttribute' ||
    attribute['@type'] === 'ThirdPartyRelationshipAttribute'
  );
}

/** Tells whether a sharing still stands: never deleted by, nor to be deleted by, the recipient. */
export function isLiveSharing(details: { deletionInfo?: AttributeDeletionInfo | undefined }): boolean {
  const status = details.deletionInfo?.deletionStatus;
  return (
    status !== EmittedAttributeDeletionStatus.DeletedByRecipient &&
    status !== EmittedAttributeDeletionStatus.ToBeDeletedByRecipient
  );
}
