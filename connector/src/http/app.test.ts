import { SignJWT } from 'jose';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../config/load.js';
import { Metrics } from '../metrics.js';
import { RouteRegistry } from '../openapi/registry.js';
import { createHttpApp } from './app.js';
import { createAuthenticator } from './auth.js';

const keys = {
  admin: 'Admin-Key-11-AAbb-cccccccccccccccccc',
  messages: 'Msg-Key-22-MMnn-cccccccccccccccccccccc',
  core: 'Core-Key-33-CCdd-cccccccccccccccccccccc',
  expired: 'Old-Key-44-EEff-cccccccccccccccccccccc',
  disabled: 'Off-Key-55-DDgg-cccccccccccccccccccccc',
} as const;
const jwtSecret = 'a-shared-secret-of-at-least-32-characters!';

function buildApp(overrides: Record<string, unknown> = {}) {
  const config = parseConfig({
    infrastructure: {
      httpServer: {
        bodyLimitBytes: 1024,
        authentication: {
          apiKey: {
            keys: {
              admin: { key: keys.admin },
              messages: { key: keys.messages, scopes: ['core:messages'] },
              core: { key: keys.core, scopes: ['core:*', 'monitoring:*'] },
              expired: { key: keys.expired, expiresAt: '2020-01-01T00:00:00Z' },
              disabled: { key: keys.disabled, enabled: false },
            },
          },
          jwtBearer: { enabled: true, secret: jwtSecret, audience: 'connector', issuer: 'tests' },
        },
      },
    },
    ...overrides,
  });
  const registry = new RouteRegistry()
    .add({
      method: 'post',
      path: '/api/core/v1/Messages',
      summary: 'Sends a message.',
      scopes: ['core:messages'],
      body: z.object({ recipients: z.array(z.string()).min(1), content: z.unknown() }),
      result: z.object({ id: z.string(), recipients: z.array(z.string()) }),
      successStatus: 201,
      handler: ({ body }) => ({ id: 'MSG1', recipients: body.recipients }),
    })
    .add({
      method: 'get',
      path: '/api/core/v1/Messages/{id}',
      summary: 'Shows a message.',
      scopes: ['core:messages'],
      params: z.object({ id: z.string().regex(/^MSG/) }),
      result: z.object({ id: z.string() }),
      handler: ({ params }) => ({ id: params.id }),
    })
    .add({
      method: 'get',
      path: '/api/core/v1/Requests/Incoming',
      summary: 'Lists incoming requests.',
      scopes: ['core:requests', 'core:requests:incoming'],
      result: z.array(z.unknown()),
      handler: () => [],
    })
    .add({
      method: 'get',
      path: '/api/core/v1/Boom',
      summary: 'Fails.',
      scopes: [],
      result: z.null(),
      handler: () => {
        throw new Error('secret internals');
      },
    });
  const metrics = new Metrics();
  const app = createHttpApp({
    config,
    registry,
    authenticator: createAuthenticator(config.infrastructure.httpServer),
    metrics,
    logger: pino({ level: 'silent' }),
    health: { database: async () => true },
    version: { version: '0.1.0', build: 'test', commit: 'abc', date: '2026-01-01T00:00:00.000Z' },
    supportConfiguration: {},
  });
  return { app, metrics };
}

const expectError = async (response: Response, status: number, code: string) => {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: Record<string, string> };
  expect(Object.keys(body.error).sort()).toEqual(['code', 'docs', 'id', 'message', 'time']);
  expect(body.error.code).toBe(code);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts|secret internals/);
};

const get = (app: ReturnType<typeof buildApp>['app'], path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers });

describe('authentication and scopes', () => {
  const { app } = buildApp();
  const msgPath = '/api/core/v1/Messages/MSG1';

  it('answers 401 without, with a wrong, an expired or a disabled key', async () => {
    await expectError(await get(app, msgPath), 401, 'error.connector.unauthorized');
    await expectError(await get(app, msgPath, { 'X-API-KEY': 'wrong' }), 401, 'error.connector.unauthorized');
    await expectError(
      await get(app, msgPath, { 'x-api-key': keys.expired }),
      401,
      'error.connector.unauthorized',
    );
    await expectError(
      await get(app, msgPath, { 'x-api-key': keys.disabled }),
      401,
      'error.connector.unauthorized',
    );
  });

  it('answers 403 for a key without the scope and 200 with it', async () => {
    await expectError(
      await get(app, '/api/core/v1/Requests/Incoming', { 'x-api-key': keys.messages }),
      403,
      'error.connector.forbidden',
    );
    const ok = await get(app, msgPath, { 'x-api-key': keys.messages });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ result: { id: 'MSG1' } });
    // core:* covers core:requests (one segment) and ** covers everything.
    expect((await get(app, '/api/core/v1/Requests/Incoming', { 'x-api-key': keys.core })).status).toBe(200);
    expect((await get(app, '/Monitoring/Version', { 'x-api-key': keys.core })).status).toBe(200);
    expect((await get(app, '/Monitoring/Version', { 'x-api-key': keys.admin })).status).toBe(200);
    await expectError(
      await get(app, '/Monitoring/Version', { 'x-api-key': keys.messages }),
      403,
      'error.connector.forbidden',
    );
  });

  it('accepts JWT bearer tokens with the scope claim, and refuses bad ones', async () => {
    const sign = (scope: string, audience = 'connector') =>
      new SignJWT({ scope })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('tests')
        .setAudience(audience)
        .setSubject('svc')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(jwtSecret));
    const bearer = async (scope: string, audience?: string) => ({
      authorization: `Bearer ${await sign(scope, audience)}`,
    });
    expect((await get(app, msgPath, await bearer('core:messages'))).status).toBe(200);
    await expectError(await get(app, msgPath, await bearer('core:files')), 403, 'error.connector.forbidden');
    await expectError(
      await get(app, msgPath, await bearer('core:messages', 'other')),
      401,
      'error.connector.unauthorized',
    );
    await expectError(
      await get(app, msgPath, { authorization: 'Bearer x.y.z' }),
      401,
      'error.connector.unauthorized',
    );
  });

  it('leaves /health open and protects everything else, metrics and docs included', async () => {
    const health = await get(app, '/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ isHealthy: true, services: { database: 'healthy' } });
    for (const path of ['/metrics', '/docs', '/docs/json', '/Monitoring/Requests', '/Monitoring/Support']) {
      await expectError(await get(app, path), 401, 'error.connector.unauthorized');
    }
  });
});

