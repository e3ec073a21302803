export { loadConfig, parseConfig } from './config/load.js';
export { redactConfig } from './config/redact.js';
export { type ConnectorConfig, connectorConfigSchema } from './config/schema.js';
export {
  ConfigError,
  type ConfigProblem,
  ConnectorError,
  type ConnectorErrorCode,
  ConnectorErrorCodes,
  type ErrorDetails,
} from './errors.js';
export { createHttpApp, type HttpAppOptions } from './http/app.js';
export { createAuthenticator } from './http/auth.js';
export { type ErrorEnvelope, errorResponse, toConnectorError } from './http/errors.js';
export { checkHealth, type HealthChecks, type VersionInfo } from './http/monitoring.js';
export type { Authenticator, Principal } from './http/principal.js';
export type { AppEnv } from './http/route-handler.js';
export { isAllowed, scopeCovers } from './http/scopes.js';
export { type RunningServer, startHttpServer } from './http/server.js';
export { createLogger } from './logger.js';
export { type Counter, type Histogram, Metrics } from './metrics.js';
export { buildOpenApiDocument, type DocumentInfo } from './openapi/document.js';
export {
  type AnyRoute,
  type HttpMethod,
  HttpMethods,
  type RouteDefinition,
  type RouteInput,
  RouteRegistry,
} from './openapi/registry.js';
