import { resolve } from 'node:path';
import type { Quotas, QuotaTiers } from '@enmesh/actor-kit';
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
  /** Largest file a device may upload, in plaintext bytes. */
  readonly fileMaxBytes: number;
  /** Bootstrap rate limits: per client host and in total, requests per second and burst. */
  readonly bootstrapRate: { perHost: number; burstPerHost: number; global: number; burstGlobal: number };
  /** What each identity may hold or do, per tier (`basic` from the ENMESH_QUOTA_* settings). */
  readonly quotas: QuotaTiers;
  /** Time between starting an identity's deletion and the deletion. */
  readonly deletionGracePeriodMs: number;
  /** Port of the HTTP health and metrics endpoint; 0 picks a free one. */
  readonly healthPort: number;
  /** Port of the connector `npm start` runs (REST API on 127.0.0.1); 0 runs none. */
  readonly connectorPort: number;
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
    fileMaxBytes: integer('ENMESH_FILE_MAX_BYTES', Limits.fileMaxBytes, 1024 ** 2, 2 ** 50),
    quotas: quotaTiers(env, integer, problems),
    deletionGracePeriodMs:
      integer('ENMESH_DELETION_GRACE_DAYS', Limits.deletionGracePeriodDays, 0, 365) * 86_400_000,
    bootstrapRate: {
      perHost: integer('ENMESH_BOOTSTRAP_RATE_PER_HOST', Limits.bootstrapRatePerHost, 1, 1_000_000),
      burstPerHost: integer('ENMESH_BOOTSTRAP_BURST_PER_HOST', Limits.bootstrapBurstPerHost, 1, 1_000_000),
      global: integer('ENMESH_BOOTSTRAP_RATE_GLOBAL', Limits.bootstrapRateGlobal, 1, 1_000_000),
      burstGlobal: integer('ENMESH_BOOTSTRAP_BURST_GLOBAL', Limits.bootstrapBurstGlobal, 1, 1_000_000),
    },
    healthPort: integer('ENMESH_HEALTH_PORT', 18090, 0, 65535),
    connectorPort: integer('ENMESH_CONNECTOR_PORT', 18080, 0, 65535),
    logLevel: text('ENMESH_LOG_LEVEL', 'info', /^(fatal|error|warn|info|debug|trace|silent)$/),
  };
  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}

type ReadInteger = (name: string, fallback: number, min: number, max: number) => number;

const quotaNames: readonly (keyof Quotas)[] = [
  'tokens',
  'templates',
  'messagesPerHour',
  'relationships',
  'files',
  'storageBytes',
  'devices',
];

/**
 * The `basic` tier from ENMESH_QUOTA_* (ENMESH_DEVICES_PER_IDENTITY for devices), and further tiers from
 * ENMESH_QUOTA_TIERS, a JSON object of tier name → quotas that override `basic`,
 * e.g. `{"business":{"messagesPerHour":100000,"storageBytes":107374182400}}`.
 */
function quotaTiers(env: Env, integer: ReadInteger, problems: string[]): QuotaTiers {
  const max = 10_000_000;
  const basic: Quotas = {
    tokens: integer('ENMESH_QUOTA_TOKENS', Limits.quotaTokens, 1, max),
    templates: integer('ENMESH_QUOTA_TEMPLATES', Limits.quotaTemplates, 1, max),
    messagesPerHour: integer('ENMESH_QUOTA_MESSAGES_PER_HOUR', Limits.quotaMessagesPerHour, 1, max),
    relationships: integer('ENMESH_QUOTA_RELATIONSHIPS', Limits.quotaRelationships, 1, max),
    files: integer('ENMESH_QUOTA_FILES', Limits.quotaFiles, 1, max),
    storageBytes: integer('ENMESH_QUOTA_STORAGE_BYTES', Limits.quotaStorageBytes, 1024 ** 2, 2 ** 50),
    devices: integer('ENMESH_DEVICES_PER_IDENTITY', Limits.devicesPerIdentity, 1, 1000),
  };
  const tiers: Record<string, Quotas> = { basic };
  const text = env.ENMESH_QUOTA_TIERS;
  if (text === undefined || text === '') return { ...tiers, basic };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push('ENMESH_QUOTA_TIERS must be a JSON object of tier name → quotas');
    return { ...tiers, basic };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push('ENMESH_QUOTA_TIERS must be a JSON object of tier name → quotas');
    return { ...tiers, basic };
  }
  for (const [tier, overrides] of Object.entries(parsed)) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(tier)) {
      problems.push(`ENMESH_QUOTA_TIERS: tier name ${JSON.stringify(tier)} must match [a-z][a-z0-9-]{0,31}`);
      continue;
    }
    const quotas: Record<string, number> = { ...basic };
    for (const [name, value] of Object.entries((overrides ?? {}) as Record<string, unknown>)) {
      if (!quotaNames.includes(name as keyof Quotas)) {
        problems.push(`ENMESH_QUOTA_TIERS.${tier}.${name} is not a quota (${quotaNames.join(', ')})`);
      } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 50) {
        problems.push(`ENMESH_QUOTA_TIERS.${tier}.${name} must be an integer from 0 to 2^50`);
      } else {
        quotas[name] = value;
      }
    }
    tiers[tier] = quotas as unknown as Quotas;
  }
  return { ...tiers, basic };
}