describe('errors', () => {
  const { app } = buildApp();
  const post = (body: string, headers: Record<string, string> = {}) =>
    app.request('/api/core/v1/Messages', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-api-key': keys.admin, ...headers },
    });

  it('answers 400 for malformed JSON and invalid bodies, 201 for a good one', async () => {
    await expectError(await post('{"recipients": ['), 400, 'error.connector.validation.invalidJsonInPayload');
    await expectError(
      await post('{"recipients": []}'),
      400,
      'error.connector.validation.invalidPropertyValue',
    );
    await expectError(
      await post('x', { 'content-type': 'text/plain' }),
      415,
      'error.connector.http.unsupportedMediaType',
    );
    await expectError(
      await get(app, '/api/core/v1/Messages/NOPE', { 'x-api-key': keys.admin }),
      400,
      'error.connector.validation.invalidPropertyValue',
    );
    const ok = await post('{"recipients": ["did:e:a"], "content": {}}');
    expect(ok.status).toBe(201);
  });

  it('answers 413 for a body over the limit, with or without a content length', async () => {
    await expectError(
      await post(JSON.stringify({ recipients: ['x'.repeat(2000)] })),
      413,
      'error.connector.http.payloadTooLarge',
    );
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(400)));
        controller.close();
      },
    });
    const chunked = await app.request('/api/core/v1/Messages', {
      method: 'POST',
      body: stream,
      headers: {
        'content-type': 'application/json',
        'x-api-key': keys.admin,
        'transfer-encoding': 'chunked',
      },
      duplex: 'half',
    } as RequestInit);
    await expectError(chunked, 413, 'error.connector.http.payloadTooLarge');
  });

  it('answers 404 for unknown routes and 405 for a known path with another method', async () => {
    await expectError(await get(app, '/api/core/v1/Nothing'), 404, 'error.connector.http.routeNotFound');
    const wrong = await app.request('/api/core/v1/Messages/MSG1', { method: 'DELETE' });
    expect(wrong.headers.get('allow')).toBe('GET');
    await expectError(wrong, 405, 'error.connector.http.methodNotAllowed');
  });

  it('hides an unexpected error behind a 500 envelope without its message or stack', async () => {
    await expectError(
      await get(app, '/api/core/v1/Boom', { 'x-api-key': keys.admin }),
      500,
      'error.connector.unexpectedError',
    );
  });

  it('sets the response headers of the Enmeshed API', async () => {
    const response = await get(app, '/health', { 'x-correlation-id': 'abc-1' });
    expect(response.headers.get('x-correlation-id')).toBe('abc-1');
    expect(Number(response.headers.get('X-Response-Duration-ms'))).toBeGreaterThanOrEqual(0);
    expect(response.headers.get('X-Response-Time')).toMatch(/^\d{4}-/);
  });
});

describe('monitoring, metrics and CORS', () => {
  it('counts requests by route and status', async () => {
    const { app } = buildApp();
    await get(app, '/health');
    await get(app, '/api/core/v1/Messages/MSG1');
    await get(app, '/api/core/v1/Messages/MSG1', { 'x-api-key': keys.admin });
    const requests = (await (await get(app, '/Monitoring/Requests', { 'x-api-key': keys.admin })).json()) as {
      requestCount: number;
      requestCountByStatus: Record<string, number>;
    };
    expect(requests.requestCount).toBe(3);
    expect(requests.requestCountByStatus).toEqual({ '200': 2, '401': 1 });
    const text = await (await get(app, '/metrics', { 'x-api-key': keys.admin })).text();
    expect(text).toContain(
      'enmesh_connector_http_requests_total{method="GET",route="/api/core/v1/Messages/{id}",status="401"} 1',
    );
    expect(text).toMatch(
      /enmesh_connector_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/health",status="200"\} 1/,
    );
  });

  it('reports unhealthy services with HTTP 500', async () => {
    const config = parseConfig({
      infrastructure: { httpServer: { authentication: { apiKey: { keys: { a: { key: keys.admin } } } } } },
    });
    const app = createHttpApp({
      config,
      registry: new RouteRegistry(),
      authenticator: createAuthenticator(config.infrastructure.httpServer),
      metrics: new Metrics(),
      logger: pino({ level: 'silent' }),
      health: { database: async () => true, backbone: async () => false },
      version: { version: '0', build: '0', commit: '0', date: '2026-01-01T00:00:00.000Z' },
      supportConfiguration: {},
    });
    const response = await app.request('/health');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      isHealthy: false,
      services: { database: 'healthy', backbone: 'unhealthy' },
    });
  });

  it('has CORS off by default and on when configured', async () => {
    const preflight = {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    };
    const off = await buildApp().app.request('/health', preflight);
    expect(off.headers.get('access-control-allow-origin')).toBeNull();
    const on = buildApp({
      infrastructure: {
        httpServer: {
          cors: { origin: ['https://app.example'] },
          authentication: { apiKey: { keys: { a: { key: keys.admin } } } },
        },
      },
    }).app;
    const answer = await on.request('/health', preflight);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });
});
