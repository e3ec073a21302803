/**
 * The names of the events the runtime emits, as Enmeshed names them (`transport.messageReceived`, …), and
 * the few the runtime adds for what the Enmeshed transport has no event for.
 */
export const TransportEventNames = {
  messageSent: 'transport.messageSent',
  messageReceived: 'transport.messageReceived',
  messageWasReadAtChanged: 'transport.messageWasReadAtChanged',
  /** A received message did not open or verify (forged, replayed, foreign); runtime addition. */
  messageRejected: 'transport.messageRejected',
  /** A sent message did not reach one recipient (its mailbox was full or refused it); runtime addition. */
  messageNotDelivered: 'transport.messageNotDelivered',
  relationshipChanged: 'transport.relationshipChanged',
  relationshipDecomposedBySelf: 'transport.relationshipDecomposedBySelf',
  relationshipReactivationRequested: 'transport.relationshipReactivationRequested',
  relationshipReactivationCompleted: 'transport.relationshipReactivationCompleted',
  relationshipTemplateAllocationsExhausted: 'transport.relationshipTemplateAllocationsExhausted',
  peerRelationshipTemplateLoaded: 'transport.peerRelationshipTemplateLoaded',
  peerToBeDeleted: 'transport.peerToBeDeleted',
  peerDeletionCancelled: 'transport.peerDeletionCancelled',
  peerDeleted: 'transport.peerDeleted',
  identityDeletionProcessStatusChanged: 'transport.identityDeletionProcessStatusChanged',
  datawalletSynchronized: 'transport.datawalletSynchronized',
} as const;

/** One of the transport event names. */
export type TransportEventName = (typeof TransportEventNames)[keyof typeof TransportEventNames];

/**
 * One event of an identity: a unique `id` (for deduplication), a gap-free `sequence` per identity (stored
 * with the state change that caused it, so a consumer resumes after the last one it handled), the event
 * name as `namespace`, the identity it concerns, its DTO as `data`, and the ISO `time`.
 */
export interface RuntimeEvent<T = unknown> {
  readonly id: string;
  readonly sequence: number;
  readonly namespace: string;
  readonly eventTargetAddress: string;
  readonly data: T;
  readonly time: string;
}
