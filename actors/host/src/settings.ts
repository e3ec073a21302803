import { resolve } from 'node:path';
import { type BrokerSettings, defaultBrokerSettings } from '@enmesh/broker-config';
import { Limits } from '@enmesh/protocol';

/** Every setting of the local stack; docs/settings.md documents each with its environment variable. */
export interface StackSettings {
  readonly broker: BrokerSettings;
  /** `postgres://…` for PostgreSQL; undefined for the SQLite file under the data directory. */
  readonly databaseUrl: string | undefined;
  readonly natsServerPath: string | undefined;
  /** Host part of identity addresses. */
  readonly backboneHost: string;
  readonly deviceJwtLifetimeMs: number;
  readonly mailboxInactiveMs: number;
  readonly devicesPerIdentity: number;
  /** Largest file a device may upload, in plaintext bytes. */
  readonly fileMaxBytes: number;
  /** Bootstrap rate limits: per client host and in total, requests per second and burst. */
  readonly bootstrapRate: { perHost: number; burstPerHost: number; global: number; burstGlobal: number };
  /** What each identity may hold or do. */
  readonly quotas: { tokens: number; templates: number; messagesPerHour: number };
  /** Port of the HTTP health and metrics endpoint; 0 picks a free one. */
  readonly healthPort: number;
  readonly logLevel: string;
}

/** A setting that could not be read; all such problems are reported together. */
export class SettingsError extends Error {
  readonly problems: readonly string[];

  /** Creates an error listing every invalid setting. */
  constructor(problems: readonly string[]) {
    super(`invalid settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the stack's settings from environment variables over the defaults, validating all of them and
 * reporting every problem at once.
 * @throws SettingsError listing each invalid variable.
 */
export function loadStackSettings(env: Env, cwd: string): StackSettings {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${text} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const text = (name: string, fallback: string, pattern?: RegExp): string => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    if (pattern && !pattern.test(value)) problems.push(`${name}=${value} is not valid (expected ${pattern})`);
    return value;
  };
  const base = defaultBrokerSettings;
  const broker: BrokerSettings = {
    dataDir: resolve(cwd, text('ENMESH_DATA_DIR', '.enmesh-data')),
    host: text('ENMESH_NATS_HOST', base.host),
    port: integer('ENMESH_NATS_PORT', base.port, 1, 65535),
    httpPort: integer('ENMESH_NATS_HTTP_PORT', base.httpPort, 1, 65535),
    shardCount: integer('ENMESH_MAILBOX_SHARDS', base.shardCount, 1, 1024),
    jetStreamMaxFileBytes: integer(
      'ENMESH_JETSTREAM_MAX_FILE_BYTES',
      base.jetStreamMaxFileBytes,
      64 * 1024 ** 2,
      2 ** 50,
    ),
    jetStreamMaxMemoryBytes: integer(
      'ENMESH_JETSTREAM_MAX_MEMORY_BYTES',
      base.jetStreamMaxMemoryBytes,
      16 * 1024 ** 2,
      2 ** 40,
    ),
    mailboxMaxAgeMs:
      integer('ENMESH_MAILBOX_MAX_AGE_DAYS', base.mailboxMaxAgeMs / 86_400_000, 1, 3650) * 86_400_000,
    mailboxMaxEntries: integer('ENMESH_MAILBOX_MAX_ENTRIES', base.mailboxMaxEntries, 100, 10_000_000),
    maxConnections: integer('ENMESH_NATS_MAX_CONNECTIONS', base.maxConnections, 10, 1_000_000),
    filesStoragePercent: integer('ENMESH_FILES_STORAGE_PERCENT', base.filesStoragePercent, 1, 20),
  };
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const settings: StackSettings = {
    broker,
    databaseUrl,
    natsServerPath: env.ENMESH_NATS_SERVER || undefined,
    backboneHost: text('ENMESH_BACKBONE_HOST', 'localhost', /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/),
    deviceJwtLifetimeMs: integer('ENMESH_DEVICE_JWT_LIFETIME_HOURS', 24, 1, 24 * 90) * 3_600_000,
    mailboxInactiveMs: integer('ENMESH_MAILBOX_INACTIVE_MINUTES', 60, 1, 24 * 60) * 60_000,
    devicesPerIdentity: integer('ENMESH_DEVICES_PER_IDENTITY', Limits.devicesPerIdentity, 1, 1000),
    fileMaxBytes: integer('ENMESH_FILE_MAX_BYTES', Limits.fileMaxBytes, 1024 ** 2, 2 ** 50),
    quotas: {
      tokens: integer('ENMESH_QUOTA_TOKENS', Limits.quotaTokens, 1, 10_000_000),
      templates: integer('ENMESH_QUOTA_TEMPLATES', Limits.quotaTemplates, 1, 10_000_000),
      messagesPerHour: integer('ENMESH_QUOTA_MESSAGES_PER_HOUR', Limits.quotaMessagesPerHour, 1, 10_000_000),
    },
    bootstrapRate: {
      perHost: integer('ENMESH_BOOTSTRAP_RATE_PER_HOST', Limits.bootstrapRatePerHost, 1, 1_000_000),
      burstPerHost: integer('ENMESH_BOOTSTRAP_BURST_PER_HOST', Limits.bootstrapBurstPerHost, 1, 1_000_000),
      global: integer('ENMESH_BOOTSTRAP_RATE_GLOBAL', Limits.bootstrapRateGlobal, 1, 1_000_000),
      burstGlobal: integer('ENMESH_BOOTSTRAP_BURST_GLOBAL', Limits.bootstrapBurstGlobal, 1, 1_000_000),
    },
    healthPort: integer('ENMESH_HEALTH_PORT', 18090, 0, 65535),
    logLevel: text('ENMESH_LOG_LEVEL', 'info', /^(fatal|error|warn|info|debug|trace|silent)$/),
  };
  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}
