export { type CliOutput, cliUsage, runIdentityCommand } from './cli.js';
export { loadConfig, parseConfig } from './config/load.js';
export { redactConfig } from './config/redact.js';
export { type ConnectorConfig, connectorConfigSchema } from './config/schema.js';
export { Connector, type ConnectorOptions } from './connector.js';
export {
  ConfigError,
  type ConfigProblem,
  ConnectorError,
  type ConnectorErrorCode,
  ConnectorErrorCodes,
  type DomainErrorCode,
  type ErrorDetails,
} from './errors.js';
export { openDatabase } from './events/database.js';
export { DeliveryStore, type DeliveryView } from './events/delivery-store.js';
export {
  connectorEntities,
  type DeliveryRow,
  DeliveryStatus,
  type DeliveryStatusValue,
  type EventRow,
} from './events/entities.js';
export { assertNamespace, type ConnectorEvent, triggerMatches } from './events/event.js';
export { EventLog, toConnectorEvent } from './events/event-log.js';
export { type AppendHook, EventStore } from './events/event-store.js';
export { CreateConnectorEvents1765000000000, connectorMigrations } from './events/migrations.js';
export {
  eventStreamConfig,
  eventSubject,
  NatsEventPublisher,
  natsCursorName,
} from './events/nats-publisher.js';
export { type PruneResult, RetentionPruner } from './events/retention.js';
export { registerEventRoutes } from './events/routes.js';
export { signatureHeader, signPayload, verifySignature } from './events/signature.js';
export { SseHub } from './events/sse.js';
export { type ResolvedWebhook, resolveWebhooks } from './events/webhook-config.js';
export { type DispatcherMetrics, WebhookDispatcher } from './events/webhook-dispatcher.js';
export { postWebhook, type SendOutcome } from './events/webhook-sender.js';
export { createHttpApp, type HttpAppOptions } from './http/app.js';
export { createAuthenticator } from './http/auth.js';
export { fromDomainError } from './http/domain-errors.js';
export { type ErrorEnvelope, errorResponse, toConnectorError } from './http/errors.js';
export { checkHealth, type HealthChecks, type VersionInfo } from './http/monitoring.js';
export type { Authenticator, Principal } from './http/principal.js';
export type { AppEnv } from './http/route-handler.js';
export { isAllowed, scopeCovers } from './http/scopes.js';
export { type RunningServer, startHttpServer } from './http/server.js';
export { RuntimeEventForwarder, runtimeCursorName } from './identity/event-forwarder.js';
export {
  createIdentityRuntime,
  type IdentityRuntime,
  openIdentityRuntime,
  runtimeStorage,
  storedAccountAddress,
} from './identity/identity-runtime.js';
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
export { registerDomainRoutes } from './routes/domain-routes.js';
export { applyFilters, type FilterKind, type FilterSpecs, filterQuery } from './routes/query-filter.js';
export type { DomainRouteOptions } from './routes/route-kit.js';
