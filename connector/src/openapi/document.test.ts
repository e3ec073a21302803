import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../config/load.js';
import { createHttpApp } from '../http/app.js';
import { createAuthenticator } from '../http/auth.js';
import { Metrics } from '../metrics.js';
import { RouteRegistry } from './registry.js';

const key = 'Admin-Key-11-AAbb-cccccccccccccccccc';
type Json = Record<string, unknown>;

function build(registry: RouteRegistry, jwt = false) {
  const config = parseConfig({
    infrastructure: {
      httpServer: {
        authentication: {
          apiKey: { keys: { admin: { key } } },
          jwtBearer: jwt ? { enabled: true, secret: 's'.repeat(32), audience: 'a' } : {},
        },
      },
    },
  });
  return createHttpApp({
    config,
    registry,
    authenticator: createAuthenticator(config.infrastructure.httpServer),
    metrics: new Metrics(),
    logger: pino({ level: 'silent' }),
    health: {},
    version: { version: '1.2.3', build: '1', commit: 'c', date: '2026-01-01T00:00:00.000Z' },
    supportConfiguration: {},
  });
}

/** Collects every `$ref` in the document and checks that it resolves. */
function unresolvedRefs(document: Json): string[] {
  const missing: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') {
          const target = v
            .slice(2)
            .split('/')
            .reduce<unknown>((at, part) => (at as Json | undefined)?.[part], document);
          if (target === undefined) missing.push(v);
        } else visit(v);
      }
    }
  };
  visit(document);
  return missing;
}

describe('the OpenAPI document', () => {
  const registry = new RouteRegistry().add({
    method: 'post',
    path: '/api/core/v1/Relationships/{id}/Accept',
    summary: 'Accepts a relationship.',
    tags: ['Relationships'],
    scopes: ['core:relationships'],
    params: z.object({ id: z.string().describe('The relationship id') }),
    query: z.object({ dryRun: z.coerce.boolean().optional() }),
    body: z.object({ reason: z.string().max(100) }),
    result: z.object({ id: z.string(), status: z.enum(['Active', 'Pending']) }),
    handler: ({ params }) => ({ id: params.id, status: 'Active' as const }),
  });

  it('is OpenAPI 3.1 with every registered and built-in route, schemas from zod and resolvable refs', async () => {
    const response = await build(registry, true).request('/docs/json', { headers: { 'x-api-key': key } });
    expect(response.status).toBe(200);
    const document = (await response.json()) as Json;
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: '1.2.3' });
    const paths = document.paths as Record<string, Record<string, Json>>;
    expect(Object.keys(paths).sort()).toEqual(
      [
        '/api/core/v1/Relationships/{id}/Accept',
        '/docs/json',
        '/health',
        '/metrics',
        '/Monitoring/Requests',
        '/Monitoring/Support',
        '/Monitoring/Version',
      ].sort(),
    );
    for (const [path, item] of Object.entries(paths)) {
      expect(path.startsWith('/')).toBe(true);
      for (const [method, op] of Object.entries(item)) {
        expect(['get', 'post', 'put', 'patch', 'delete']).toContain(method);
        expect(op.responses).toBeTypeOf('object');
        expect(Object.keys(op.responses as Json).every((status) => /^[1-5]\d\d$/.test(status))).toBe(true);
      }
    }
    const accept = paths['/api/core/v1/Relationships/{id}/Accept']?.post as Json;
    expect(accept['x-required-scopes']).toEqual(['core:relationships']);
    expect(accept.security).toEqual([{ ApiKeyAuth: [] }, { BearerAuth: [] }]);
    expect(accept.parameters).toEqual([
      {
        name: 'id',
        in: 'path',
        required: true,
        schema: { type: 'string' },
        description: 'The relationship id',
      },
      { name: 'dryRun', in: 'query', required: false, schema: expect.any(Object) },
    ]);
    expect(accept.requestBody).toMatchObject({
      content: {
        'application/json': { schema: { type: 'object', properties: { reason: { maxLength: 100 } } } },
      },
    });
    expect(
      ((accept.responses as Json)['200'] as { content: Record<string, { schema: Json }> }).content[
        'application/json'
      ]?.schema,
    ).toMatchObject({ properties: { result: { properties: { status: { enum: ['Active', 'Pending'] } } } } });
    expect(Object.keys(accept.responses as Json).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '413',
      '500',
    ]);
    expect((paths['/health']!.get as Json).security).toEqual([]);
    expect(document.components).toMatchObject({
      securitySchemes: { ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-KEY' } },
    });
    expect(unresolvedRefs(document)).toEqual([]);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await build(new RouteRegistry()).request('/docs', { headers: { 'x-api-key': key } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('/docs/json');
  });

  it('refuses a route registered twice and a public domain route', () => {
    expect(() =>
      new RouteRegistry()
        .add({
          method: 'get',
          path: '/a/{x}',
          summary: 'a',
          scopes: [],
          result: z.null(),
          handler: () => null,
        })
        .add({
          method: 'get',
          path: '/a/{y}',
          summary: 'b',
          scopes: [],
          result: z.null(),
          handler: () => null,
        }),
    ).toThrow(/twice/);
    const open = new RouteRegistry().add({
      method: 'get',
      path: '/api/core/v1/Open',
      summary: 'open',
      scopes: [],
      public: true,
      result: z.null(),
      handler: () => null,
    });
    expect(() => build(open)).toThrow(/must not be public/);
  });
});
