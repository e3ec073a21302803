import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import { fromDomainError } from './domain-errors.js';

/** The body of every error response: `{error: {id, code, message, docs, time}}`. */
export interface ErrorEnvelope {
  readonly error: {
    readonly id: string;
    readonly code: string;
    readonly message: string;
    readonly docs: string;
    readonly time: string;
  };
}

/**
 * Maps anything thrown to a ConnectorError: ConnectorErrors pass through, errors of the runtime, transport
 * and backbone keep their codes (see `fromDomainError`), the router's and middlewares' HTTP exceptions keep
 * their status under a generic code, everything else is an unexpected error.
 */
export function toConnectorError(error: unknown): ConnectorError {
  if (ConnectorError.isConnectorError(error)) return error;
  const domain = fromDomainError(error);
  if (domain) return domain;
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 413)
      return new ConnectorError(ConnectorErrorCodes.payloadTooLarge, 'The request body is too large.');
    if (status === 401) return new ConnectorError(ConnectorErrorCodes.unauthorized, 'You must authenticate.');
    if (status === 404) return new ConnectorError(ConnectorErrorCodes.routeNotFound, 'No such route.');
    if (status >= 400 && status < 500) {
      return new ConnectorError(ConnectorErrorCodes.invalidPropertyValue, 'The request is not valid.', {
        status,
      });
    }
  }
  return new ConnectorError(ConnectorErrorCodes.unexpected, 'An unexpected error occurred.', {
    cause: error,
  });
}

/** Renders an error as the envelope with its status; `docsBaseUrl` + `#code` is the docs link. */
export function errorResponse(
  c: Context,
  error: ConnectorError,
  docsBaseUrl: string,
  options: { id?: string; headers?: Record<string, string> } = {},
): Response {
  const body: ErrorEnvelope = {
    error: {
      id: options.id ?? randomUUID(),
      code: error.code,
      message: error.message,
      docs: `${docsBaseUrl}#${error.code}`,
      time: new Date().toISOString(),
    },
  };
  const response = c.json(body, error.status as ContentfulStatusCode);
  for (const [name, value] of Object.entries(options.headers ?? {})) response.headers.set(name, value);
  return response;
}
