import { z } from 'zod';
import { bool, int, jsonObject, list } from './coerce.js';

/**
 * An API key scope: colon-separated segments, each a name, `*` (any one segment) or `**` (any number of
 * segments), as the Enmeshed Connector defines them: `**`, `core:*`, `core:messages`, `monitoring:version`.
 */
export const scopePattern = /^(\*\*|\*|[A-Za-z0-9_-]+)(:(\*\*|\*|[A-Za-z0-9_-]+))*$/;

/**
 * The Enmeshed Connector's policy for configured API keys: at least 30 characters with two upper-case
 * letters, two lower-case letters, two digits and one special character.
 */
export const apiKeyPolicy = /^(?=(.*[A-Z]){2})(?=(.*[a-z]){2})(?=(.*[0-9]){2})(?=.*[!-/:-@[-`{-~]).{30,}$/;

const scope = z.string().regex(scopePattern, 'must be a scope like "core:messages", "core:*" or "**"');

const apiKeyEntry = z.object({
  key: z.string().regex(apiKeyPolicy, {
    message:
      'must be at least 30 characters with 2 upper-case letters, 2 lower-case letters, 2 digits and 1 special character',
  }),
  enabled: bool().default(true),
  description: z.string().max(500).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  scopes: list(scope, 100).default(['**']),
});

/** Settings of one API key, keyed by an id of the operator's choosing. */
export type ApiKeySettings = z.output<typeof apiKeyEntry>;

const jwtBearer = z
  .object({
    enabled: bool().default(false),
    /** Base URL of an OpenID provider: its discovery document yields the issuer and the JWKS URL. */
    issuerBaseURL: z.url().optional(),
    issuer: z.string().min(1).optional(),
    audience: z.string().min(1).optional(),
    jwksUri: z.url().optional(),
    /** A shared secret for HS256/384/512 tokens instead of a JWKS. */
    secret: z.string().min(32).optional(),
    tokenSigningAlg: z.string().min(2).max(10).optional(),
    clockToleranceSeconds: int(0, 300).default(5),
  })
  .loose();

const cors = z.object({
  origin: z.union([bool(), z.string().min(1), z.array(z.string().min(1)).max(100)]).default(false),
  methods: list(z.string().min(1), 20).optional(),
  allowedHeaders: list(z.string().min(1), 100).optional(),
  exposedHeaders: list(z.string().min(1), 100).optional(),
  credentials: bool().default(false),
  maxAge: int(0, 86_400).optional(),
});

/** `infrastructure.httpServer`: the REST server and its authentication. */
export const httpServerSchema = z
  .object({
    enabled: bool().default(true),
    port: int(0, 65_535).default(80),
    host: z.string().min(1).default('0.0.0.0'),
    /** Legacy single API key (Enmeshed before `authentication.apiKey.keys`); grants every scope. */
    apiKey: z.string().min(1).optional(),
    cors: jsonObject(cors).optional(),
    authentication: z
      .object({
        apiKey: z
          .object({
            enabled: bool().optional(),
            headerName: z.string().min(1).max(100).default('X-API-KEY'),
            keys: z.record(z.string().min(1).max(100), apiKeyEntry).default({}),
          })
          .prefault({}),
        jwtBearer: jwtBearer.prefault({}),
      })
      .loose()
      .prefault({}),
    /** Largest request body accepted, in bytes (Enmeshed: 2 MB of JSON). */
    bodyLimitBytes: int(1024, 100 * 1024 ** 2).default(2 * 1024 ** 2),
    /** Time a client has to send a whole request. */
    requestTimeoutMs: int(1000, 3_600_000).default(60_000),
    /** Time a stop waits for open requests before it closes their connections. */
    shutdownTimeoutMs: int(0, 600_000).default(10_000),
    /** Deadline of each `/health` check. */
    healthTimeoutMs: int(100, 60_000).default(5000),
    /** Where the `docs` link of an error points; the error code is appended as the fragment. */
    errorDocsBaseUrl: z.string().min(1).default('/docs'),
  })
  .loose();
