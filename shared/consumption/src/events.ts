/**
 * The events the consumption controllers emit, with the Enmeshed names, so that the runtime can forward
 * them unchanged (`{namespace, eventTargetAddress, data}`).
 */
import type { AttributeForwardingDetails, LocalAttribute } from './attributes/local-attribute.js';
import type { LocalNotification } from './notifications/local-notification.js';
import type { LocalRequest, LocalRequestStatus } from './requests/local-request.js';

/** The event names. */
export const ConsumptionEventNames = {
  attributeCreated: 'consumption.attributeCreated',
  attributeDeleted: 'consumption.attributeDeleted',
  attributeSucceeded: 'consumption.attributeSucceeded',
  attributeWasViewedAtChanged: 'consumption.attributeWasViewedAtChanged',
  attributeForwardingDetailsChanged: 'consumption.attributeForwardingDetailsChanged',
  ownAttributeDeletedByOwner: 'consumption.ownAttributeDeletedByOwner',
  peerRelationshipAttributeDeletedByPeer: 'consumption.peerRelationshipAttributeDeletedByPeer',
  forwardedAttributeDeletedByPeer: 'consumption.forwardedAttributeDeletedByPeer',
  incomingRequestReceived: 'consumption.incomingRequestReceived',
  incomingRequestStatusChanged: 'consumption.incomingRequestStatusChanged',
  outgoingRequestCreated: 'consumption.outgoingRequestCreated',
  outgoingRequestStatusChanged: 'consumption.outgoingRequestStatusChanged',
  outgoingRequestCreatedAndCompleted: 'consumption.outgoingRequestCreatedAndCompleted',
  outgoingRequestFromRelationshipCreationCreatedAndCompleted:
    'consumption.outgoingRequestFromRelationshipCreationCreatedAndCompleted',
  shareCredentialOfferRequestItemProcessedByRecipient:
    'consumption.shareCredentialOfferRequestItemProcessedByRecipient',
  notificationReceived: 'consumption.notificationReceived',
  notificationProcessed: 'consumption.notificationProcessed',
} as const;

/** A request's status change. */
export interface RequestStatusChange {
  request: LocalRequest;
  oldStatus: LocalRequestStatus;
  newStatus: LocalRequestStatus;
}

/** The data each event carries. */
export interface ConsumptionEventData {
  'consumption.attributeCreated': LocalAttribute;
  'consumption.attributeDeleted': LocalAttribute;
  'consumption.attributeSucceeded': { predecessor: LocalAttribute; successor: LocalAttribute };
  'consumption.attributeWasViewedAtChanged': LocalAttribute;
  'consumption.attributeForwardingDetailsChanged': AttributeForwardingDetails;
  'consumption.ownAttributeDeletedByOwner': LocalAttribute;
  'consumption.peerRelationshipAttributeDeletedByPeer': LocalAttribute;
  'consumption.forwardedAttributeDeletedByPeer': LocalAttribute;
  'consumption.incomingRequestReceived': { request: LocalRequest };
  'consumption.incomingRequestStatusChanged': RequestStatusChange;
  'consumption.outgoingRequestCreated': LocalRequest;
  'consumption.outgoingRequestStatusChanged': RequestStatusChange;
  'consumption.outgoingRequestCreatedAndCompleted': LocalRequest;
  'consumption.outgoingRequestFromRelationshipCreationCreatedAndCompleted': LocalRequest;
  'consumption.shareCredentialOfferRequestItemProcessedByRecipient': {
    credentialOfferUrl: string;
    accepted: boolean;
    requestId: string;
    peer: string;
  };
  'consumption.notificationReceived': LocalNotification;
  'consumption.notificationProcessed': LocalNotification;
}

/** An event name. */
export type ConsumptionEventName = keyof ConsumptionEventData;

/** An event: its name, the identity it concerns and its data. */
export type ConsumptionEvent = {
  [N in ConsumptionEventName]: { namespace: N; eventTargetAddress: string; data: ConsumptionEventData[N] };
}[ConsumptionEventName];

/** Receives the events of a committed change, in the order they happened. */
export type EventSink = (event: ConsumptionEvent) => void;
