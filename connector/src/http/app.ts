import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ConnectorConfig } from '../config/schema.js';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { buildOpenApiDocument } from '../openapi/document.js';
import { type AnyRoute, pathMatcher, type RouteRegistry } from '../openapi/registry.js';
import { errorResponse, toConnectorError } from './errors.js';
import { type HealthChecks, monitoringRoutes, type VersionInfo } from './monitoring.js';
import type { Authenticator } from './principal.js';
import { type AppEnv, mountRoute } from './route-handler.js';

/** What the HTTP app is built from. */
export interface HttpAppOptions {
  readonly config: ConnectorConfig;
  readonly registry: RouteRegistry;
  readonly authenticator: Authenticator;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly health: HealthChecks;
  readonly version: VersionInfo;
  /** The configuration with secrets masked, for `/Monitoring/Support`. */
  readonly supportConfiguration: unknown;
  /** The identity the connector runs, for `/Monitoring/Support`. */
  readonly identityInfo?: { address: string; publicKey: string };
}

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const correlationIdPattern = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Builds the connector's HTTP app on hono: security headers, optional CORS, a body limit, request metrics
 * and logs (no bodies, no credentials), the built-in monitoring and docs routes plus every registered route,
 * one error handler answering `{error: {id, code, message, docs, time}}`, 404 for unknown routes and 405
 * for a known path with another method.
 * @throws Error when a registered route other than `/health` (and the docs, if configured) is public.
 */
export function createHttpApp(options: HttpAppOptions): Hono<AppEnv> {
  const { config, logger, metrics } = options;
  const http = config.infrastructure.httpServer;
  const docsBase = http.errorDocsBaseUrl;
  const requests = metrics.counter(
    'enmesh_connector_http_requests_total',
    'HTTP requests by route and status.',
  );
  const durations = metrics.histogram(
    'enmesh_connector_http_request_duration_seconds',
    'HTTP request durations by route and status.',
    durationBuckets,
  );
  const routes: AnyRoute[] = [
    ...monitoringRoutes({ ...options, healthTimeoutMs: http.healthTimeoutMs, since: new Date(), requests }),
    ...docsRoutes(options, () => routes),
    ...options.registry.list(),
  ];
  const publicPaths = new Set([
    '/health',
    ...(config.modules.coreHttpApi.docs.public ? ['/docs', '/docs/json'] : []),
  ]);
  for (const route of routes) {
    if (route.public && !publicPaths.has(route.path)) {
      throw new Error(`route ${route.method.toUpperCase()} ${route.path} must not be public`);
    }
  }

  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-correlation-id');
    const correlationId = incoming && correlationIdPattern.test(incoming) ? incoming : crypto.randomUUID();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = c.get('route') ?? 'unmatched';
    const labels = { method: c.req.method, route, status: String(c.res.status) };
    requests.inc(labels);
    durations.observe(labels, seconds);
    c.res.headers.set('x-correlation-id', correlationId);
    c.res.headers.set('X-Response-Duration-ms', (seconds * 1000).toFixed(1));
    c.res.headers.set('X-Response-Time', new Date().toISOString());
    logger.debug({ correlationId, ...labels, ms: Math.round(seconds * 1000) }, 'request');
  });
  app.use(secureHeaders());
  const corsSettings = http.cors;
  if (corsSettings && corsSettings.origin !== false) {
    app.use(
      cors({
        origin: corsSettings.origin === true ? (origin) => origin : corsSettings.origin,
        ...(corsSettings.methods ? { allowMethods: corsSettings.methods } : {}),
        allowHeaders: corsSettings.allowedHeaders ?? [
          http.authentication.apiKey.headerName,
          'Content-Type',
          'Authorization',
        ],
        ...(corsSettings.exposedHeaders ? { exposeHeaders: corsSettings.exposedHeaders } : {}),
        credentials: corsSettings.credentials,
        ...(corsSettings.maxAge !== undefined ? { maxAge: corsSettings.maxAge } : {}),
      }),
    );
  }
  app.use(
    bodyLimit({
      maxSize: http.bodyLimitBytes,
      onError: () => {
        throw new ConnectorError(
          ConnectorErrorCodes.payloadTooLarge,
          `The request body exceeds ${http.bodyLimitBytes} bytes.`,
        );
      },
    }),
  );
  for (const route of routes) mountRoute(app, route, options.authenticator);

  const matchers = routes.map((route) => ({
    method: route.method.toUpperCase(),
    matches: pathMatcher(route.path),
  }));
  app.notFound((c) => {
    const allowed = matchers.filter((m) => m.matches(c.req.path)).map((m) => m.method);
    if (allowed.length === 0) {
      return errorResponse(
        c,
        new ConnectorError(ConnectorErrorCodes.routeNotFound, 'No such route.'),
        docsBase,
      );
    }
    const error = new ConnectorError(
      ConnectorErrorCodes.methodNotAllowed,
      `Allowed methods: ${allowed.join(', ')}.`,
    );
    return errorResponse(c, error, docsBase, { headers: { allow: allowed.join(', ') } });
  });
  app.onError((thrown, c) => {
    const error = toConnectorError(thrown);
    const id = crypto.randomUUID();
    if (error.status >= 500) {
      logger.error({ errorId: id, route: c.get('route'), err: thrown }, 'request failed');
    }
    return errorResponse(c, error, docsBase, { id });
  });
  return app;
}

function docsRoutes(options: HttpAppOptions, all: () => readonly AnyRoute[]): AnyRoute[] {
  const docs = options.config.modules.coreHttpApi.docs;
  if (!docs.enabled) return [];
  let document: unknown;
  const build = () => {
    document ??= buildOpenApiDocument(all(), {
      title: 'enmesh connector',
      version: options.version.version,
      apiKeyHeader: options.config.infrastructure.httpServer.authentication.apiKey.headerName,
      jwtBearer: options.config.infrastructure.httpServer.authentication.jwtBearer.enabled,
    });
    return document;
  };
  const ui = swaggerUI({ url: '/docs/json' });
  const common = { tags: ['Docs'], scopes: [], public: docs.public, envelope: false } as const;
  return [
    {
      ...common,
      method: 'get',
      path: '/docs/json',
      summary: 'This OpenAPI 3.1 document.',
      result: z.record(z.string(), z.unknown()),
      handler: () => build() as Record<string, unknown>,
    },
    {
      ...common,
      method: 'get',
      path: '/docs',
      summary: 'Swagger UI for this document.',
      produces: 'text/html',
      hidden: true,
      result: z.string(),
      handler: async ({ context }) => (await ui(context, async () => undefined)) as Response,
    },
  ];
}
