/**
 * The connector's stable error codes. A code never changes meaning once released; integrators branch on it,
 * people read the message. The generic codes follow the Enmeshed Connector's (`error.connector.*`).
 */
export const ConnectorErrorCodes = {
  unauthorized: 'error.connector.unauthorized',
  forbidden: 'error.connector.forbidden',
  recordNotFound: 'error.connector.recordNotFound',
  routeNotFound: 'error.connector.http.routeNotFound',
  methodNotAllowed: 'error.connector.http.methodNotAllowed',
  payloadTooLarge: 'error.connector.http.payloadTooLarge',
  unsupportedMediaType: 'error.connector.http.unsupportedMediaType',
  tooManyConnections: 'error.connector.http.tooManyConnections',
  invalidJson: 'error.connector.validation.invalidJsonInPayload',
  invalidPropertyValue: 'error.connector.validation.invalidPropertyValue',
  invalidConfig: 'error.connector.config.invalid',
  invalidEventNamespace: 'error.connector.events.invalidNamespace',
  eventDataTooLarge: 'error.connector.events.dataTooLarge',
  unavailable: 'error.connector.unavailable',
  backboneUnavailable: 'error.connector.backboneUnavailable',
  challengeTypeNotSupported: 'error.connector.challenges.typeNotSupported',
  backboneNotificationsNotSupported: 'error.connector.backboneNotifications.notSupported',
  notAcceptable: 'error.connector.http.notAcceptable',
  unexpected: 'error.connector.unexpectedError',
} as const;

/** One of the connector's stable error codes. */
export type ConnectorErrorCode = (typeof ConnectorErrorCodes)[keyof typeof ConnectorErrorCodes];

/**
 * A stable code of the layers below (runtime, transport, backbone: `error.relationships.wrongStatus`, …),
 * passed through to the client unchanged with the HTTP status the REST edge gives it.
 */
export type DomainErrorCode = `error.${string}`;

/** The HTTP status each code maps to at the REST edge. */
const statusByCode: Readonly<Record<ConnectorErrorCode, number>> = {
  [ConnectorErrorCodes.unauthorized]: 401,
  [ConnectorErrorCodes.forbidden]: 403,
  [ConnectorErrorCodes.recordNotFound]: 404,
  [ConnectorErrorCodes.routeNotFound]: 404,
  [ConnectorErrorCodes.methodNotAllowed]: 405,
  [ConnectorErrorCodes.payloadTooLarge]: 413,
  [ConnectorErrorCodes.unsupportedMediaType]: 415,
  [ConnectorErrorCodes.tooManyConnections]: 503,
  [ConnectorErrorCodes.invalidJson]: 400,
  [ConnectorErrorCodes.invalidPropertyValue]: 400,
  [ConnectorErrorCodes.invalidConfig]: 500,
  [ConnectorErrorCodes.invalidEventNamespace]: 400,
  [ConnectorErrorCodes.eventDataTooLarge]: 413,
  [ConnectorErrorCodes.unavailable]: 503,
  [ConnectorErrorCodes.backboneUnavailable]: 503,
  [ConnectorErrorCodes.challengeTypeNotSupported]: 400,
  [ConnectorErrorCodes.backboneNotificationsNotSupported]: 400,
  [ConnectorErrorCodes.notAcceptable]: 406,
  [ConnectorErrorCodes.unexpected]: 500,
};

/** Details that travel with an error to the client; never secrets, keys or request bodies. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

/**
 * The connector's one error type: a stable `code` for machines, a `message` for people, the HTTP `status`
 * it maps to, optional `details` and the chained `cause`. Thrown anywhere inside; mapped once by the REST
 * error handler to `{error: {id, code, message, docs, time}}`.
 */
export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode | DomainErrorCode;
  readonly status: number;
  readonly details: ErrorDetails | undefined;

  /**
   * Creates an error with a stable code; the status follows from the code unless given (a code of the layers
   * below without a status is a 500).
   */
  constructor(
    code: ConnectorErrorCode | DomainErrorCode,
    message: string,
    options: { status?: number; details?: ErrorDetails; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.code = code;
    this.status = options.status ?? statusByCode[code as ConnectorErrorCode] ?? 500;
    this.details = options.details;
  }

  /** Tells whether this error carries the given code. */
  is(code: ConnectorErrorCode | DomainErrorCode): boolean {
    return this.code === code;
  }

  /** Tells whether any value is a ConnectorError, optionally with the given code. */
  static isConnectorError(
    value: unknown,
    code?: ConnectorErrorCode | DomainErrorCode,
  ): value is ConnectorError {
    return value instanceof ConnectorError && (code === undefined || value.code === code);
  }
}

/** One invalid setting: where it is (`infrastructure.httpServer.port`, an env variable, the file) and why. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** The configuration could not be loaded; `problems` lists every invalid setting at once. */
export class ConfigError extends ConnectorError {
  readonly problems: readonly ConfigProblem[];

  /** Creates an error listing every problem found. */
  constructor(problems: readonly ConfigProblem[]) {
    super(
      ConnectorErrorCodes.invalidConfig,
      `invalid configuration:\n  - ${problems.map((p) => `${p.path}: ${p.message}`).join('\n  - ')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
