import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { accountKeys, appAccountJwt, operatorJwt, sysAccountJwt } from './accounts.js';
import type { BrokerSecrets } from './secrets.js';
import { type BrokerSettings, filesStreamBytes, mailboxStreamBytes } from './settings.js';

/** Paths of the files broker-config writes under the data directory. */
export function brokerPaths(dataDir: string) {
  const dir = join(dataDir, 'broker');
  return {
    dir,
    config: join(dir, 'nats-server.conf'),
    operatorJwt: join(dir, 'operator.jwt'),
    resolverDir: join(dir, 'jwt'),
    /** nats-server appends `jetstream/` to the store directory it is given. */
    jetStreamStoreDir: dataDir,
    layout: join(dir, 'layout.json'),
  };
}

/** Extra streams besides the mailbox shards that the APP account may hold (files, events, …). */
const otherStreams = 16;

/** The APP account's JetStream limits for these settings. */
export function appLimits(settings: BrokerSettings) {
  return {
    diskStorageBytes: settings.jetStreamMaxFileBytes,
    memStorageBytes: settings.jetStreamMaxMemoryBytes,
    streams: settings.shardCount + otherStreams,
    consumersPerStream: 100_000,
    maxStreamBytes: Math.max(mailboxStreamBytes(settings), filesStreamBytes(settings), 64 * 1024 * 1024),
  };
}

/**
 * Renders the nats-server configuration: operator mode with the full resolver, SYS and APP preloaded. DEV is
 * not preloaded: it is pushed at run time with its revocation list, and a preload (re-signed at every start)
 * would replace the stored, revoking version until the next push.
 */
export async function renderServerConfig(settings: BrokerSettings, secrets: BrokerSecrets): Promise<string> {
  const paths = brokerPaths(settings.dataDir);
  const keys = accountKeys(secrets);
  const [sys, app] = await Promise.all([sysAccountJwt(secrets), appAccountJwt(secrets, appLimits(settings))]);
  return [
    '# Written by broker-config at every start; edit the settings, not this file.',
    'server_name: enmesh',
    `listen: "${settings.host}:${settings.port}"`,
    `http: "${settings.host}:${settings.httpPort}"`,
    'max_payload: 1MB',
    `max_connections: ${settings.maxConnections}`,
    'jetstream {',
    `  store_dir: ${JSON.stringify(paths.jetStreamStoreDir)}`,
    `  max_mem: ${settings.jetStreamMaxMemoryBytes}`,
    `  max_file: ${settings.jetStreamMaxFileBytes}`,
    '}',
    `operator: ${JSON.stringify(paths.operatorJwt)}`,
    `system_account: ${keys.sys}`,
    'resolver: {',
    '  type: full',
    `  dir: ${JSON.stringify(paths.resolverDir)}`,
    '  allow_delete: false',
    '  interval: "2m"',
    '}',
    'resolver_preload: {',
    `  ${keys.sys}: ${sys}`,
    `  ${keys.app}: ${app}`,
    '}',
    '',
  ].join('\n');
}

/** Writes the operator JWT and the server config; returns the config's path. */
export async function writeServerConfig(settings: BrokerSettings, secrets: BrokerSecrets): Promise<string> {
  const paths = brokerPaths(settings.dataDir);
  await mkdir(paths.resolverDir, { recursive: true, mode: 0o700 });
  await writeFile(paths.operatorJwt, await operatorJwt(secrets), { mode: 0o600 });
  await writeFile(paths.config, await renderServerConfig(settings, secrets), { mode: 0o600 });
  return paths.config;
}
