import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AutomationRule } from '@enmesh/consumption';
import { createRuntime, type Runtime, type RuntimeAccount, type RuntimeLogger } from '@enmesh/runtime';
import type { ConnectorConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';

/** The connector's identity: the runtime and the one account it holds. */
export interface IdentityRuntime {
  readonly runtime: Runtime;
  readonly account: RuntimeAccount;
}

/** Where the runtime keeps the identity's state, derived from the connector's settings. */
export function runtimeStorage(config: ConnectorConfig, cwd = '.') {
  const db = config.database;
  const folder = resolve(cwd, db.folder);
  return {
    keysFolder: resolve(cwd, config.transportLibrary.keysFolder ?? join(db.folder, `${db.dbName}-keys`)),
    // PostgreSQL: the runtime's tables (runtime_*) beside the connector's (connector_*), in the same schema.
    database: db.connectionString
      ? { databaseUrl: db.connectionString, ...(db.schema ? { postgresSchema: db.schema } : {}) }
      : { sqlitePath: join(folder, `${db.dbName}-runtime.sqlite`) },
  };
}

/**
 * Creates the SDK runtime for the connector's identity: opens its database (applying migrations) and its
 * key store; no account is opened yet.
 * @throws ConfigError when the bootstrap credentials cannot be read; errors of the database driver.
 */
export async function createIdentityRuntime(
  config: ConnectorConfig,
  options: { cwd?: string; logger: RuntimeLogger },
): Promise<Runtime> {
  const settings = config.transportLibrary;
  const cwd = options.cwd ?? '.';
  if (!settings.bootstrapCredsFile) {
    throw new ConfigError([
      { path: 'transportLibrary.bootstrapCredsFile', message: 'is required to run the identity' },
    ]);
  }
  const credsPath = resolve(cwd, settings.bootstrapCredsFile);
  let bootstrapCreds: string;
  try {
    bootstrapCreds = await readFile(credsPath, 'utf8');
  } catch (error) {
    throw new ConfigError([
      {
        path: 'transportLibrary.bootstrapCredsFile',
        message: `cannot read ${credsPath}: ${(error as Error).message}`,
      },
    ]);
  }
  const storage = runtimeStorage(config, cwd);
  return createRuntime({
    endpoint: { servers: [...settings.servers] },
    bootstrapCreds,
    ...storage.database,
    keyStore: storage.keysFolder,
    accountName: settings.accountName,
    ...(settings.deviceName ? { deviceName: settings.deviceName } : {}),
    deviceType: 'Connector',
    // The runtime checks the rules' shape when it starts (error.consumption.decider.invalidAutomationRule).
    automationRules: config.modules.decider.automationRules as unknown as AutomationRule[],
    autoAcceptRelationships: config.modules.autoAcceptPendingRelationships.enabled,
    logger: options.logger,
  });
}

/** The address of the account the runtime holds under `name`, or undefined before the first start. */
export async function storedAccountAddress(runtime: Runtime, name: string): Promise<string | undefined> {
  const row = (await runtime.store.dataSource
    .createQueryBuilder()
    .select('a.address', 'address')
    .from('runtime_accounts', 'a')
    .where('a.name = :name', { name })
    .getRawOne()) as { address: string } | undefined;
  return row?.address;
}

/**
 * Opens the connector's identity through the SDK runtime: its database, its keys, and the account, created
 * on the backbone on the first start (with the bootstrap credentials) and loaded afterwards. The account
 * starts applying its mailbox at once.
 * @throws ConfigError when the bootstrap credentials cannot be read; RuntimeError, ProtocolError or
 *   TransportError when the database or the backbone fails.
 */
export async function openIdentityRuntime(
  config: ConnectorConfig,
  options: { cwd?: string; logger: RuntimeLogger; signal?: AbortSignal },
): Promise<IdentityRuntime> {
  const runtime = await createIdentityRuntime(config, options);
  try {
    const account = await runtime.start(options.signal ? { signal: options.signal } : {});
    return { runtime, account };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
