import { z } from 'zod';
import { bool, int, list } from './coerce.js';
import { eventsSchema, transportSchema, webhooksSchema } from './events-schema.js';
import { httpServerSchema } from './http-schema.js';

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Every setting of a connector. The Enmeshed Connector's keys keep their names and meaning so an existing
 * deployment's file and environment carry over; settings we do not use (other modules, log4js appenders)
 * are accepted and ignored. `events` and the delivery limits are our own.
 */
export const connectorConfigSchema = z
  .object({
    debug: bool().default(false),
    database: z
      .object({
        /** PostgreSQL (`postgres://…`); without it a SQLite file `<folder>/<dbName>.sqlite`. */
        connectionString: z
          .string()
          .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
          .optional(),
        dbName: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, _ and -, at most 63')
          .default('default'),
        folder: z.string().min(1).default('./data'),
        /** PostgreSQL schema for the connector's tables (default: the connection's search path). */
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/)
          .optional(),
        poolSize: int(1, 100).default(10),
      })
      .loose()
      .prefault({}),
    transportLibrary: transportSchema.prefault({}),
    logging: z
      .object({ level: logLevel.default('info') })
      .loose()
      .prefault({}),
    infrastructure: z
      .object({ httpServer: httpServerSchema.prefault({}) })
      .loose()
      .prefault({}),
    modules: z
      .object({
        coreHttpApi: z
          .object({
            enabled: bool().default(true),
            docs: z
              .object({
                enabled: bool().default(true),
                /** Serve `/docs` and `/docs/json` without authentication. */
                public: bool().default(false),
              })
              .prefault({}),
          })
          .loose()
          .prefault({}),
        webhooks: webhooksSchema.prefault({}),
        /** The Enmeshed module of this name: accept relationship requests made with an own template. */
        autoAcceptPendingRelationships: z
          .object({ enabled: bool().default(false) })
          .loose()
          .prefault({}),
        /**
         * Our own: the decider's automation rules (`{request?, item?, response}` each, see
         * `connector/README.md`), applied to every incoming request; a request no rule decides waits for a
         * person. Checked when the connector starts.
         */
        decider: z
          .object({ automationRules: list(z.record(z.string(), z.unknown()), 200).default([]) })
          .loose()
          .prefault({}),
      })
      .loose()
      .prefault({}),
    events: eventsSchema.prefault({}),
  })
  .loose()
  .superRefine((config, ctx) => {
    const http = config.infrastructure.httpServer;
    const apiKey = http.authentication.apiKey;
    const keys = Object.entries(apiKey.keys);
    const apiKeyOn = apiKey.enabled ?? keys.length > 0;
    if (apiKey.enabled === true && keys.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['infrastructure', 'httpServer', 'authentication', 'apiKey', 'keys'],
        message: 'API key authentication is enabled but no key is configured',
      });
    }
    const seen = new Map<string, string>();
    for (const [id, entry] of keys) {
      const other = seen.get(entry.key);
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['infrastructure', 'httpServer', 'authentication', 'apiKey', 'keys', id, 'key'],
          message: `duplicates the key of "${other}"; every key must be unique`,
        });
      }
      seen.set(entry.key, id);
    }
    const jwt = http.authentication.jwtBearer;
    const jwtPath = ['infrastructure', 'httpServer', 'authentication', 'jwtBearer'];
    if (jwt.enabled && !jwt.secret && !jwt.jwksUri && !jwt.issuerBaseURL) {
      ctx.addIssue({ code: 'custom', path: jwtPath, message: 'needs secret, jwksUri or issuerBaseURL' });
    }
    if (jwt.enabled && !jwt.audience) {
      ctx.addIssue({ code: 'custom', path: [...jwtPath, 'audience'], message: 'is required' });
    }
    if (!http.apiKey && !(apiKeyOn && keys.some(([, k]) => k.enabled)) && !jwt.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['infrastructure', 'httpServer', 'authentication'],
        message: 'no authentication method: configure an API key (apiKey.keys) or jwtBearer',
      });
    }
    const webhooks = config.modules.webhooks;
    webhooks.webhooks.forEach((hook, index) => {
      if (typeof hook.target === 'string' && !(hook.target in webhooks.targets)) {
        ctx.addIssue({
          code: 'custom',
          path: ['modules', 'webhooks', 'webhooks', index, 'target'],
          message: `names no target in modules.webhooks.targets ("${hook.target}")`,
        });
      }
    });
    const nats = config.events.nats;
    if (nats.retryMaxMs < nats.retryInitialMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['events', 'nats', 'retryMaxMs'],
        message: 'below retryInitialMs',
      });
    }
    const delivery = webhooks.delivery;
    if (delivery.maxBackoffMs < delivery.initialBackoffMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['modules', 'webhooks', 'delivery', 'maxBackoffMs'],
        message: 'below initialBackoffMs',
      });
    }
  });

/** The validated configuration of a connector. */
export type ConnectorConfig = z.output<typeof connectorConfigSchema>;
