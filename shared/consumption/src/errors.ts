/**
 * The consumption package's one error type and its stable codes. A code never changes meaning once
 * released; clients branch on it, people read the message.
 */
export const ConsumptionErrorCodes = {
  invalidContent: 'error.consumption.invalidContent',
  recordNotFound: 'error.consumption.recordNotFound',
  recordAlreadyExists: 'error.consumption.recordAlreadyExists',

  wrongOwner: 'error.consumption.attributes.wrongOwner',
  wrongAttributeType: 'error.consumption.attributes.wrongAttributeType',
  predecessorDoesNotExist: 'error.consumption.attributes.predecessorDoesNotExist',
  successorMustNotYetExist: 'error.consumption.attributes.successorMustNotYetExist',
  cannotSucceedAttributesWithASuccessor: 'error.consumption.attributes.cannotSucceedAttributesWithASuccessor',
  cannotSucceedAttributesWithDeletionInfo:
    'error.consumption.attributes.cannotSucceedAttributesWithDeletionInfo',
  successionMustChangeContent: 'error.consumption.attributes.successionMustChangeContent',
  successionMustNotChangeOwner: 'error.consumption.attributes.successionMustNotChangeOwner',
  successionMustNotChangeValueType: 'error.consumption.attributes.successionMustNotChangeValueType',
  successionMustNotChangeContentType: 'error.consumption.attributes.successionMustNotChangeContentType',
  successionMustNotChangeKey: 'error.consumption.attributes.successionMustNotChangeKey',
  successionMustNotChangePeer: 'error.consumption.attributes.successionMustNotChangePeer',
  successionPeerIsNotOwner: 'error.consumption.attributes.successionPeerIsNotOwner',
  senderIsNotPeerOfSharedAttribute: 'error.consumption.attributes.senderIsNotPeerOfSharedAttribute',
  notForwardedToPeer: 'error.consumption.attributes.notForwardedToPeer',
  isNotDefaultCandidate: 'error.consumption.attributes.isNotDefaultCandidate',

  wrongStatus: 'error.consumption.requests.wrongStatus',
  expired: 'error.consumption.requests.expired',
  cannotShareRequestWithYourself: 'error.consumption.requests.cannotShareRequestWithYourself',
  invalidRequestItem: 'error.consumption.requests.invalidRequestItem',
  invalidAcceptParameters: 'error.consumption.requests.invalidAcceptParameters',
  attributeQueryMismatch: 'error.consumption.requests.attributeQueryMismatch',
  invalidResponseItem: 'error.consumption.requests.invalidResponseItem',
  responseDoesNotMatchRequest: 'error.consumption.requests.responseDoesNotMatchRequest',
  inheritedFromItem: 'error.consumption.requests.validation.inheritedFromItem',
  invalidNumberOfItems: 'error.consumption.requests.decide.validation.invalidNumberOfItems',
  itemAcceptedButRequestNotAccepted:
    'error.consumption.requests.decide.validation.itemAcceptedButRequestNotAccepted',
  mustBeAcceptedItemNotAccepted: 'error.consumption.requests.decide.validation.mustBeAcceptedItemNotAccepted',
  requestItemAnsweredAsRequestItemGroup:
    'error.consumption.requests.decide.validation.requestItemAnsweredAsRequestItemGroup',
  requestItemGroupAnsweredAsRequestItem:
    'error.consumption.requests.decide.validation.requestItemGroupAnsweredAsRequestItem',

  invalidAutomationRule: 'error.consumption.decider.invalidAutomationRule',

  notificationWrongStatus: 'error.consumption.notifications.wrongStatus',
} as const;

/** One of the consumption package's stable error codes. */
export type ConsumptionErrorCode = (typeof ConsumptionErrorCodes)[keyof typeof ConsumptionErrorCodes];

/** Details that travel with an error: ids and statuses, never attribute values. */
export type ConsumptionErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

/**
 * The consumption package's one error type: a stable `code`, a `message` for people, optional `details`
 * (ids, statuses) and the `cause` it was raised from.
 */
export class ConsumptionError extends Error {
  readonly code: ConsumptionErrorCode;
  readonly details: ConsumptionErrorDetails | undefined;

  /** Creates an error with a stable code and a message. */
  constructor(
    code: ConsumptionErrorCode,
    message: string,
    options: { details?: ConsumptionErrorDetails; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConsumptionError';
    this.code = code;
    this.details = options.details;
  }

  /** Tells whether this error carries the given code. */
  is(code: ConsumptionErrorCode): boolean {
    return this.code === code;
  }

  /** Tells whether any value is a ConsumptionError, optionally with the given code. */
  static isConsumptionError(value: unknown, code?: ConsumptionErrorCode): value is ConsumptionError {
    return value instanceof ConsumptionError && (code === undefined || value.code === code);
  }
}

/** A `recordNotFound` error for a record kind (`LocalAttribute`, `LocalRequest`, …) and id. */
export function notFound(kind: string, id: string): ConsumptionError {
  return new ConsumptionError(ConsumptionErrorCodes.recordNotFound, `${kind} ${id} was not found`, {
    details: { kind, id },
  });
}
