import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connector, parseConfig } from '@enmesh/connector';
import jsQRModule from 'jsqr';
import pino from 'pino';
import { PNG } from 'pngjs';
import type { TestStack } from '../kit/stack.js';
import { waitFor } from '../kit/wait.js';

/** The API key every test connector accepts, with every scope. */
export const adminKey = 'Admin-Key-0123456789-ABcdEFghIJkl!';
/** A key with only the messages scope. */
export const messagesKey = 'Msg-Key-0123456789-MNopQRstUVwx!!';
/** A key with only the monitoring scopes. */
export const monitoringKey = 'Mon-Key-0123456789-YZabCDefGHij!!';

/** A JSON body as tests read it: its shape is what the assertions check. */
// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely and asserted on.
export type Json = any;

/** An answer of the REST API: status, headers and the parsed JSON body (or the bytes for other types). */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Json;
  readonly bytes: Uint8Array;
}

/** A connector of a test, reached only through HTTP on its real port. */
export interface TestConnector {
  readonly connector: Connector;
  readonly base: string;
  readonly dir: string;
  /** Calls the REST API: a JSON body (or FormData), the admin key unless other headers are given. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  close(): Promise<void>;
}

/** What a test connector is started with. */
export interface TestConnectorOptions {
  readonly webhookUrl?: string;
  /** The directory of an earlier connector, to start again on its data. */
  readonly dir?: string;
  readonly settings?: Record<string, unknown>;
}

/**
 * The settings of a test connector: its own directory (SQLite databases, keys, the bootstrap credentials), a
 * free port, API keys, and webhooks to `webhookUrl`.
 */
export async function testConnectorConfig(stack: TestStack, options: TestConnectorOptions = {}) {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'enmesh-connector-')));
  const credsFile = join(dir, 'bootstrap.creds');
  await writeFile(credsFile, stack.bootstrapCreds, { mode: 0o600 });
  const config = parseConfig({
    database: { folder: join(dir, 'data'), dbName: 'org' },
    transportLibrary: { servers: stack.endpoint.servers, bootstrapCredsFile: credsFile },
    infrastructure: {
      httpServer: {
        port: 0,
        host: '127.0.0.1',
        shutdownTimeoutMs: 2000,
        bodyLimitBytes: 1024 * 1024,
        authentication: {
          apiKey: {
            keys: {
              admin: { key: adminKey },
              messages: { key: messagesKey, scopes: ['core:messages'] },
              monitoring: { key: monitoringKey, scopes: ['monitoring:*'] },
            },
          },
        },
      },
    },
    ...(options.webhookUrl
      ? {
          modules: {
            webhooks: {
              enabled: true,
              signingSecret: 's'.repeat(32),
              webhooks: [{ name: 'erp', triggers: ['transport.**'], target: { url: options.webhookUrl } }],
              delivery: { initialBackoffMs: 20, maxBackoffMs: 100, pollIntervalMs: 50 },
            },
          },
        }
      : {}),
    ...options.settings,
  });
  return { config, dir };
}

/**
 * Starts a connector on the test backbone through its public composition root (see `testConnectorConfig`);
 * with `dir`, it starts again on the data of an earlier one.
 */
export async function startTestConnector(
  stack: TestStack,
  options: TestConnectorOptions = {},
): Promise<TestConnector> {
  const { config, dir } = await testConnectorConfig(stack, options);
  const connector = await Connector.start(config, { logger: pino({ level: 'silent' }) });
  const base = `http://127.0.0.1:${connector.port}`;
  return {
    connector,
    base,
    dir,
    async api(method, path, body, headers = { 'X-API-KEY': adminKey }) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body instanceof FormData) init.body = body;
      else if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${base}${path.startsWith('/') ? path : `/api/core/v1/${path}`}`, init);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const type = response.headers.get('content-type') ?? '';
      const text = type.includes('json') ? new TextDecoder().decode(bytes) : '';
      return {
        status: response.status,
        headers: response.headers,
        body: text ? JSON.parse(text) : undefined,
        bytes,
      };
    },
    close: () => connector.close(),
  };
}

/** Removes a test connector's directory. */
export async function removeTestConnector(test: TestConnector | undefined): Promise<void> {
  if (test) await rm(test.dir, { recursive: true, force: true });
}

/** Calls `read` until `accept` holds for its answer (deadline 10 s); returns that answer. */
export async function until<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
): Promise<T> {
  let last: T | undefined;
  await waitFor(
    async () => {
      last = await read();
      return accept(last);
    },
    what,
    10_000,
  );
  return last as T;
}

// A CommonJS module whose exports are the function, with the function also as `default`.
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule.default }).default;

/** The text a PNG QR code holds. */
export function decodeQr(png: Uint8Array): string | undefined {
  const image = PNG.sync.read(Buffer.from(png));
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/** One request a webhook receiver got. */
export interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: { trigger: string; data: Json };
}

/** A webhook receiver on a real port that records every delivery and answers 200. */
export class WebhookReceiver {
  readonly received: Delivery[] = [];
  #server: Server | undefined;

  /** The URL to configure as the target. */
  url = '';

  /** Opens a free port. */
  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    this.#server = server;
  }

  /** Closes the port. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
