/**
 * The stable error codes of the backbone protocol. A code never changes meaning once released; clients
 * branch on it, humans read the message. Codes are dotted: `error.<area>.<reason>`.
 */
export const ErrorCodes = {
  malformedRequest: 'error.protocol.malformedRequest',
  payloadTooLarge: 'error.protocol.payloadTooLarge',
  unknownOperation: 'error.protocol.unknownOperation',
  unauthorized: 'error.protocol.unauthorized',
  rateLimited: 'error.protocol.rateLimited',
  unavailable: 'error.protocol.unavailable',
  timeout: 'error.protocol.timeout',
  internal: 'error.protocol.internal',
  challengeNotFound: 'error.challenges.notFound',
  challengeExpired: 'error.challenges.expired',
  challengeAlreadyUsed: 'error.challenges.alreadyUsed',
  challengeWrongType: 'error.challenges.wrongType',
  invalidSignature: 'error.challenges.invalidSignature',
  identityAlreadyExists: 'error.identities.alreadyExists',
  identityNotFound: 'error.identities.notFound',
  invalidPublicKey: 'error.identities.invalidPublicKey',
  identityInDeletion: 'error.identities.inDeletion',
  identityDeletionNotStarted: 'error.identities.deletionNotStarted',
  identityDeletionAlreadyStarted: 'error.identities.deletionAlreadyStarted',
  deviceNotFound: 'error.devices.notFound',
  deviceAlreadyExists: 'error.devices.alreadyExists',
  deviceRevoked: 'error.devices.revoked',
  lastActiveDevice: 'error.devices.lastActiveDevice',
  tokenNotFound: 'error.tokens.notFound',
  tokenExpired: 'error.tokens.expired',
  tokenLocked: 'error.tokens.locked',
  tokenWrongPassword: 'error.tokens.wrongPassword',
  tokenNotForYou: 'error.tokens.notForYou',
  tokenAlreadyFilled: 'error.tokens.alreadyFilled',
  templateNotFound: 'error.templates.notFound',
  templateExpired: 'error.templates.expired',
  templateLocked: 'error.templates.locked',
  templateWrongPassword: 'error.templates.wrongPassword',
  templateNotForYou: 'error.templates.notForYou',
  templateAllocationsExhausted: 'error.templates.allocationsExhausted',
  invalidExpiry: 'error.protocol.invalidExpiry',
  quotaExceeded: 'error.quotas.exceeded',
  relationshipNotFound: 'error.relationships.notFound',
  relationshipWrongStatus: 'error.relationships.wrongStatus',
  relationshipNotAllowed: 'error.relationships.notAllowed',
  relationshipAlreadyExists: 'error.relationships.alreadyExists',
  relationshipWithSelf: 'error.relationships.withSelf',
  relationshipTemplateNotLoaded: 'error.relationships.templateNotLoaded',
  relationshipReactivationNotRequested: 'error.relationships.reactivationNotRequested',
  relationshipReactivationAlreadyRequested: 'error.relationships.reactivationAlreadyRequested',
  messageNoRelationship: 'error.messages.noRelationship',
  messageTooManyUnreceived: 'error.messages.tooManyUnreceived',
  messageDuplicateRecipient: 'error.messages.duplicateRecipient',
  messageIdInUse: 'error.messages.idInUse',
  messageToSelf: 'error.messages.toSelf',
  messageSenderCopyNeeded: 'error.messages.senderCopyNeeded',
  fileNotFound: 'error.files.notFound',
  fileExpired: 'error.files.expired',
  fileTooLarge: 'error.files.tooLarge',
  fileNotOwner: 'error.files.notOwner',
  fileNotReady: 'error.files.notReady',
  fileAlreadyComplete: 'error.files.alreadyComplete',
  fileIncomplete: 'error.files.incomplete',
  fileInvalidChunk: 'error.files.invalidChunk',
  fileOwnershipLocked: 'error.files.ownershipLocked',
  fileWrongOwnershipToken: 'error.files.wrongOwnershipToken',
  fileTooManyUploads: 'error.files.tooManyUploads',
  fileStorageFull: 'error.files.storageFull',
  cryptoInvalidArgument: 'error.crypto.invalidArgument',
  cryptoInvalidKey: 'error.crypto.invalidKey',
  cryptoInvalidNonce: 'error.crypto.invalidNonce',
  cryptoInvalidEncoding: 'error.crypto.invalidEncoding',
  cryptoDecryptionFailed: 'error.crypto.decryptionFailed',
  cryptoInvalidAddress: 'error.crypto.invalidAddress',
  cryptoInvalidReference: 'error.crypto.invalidReference',
  cryptoInvalidEnvelope: 'error.crypto.invalidEnvelope',
  cryptoAuthenticationFailed: 'error.crypto.authenticationFailed',
  cryptoNotARecipient: 'error.crypto.notARecipient',
} as const;

/** One of the protocol's stable error codes. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Details that travel with an error; never secrets or plaintext. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

/**
 * The protocol's one error type: a stable `code` for machines, a `message` for people, optional `details`
 * (limits, ids) and the chained `cause`. Thrown inside a component and mapped once at each edge.
 */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  /** Creates an error with a stable code and a human-readable message. */
  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetails; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProtocolError';
    this.code = code;
    this.details = options.details;
  }

  /** Tells whether this error carries the given code. */
  is(code: ErrorCode): boolean {
    return this.code === code;
  }

  /** Tells whether any value is a ProtocolError, optionally with the given code. */
  static isProtocolError(value: unknown, code?: ErrorCode): value is ProtocolError {
    return value instanceof ProtocolError && (code === undefined || value.code === code);
  }
}

const knownCodes = new Set<string>(Object.values(ErrorCodes));

/** Tells whether a string is one of the protocol's error codes (used when decoding replies). */
export function isErrorCode(value: string): value is ErrorCode {
  return knownCodes.has(value);
}
