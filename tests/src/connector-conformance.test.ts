import {
  buildOpenApiDocument,
  createAuthenticator,
  createHttpApp,
  Metrics,
  parseConfig,
  RouteRegistry,
} from '@enmesh/connector';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { normalisePath, operationsOf, ReferenceSpec, type SpecOperation } from './kit/reference-spec.js';

const apiKey = 'Conformance-Key-0123456789-abcdefghij';

/** The connector's HTTP app as it is built today, with one API key covering every scope. */
function connectorApp() {
  const config = parseConfig({
    infrastructure: { httpServer: { authentication: { apiKey: { keys: { all: { key: apiKey } } } } } },
  });
  const registry = new RouteRegistry();
  const app = createHttpApp({
    config,
    registry,
    authenticator: createAuthenticator(config.infrastructure.httpServer),
    metrics: new Metrics(),
    logger: pino({ level: 'silent' }),
    // The connector's composition root checks both; the backbone check comes from the SDK runtime.
    health: { database: async () => true, backbone: async () => true },
    version: { version: '0.1.0', build: 'test', commit: 'conformance', date: '2026-01-01T00:00:00.000Z' },
    supportConfiguration: {},
  });
  return { app };
}

/**
 * Faults of the reference itself, where the connector answers as the Enmeshed Connector does (and as its
 * SDK reads) instead: a route's schema whose `required` names a field its `properties` do not describe.
 */
const referenceDefects: Record<string, string[]> = {
  // Documents the bare support information (version, health, configuration, identityInfo) but requires
  // `result`; the Enmeshed Connector and its SDK answer and read the bare object.
  'GET /Monitoring/Support': ["/ must have required property 'result'"],
};

const key = (operation: SpecOperation) =>
  `${operation.method.toUpperCase()} ${normalisePath(operation.path)}`;

/**
 * Conformance with the Enmeshed Connector API: the reference specification against the connector's own
 * generated one. Every reference route the connector serves answers with a body that validates against the
 * reference's schema; the routes it does not serve yet are listed (the domain routes come with the runtime).
 */
describe('conformance with the reference Connector API', () => {
  const reference = ReferenceSpec.load();
  const { app } = connectorApp();

  it('reads the reference: 70 paths of the Enmeshed Connector API', () => {
    const operations = reference.operations();
    expect(new Set(operations.map((o) => o.path)).size).toBe(70);
    expect(operations.some((o) => key(o) === 'POST /api/core/v1/Messages')).toBe(true);
  });

  it('answers every reference route it serves with a body the reference schema accepts', async () => {
    const ours = new Set(
      operationsOf(
        (await (await app.request('/docs/json', { headers: { 'X-API-KEY': apiKey } })).json()) as never,
      ).map(key),
    );
    const served = reference
      .operations()
      .filter((o) => ours.has(key(o)) && o.method === 'get' && !o.path.includes('{'));
    expect(served.map(key)).toEqual(expect.arrayContaining(['GET /health', 'GET /Monitoring/Version']));
    for (const operation of served) {
      const response = await app.request(operation.path, { headers: { 'X-API-KEY': apiKey } });
      const faults = reference.validate(operation, response.status, await response.json());
      expect({ route: key(operation), status: response.status, faults }).toEqual({
        route: key(operation),
        status: 200,
        faults: referenceDefects[key(operation)] ?? [],
      });
    }
    const missing = reference.operations().filter((o) => !ours.has(key(o)));
    console.log(
      `reference routes served: ${reference.operations().length - missing.length} of ${reference.operations().length}`,
    );
  });

  it('answers errors in the reference envelope', async () => {
    const operation = { path: '/Monitoring/Version', method: 'get' };
    const response = await app.request(operation.path);
    expect(response.status).toBe(401);
    expect(reference.validate(operation, 401, await response.json())).toEqual([]);
  });
});
