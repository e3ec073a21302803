/** Stable codes of failures that happen on the client side of the transport. */
export const TransportErrorCodes = {
  notConnected: 'error.transport.notConnected',
  timeout: 'error.transport.timeout',
  aborted: 'error.transport.aborted',
  keyStore: 'error.transport.keyStore',
  unexpectedReply: 'error.transport.unexpectedReply',
  passwordRequired: 'error.transport.passwordRequired',
  wrongReference: 'error.transport.wrongReference',
  invalidTemplate: 'error.transport.invalidTemplate',
  invalidCreationContent: 'error.transport.invalidCreationContent',
  noRelationship: 'error.transport.noRelationship',
  fileIntegrity: 'error.transport.fileIntegrity',
  fileSizeMismatch: 'error.transport.fileSizeMismatch',
  datawalletInvalid: 'error.transport.datawalletInvalid',
  datawalletTooLarge: 'error.transport.datawalletTooLarge',
} as const;

/** One of the transport's error codes. */
export type TransportErrorCode = (typeof TransportErrorCodes)[keyof typeof TransportErrorCodes];

/**
 * The transport package's error for client-side failures (connection, timeout, cancellation, local key
 * storage). Errors the backbone answers with arrive as the protocol's `ProtocolError`, codes unchanged.
 */
export class TransportError extends Error {
  readonly code: TransportErrorCode;

  /** Creates an error with a stable code. */
  constructor(code: TransportErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransportError';
    this.code = code;
  }

  /** Tells whether this error carries the given code. */
  is(code: TransportErrorCode): boolean {
    return this.code === code;
  }
}
