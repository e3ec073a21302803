import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig } from './load.js';
import { redactConfig } from './redact.js';

const goodKey = 'Aa1!Bb2@cccccccccccccccccccccccccccc';
const keyEnv = { infrastructure__httpServer__authentication__apiKey__keys__main__key: goodKey };

function problemsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('error.connector.config.invalid');
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connector-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fills every section with defaults', () => {
    const config = loadConfig({ env: { ...keyEnv, PATH: '/bin', HOME: '/root' } });
    expect(config.infrastructure.httpServer.port).toBe(80);
    expect(config.infrastructure.httpServer.bodyLimitBytes).toBe(2 * 1024 ** 2);
    expect(config.infrastructure.httpServer.authentication.apiKey.headerName).toBe('X-API-KEY');
    expect(config.infrastructure.httpServer.authentication.apiKey.keys.main?.scopes).toEqual(['**']);
    expect(config.infrastructure.httpServer.cors).toBeUndefined();
    expect(config.modules.webhooks.enabled).toBe(false);
    expect(config.modules.webhooks.delivery.maxAttempts).toBe(10);
    expect(config.database).toMatchObject({ dbName: 'default', folder: './data' });
    expect(config.events.nats).toMatchObject({ enabled: false, subjectPrefix: 'enmesh.connector' });
    expect(config.events.sse.enabled).toBe(false);
  });

  it('reads the file named by CUSTOM_CONFIG_LOCATION, keeping unknown Enmeshed settings', async () => {
    const file = join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({
        infrastructure: {
          httpServer: { port: 8081, authentication: { apiKey: { keys: { a: { key: goodKey } } } } },
        },
        modules: {
          sync: { enabled: true, interval: 60 },
          webhooks: {
            enabled: true,
            targets: { t: { url: 'http://localhost:9/{{trigger}}', headers: { a: 'b' } } },
            webhooks: [{ triggers: ['transport.messageReceived'], target: 't' }],
          },
        },
        transportLibrary: { baseUrl: 'https://backbone.example', platformClientId: 'x' },
      }),
    );
    const config = loadConfig({ env: { CUSTOM_CONFIG_LOCATION: file } });
    expect(config.infrastructure.httpServer.port).toBe(8081);
    expect(config.modules.webhooks.webhooks[0]?.target).toBe('t');
    expect((config.modules as Record<string, unknown>).sync).toEqual({ enabled: true, interval: 60 });
  });

  it('lets the environment override the file, with either separator', async () => {
    const file = join(dir, 'over.json');
    await writeFile(
      file,
      JSON.stringify({ infrastructure: { httpServer: { port: 8081, host: '127.0.0.1' } } }),
    );
    const config = loadConfig({
      env: {
        ...keyEnv,
        CUSTOM_CONFIG_LOCATION: file,
        infrastructure__httpServer__port: '9000',
        'modules:webhooks:enabled': 'true',
        'events:nats:servers': 'nats://a:4222, nats://b:4222',
        infrastructure__httpServer__authentication__apiKey__keys__main__scopes:
          '["core:*","monitoring:version"]',
        DATABASE_NAME: 'acme',
      },
    });
    expect(config.infrastructure.httpServer.port).toBe(9000);
    expect(config.infrastructure.httpServer.host).toBe('127.0.0.1');
    expect(config.modules.webhooks.enabled).toBe(true);
    expect(config.events.nats.servers).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(config.infrastructure.httpServer.authentication.apiKey.keys.main?.scopes).toEqual([
      'core:*',
      'monitoring:version',
    ]);
    expect(config.database.dbName).toBe('acme');
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          CUSTOM_CONFIG_LOCATION: join(dir, 'missing.json'),
          infrastructure__httpServer__port: 'eighty',
          infrastructure__httpServer__bodyLimitBytes: '5',
          infrastructure__httpServer__authentication__apiKey__keys__weak__key: 'short',
          infrastructure__httpServer__authentication__apiKey__keys__weak__scopes: 'core:messages,bad scope',
          modules__webhooks__delivery__maxAttempts: '0',
          database__connectionString: 'mongodb://localhost',
          events__sse__enabled: 'maybe',
        },
      }),
    );
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'CUSTOM_CONFIG_LOCATION',
        'infrastructure.httpServer.port',
        'infrastructure.httpServer.bodyLimitBytes',
        'infrastructure.httpServer.authentication.apiKey.keys.weak.key',
        'infrastructure.httpServer.authentication.apiKey.keys.weak.scopes.1',
        'modules.webhooks.delivery.maxAttempts',
        'database.connectionString',
        'events.sse.enabled',
      ]),
    );
    expect(problems.find((p) => p.path === 'infrastructure.httpServer.port')?.message).toContain(
      'infrastructure__httpServer__port',
    );
    // No secret appears in the messages.
    expect(JSON.stringify(problems)).not.toContain('short');
  });

  it('reports cross-setting problems: no authentication, unknown webhook target, duplicate keys', () => {
    expect(problemsOf(() => loadConfig({ env: {} })).map((p) => p.path)).toEqual([
      'infrastructure.httpServer.authentication',
    ]);
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          ...keyEnv,
          infrastructure__httpServer__authentication__apiKey__keys__copy__key: goodKey,
          modules__webhooks__webhooks__0__triggers: 'transport.messageReceived',
          modules__webhooks__webhooks__0__target: 'nowhere',
        },
      }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'infrastructure.httpServer.authentication.apiKey.keys.main.key',
      'modules.webhooks.webhooks.0.target',
    ]);
    // A target setting we do not support fails instead of silently sending without it.
    const oauth = problemsOf(() =>
      loadConfig({
        env: {
          ...keyEnv,
          modules__webhooks__targets__t__url: 'https://erp.example/hook',
          modules__webhooks__targets__t__authenticationProvider: '{"type":"OAuth2"}',
        },
      }),
    );
    expect(oauth.map((p) => p.path)).toEqual(['modules.webhooks.targets.t']);
  });

  it('masks secrets for logs', () => {
    const config = loadConfig({
      env: {
        ...keyEnv,
        DATABASE_CONNECTION_STRING: 'postgres://u:pw@db/x',
        modules__webhooks__signingSecret: 's'.repeat(40),
        modules__webhooks__targets__t__url: 'http://x/',
        modules__webhooks__targets__t__headers__Authorization: 'Bearer abc',
      },
    });
    const text = JSON.stringify(redactConfig(config));
    for (const secret of [goodKey, 'pw@db', 's'.repeat(40), 'Bearer abc']) expect(text).not.toContain(secret);
    expect(text).toContain('"port":80');
    expect(text).toContain('"scopes":["**"]');
  });
});
