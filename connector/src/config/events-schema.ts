import { z } from 'zod';
import { bool, int, jsonObject, list } from './coerce.js';

/** An event name (`transport.messageReceived`) or a trigger pattern with `*` / `**` segments. */
export const triggerPattern = /^(\*\*|\*|[A-Za-z0-9_-]+)(\.(\*\*|\*|[A-Za-z0-9_-]+))*$/;

const httpUrlTemplate = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value.replaceAll('{{trigger}}', 'trigger'));
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL (it may contain {{trigger}})');

const headers = z
  .record(z.string().min(1).max(200), z.string().max(8000))
  .refine((h) => Object.keys(h).length <= 50, {
    message: 'at most 50 headers',
  });

const target = z
  .object({
    url: httpUrlTemplate,
    headers: headers.default({}),
    authentication: z
      .object({
        type: z.literal('ApiKey'),
        apiKey: z.string().min(1),
        headerName: z.string().min(1).max(200).default('x-api-key'),
      })
      .optional(),
    /** Overrides `modules.webhooks.signingSecret` for this target. */
    signingSecret: z.string().min(32).optional(),
  })
  // Strict: an OAuth2 `authenticationProvider` we do not support must fail loudly, not send unauthenticated.
  .strict();

/** One webhook target: a URL template, headers and optional authentication. */
export type WebhookTargetSettings = z.output<typeof target>;

const webhook = z.object({
  /** A stable name for the webhook's delivery queue; derived from target and triggers when absent. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/)
    .optional(),
  triggers: list(z.string().regex(triggerPattern, 'must be an event name or pattern'), 100).refine(
    (t) => t.length > 0,
    'at least one trigger',
  ),
  target: z.union([z.string().min(1), target]),
});

/** `modules.webhooks`: the Enmeshed webhooks module's settings, with durable delivery limits of our own. */
export const webhooksSchema = z
  .object({
    enabled: bool().default(false),
    skipTlsCheck: bool().default(false),
    /** Key of the `X-Enmesh-Signature` HMAC; without it deliveries are not signed. */
    signingSecret: z.string().min(32).optional(),
    targets: z
      .record(z.string().min(1).max(100), target)
      .refine((t) => Object.keys(t).length <= 100, 'at most 100 targets')
      .default({}),
    webhooks: list(webhook, 100).default([]),
    delivery: z
      .object({
        maxAttempts: int(1, 1000).default(10),
        initialBackoffMs: int(10, 3_600_000).default(1000),
        maxBackoffMs: int(10, 86_400_000).default(600_000),
        timeoutMs: int(100, 300_000).default(10_000),
        pollIntervalMs: int(10, 600_000).default(5000),
        maxResponseBytes: int(0, 10 * 1024 ** 2).default(64 * 1024),
      })
      .prefault({}),
  })
  .loose();

const natsAuth = {
  credsFile: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  pass: z.string().min(1).optional(),
  token: z.string().min(1).optional(),
};

/** `events`: the event log and the channels beside webhooks. */
export const eventsSchema = z
  .object({
    /** Largest event payload (JSON) the log accepts, in bytes. */
    maxDataBytes: int(1024, 64 * 1024 ** 2).default(1024 ** 2),
    /** Largest page of events read at once (REST, SSE, NATS publisher). */
    readBatchSize: int(1, 10_000).default(100),
    nats: jsonObject(
      z
        .object({
          enabled: bool().default(false),
          servers: list(z.string().min(1), 20).default(['nats://127.0.0.1:4222']),
          ...natsAuth,
          subjectPrefix: z
            .string()
            .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/)
            .default('enmesh.connector'),
          streamName: z
            .string()
            .regex(/^[A-Za-z0-9_-]{1,100}$/)
            .default('ENMESH_CONNECTOR_EVENTS'),
          streamMaxAgeSeconds: int(0, 10 * 365 * 86_400).default(30 * 86_400),
          streamMaxBytes: int(1024 ** 2, 2 ** 50).default(1024 ** 3),
          streamReplicas: int(1, 5).default(1),
          duplicateWindowMs: int(1000, 86_400_000).default(120_000),
          retryInitialMs: int(10, 600_000).default(500),
          retryMaxMs: int(10, 3_600_000).default(30_000),
          pollIntervalMs: int(10, 600_000).default(5000),
        })
        .prefault({}),
    ).prefault({}),
    /** How long the SQL log keeps events and finished deliveries (0: forever), pruned in batches. */
    retention: z
      .object({
        days: int(0, 3650).default(30),
        intervalMs: int(1000, 86_400_000).default(3_600_000),
        batchSize: int(1, 100_000).default(1000),
      })
      .prefault({}),
    sse: z
      .object({
        enabled: bool().default(false),
        maxConnections: int(1, 100_000).default(100),
        keepAliveMs: int(1000, 600_000).default(15_000),
      })
      .prefault({}),
  })
  .strict();

/**
 * `transportLibrary`: the identity this connector runs through the SDK runtime and how it reaches the
 * backbone. The device signs in with its own keys; the bootstrap credentials only create the identity on the
 * first start.
 */
export const transportSchema = z
  .object({
    /** Run the identity (the domain routes need it); off only for a connector that serves its event log. */
    enabled: bool().default(true),
    servers: list(z.string().min(1), 20).default(['nats://127.0.0.1:4222']),
    /** The backbone's `bootstrap.creds` (public), needed to create the identity. */
    bootstrapCredsFile: z.string().min(1).optional(),
    /** Device secrets and relationship keys (files of mode 0600); default `<database.folder>/<dbName>-keys`. */
    keysFolder: z.string().min(1).optional(),
    /** The runtime's name for the account (the connector holds one). */
    accountName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64')
      .default('default'),
    /** The first device's name, given when the identity is created. */
    deviceName: z.string().min(1).max(100).optional(),
    ...natsAuth,
    timeoutMs: int(100, 600_000).default(10_000),
  })
  .loose();
