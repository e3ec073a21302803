import { ConsumptionError, ConsumptionErrorCodes } from '@enmesh/consumption';
import { ProtocolError } from '@enmesh/protocol';
import { RuntimeError, RuntimeErrorCodes } from '@enmesh/runtime';
import { ConnectorError, ConnectorErrorCodes, type DomainErrorCode } from '../errors.js';

/** HTTP status of each backbone code that is not a plain 400. */
const protocolStatus: Readonly<Record<string, number>> = {
  'error.protocol.payloadTooLarge': 413,
  'error.protocol.rateLimited': 429,
  'error.protocol.unavailable': 503,
  'error.protocol.timeout': 503,
  'error.protocol.internal': 502,
  'error.protocol.unauthorized': 502,
  'error.protocol.unknownOperation': 502,
  'error.quotas.exceeded': 429,
  'error.identities.inDeletion': 409,
};

/** HTTP status of each transport code (client side of the backbone connection). */
const transportStatus: Readonly<Record<string, number>> = {
  'error.transport.notConnected': 503,
  'error.transport.timeout': 503,
  'error.transport.aborted': 503,
  'error.transport.keyStore': 500,
  'error.transport.unexpectedReply': 502,
  'error.transport.fileIntegrity': 502,
  'error.transport.datawalletInvalid': 502,
  'error.transport.datawalletTooLarge': 500,
};

const isCoded = (value: unknown, name: string): value is Error & { code: string } =>
  value instanceof Error && value.name === name && typeof (value as { code?: unknown }).code === 'string';

/**
 * Maps an error of the layers below to the connector's error, or returns undefined for anything else.
 * Input faults become 400 (`error.connector.validation.invalidPropertyValue`), unknown records 404
 * (`error.connector.recordNotFound`); other codes of the runtime, transport and backbone pass through
 * unchanged with a 4xx for what the caller can fix, 502/503 for a backbone that fails or cannot be reached,
 * and 500 for what the operator must fix (its message is not shown).
 */
export function fromDomainError(error: unknown): ConnectorError | undefined {
  if (RuntimeError.isRuntimeError(error)) return fromRuntimeError(error);
  if (ProtocolError.isProtocolError(error)) {
    const code = error.code as DomainErrorCode;
    const status = protocolStatus[code] ?? (/\.notFound$/.test(code) ? 404 : 400);
    return new ConnectorError(code, status >= 500 ? 'The backbone could not answer.' : error.message, {
      status,
      cause: error,
    });
  }
  if (isCoded(error, 'TransportError')) {
    const code = error.code as DomainErrorCode;
    const status = transportStatus[code] ?? 400;
    if (status === 503) {
      return new ConnectorError(ConnectorErrorCodes.backboneUnavailable, 'The backbone is not reachable.', {
        cause: error,
      });
    }
    return new ConnectorError(code, status >= 500 ? 'The backbone answered unexpectedly.' : error.message, {
      status,
      cause: error,
    });
  }
  if (ConsumptionError.isConsumptionError(error)) return fromConsumptionError(error);
  if (isCoded(error, 'ContentError')) {
    return new ConnectorError(ConnectorErrorCodes.invalidPropertyValue, error.message, { cause: error });
  }
  return undefined;
}

/**
 * The consumption layer's codes, as the Enmeshed Connector answers them: an unknown record is 404
 * (`error.connector.recordNotFound`), malformed content 400 `…invalidPropertyValue`; every other code (a
 * request in the wrong status or expired, a decision that does not fit the request, a succession or
 * attribute type that is not allowed, a duplicate) is a refusal of what the caller asked: 400 with its code.
 */
function fromConsumptionError(error: ConsumptionError): ConnectorError {
  const options = { cause: error };
  if (error.is(ConsumptionErrorCodes.recordNotFound)) {
    return new ConnectorError(ConnectorErrorCodes.recordNotFound, error.message, options);
  }
  if (error.is(ConsumptionErrorCodes.invalidContent)) {
    return new ConnectorError(ConnectorErrorCodes.invalidPropertyValue, error.message, options);
  }
  return new ConnectorError(error.code, error.message, { ...options, status: 400 });
}

function fromRuntimeError(error: RuntimeError): ConnectorError {
  const options = { cause: error };
  switch (error.code) {
    case RuntimeErrorCodes.validation:
      return new ConnectorError(ConnectorErrorCodes.invalidPropertyValue, error.message, options);
    case RuntimeErrorCodes.notFound:
      return new ConnectorError(ConnectorErrorCodes.recordNotFound, error.message, options);
    case RuntimeErrorCodes.wrongState:
    case RuntimeErrorCodes.notOwn:
    case RuntimeErrorCodes.unsupportedReference:
      return new ConnectorError(error.code, error.message, { ...options, status: 400 });
    case RuntimeErrorCodes.notStarted:
    case RuntimeErrorCodes.closed:
      return new ConnectorError(ConnectorErrorCodes.unavailable, 'The identity is not running.', options);
    default:
      return new ConnectorError(error.code, 'An unexpected error occurred.', { ...options, status: 500 });
  }
}
