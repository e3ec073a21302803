import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BrokerSecrets, brokerConnector } from '@enmesh/broker-config';
import { createLogger } from './logger.js';
import { startBackboneRuntime } from './runtime.js';
import { loadStackSettings, SettingsError } from './settings.js';

/**
 * Runs the backbone's actors in a process of their own, against a broker that runs elsewhere (started by
 * `npm start` or a deployment) with the keys of the same data directory (`ENMESH_NATS_URL` names the server;
 * by default the local stack's). Several such processes share the work through queue groups.
 */
async function main(): Promise<number> {
  let settings: ReturnType<typeof loadStackSettings>;
  try {
    settings = loadStackSettings(process.env, process.cwd());
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const log = createLogger(settings.logLevel, process.stdout.isTTY === true);
  const secretsPath = join(settings.broker.dataDir, 'secrets', 'broker-keys.json');
  const secrets = JSON.parse(await readFile(secretsPath, 'utf8')) as BrokerSecrets;
  const url = process.env.ENMESH_NATS_URL || `nats://${settings.broker.host}:${settings.broker.port}`;
  const runtime = await startBackboneRuntime(
    settings,
    { secrets, ...brokerConnector(url, secrets) },
    { log },
  );
  console.log(`enmesh actors ready — nats: ${url}  health: ${runtime.healthUrl}/readyz`);
  const stop = (signal: string) => {
    console.log(`enmesh actors stopping (${signal})`);
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return new Promise<number>(() => undefined);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`enmesh actors could not start: ${error.message}`);
    process.exit(1);
  },
);
