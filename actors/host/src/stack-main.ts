import { spawnSync } from 'node:child_process';
import { assertPortFree, BrokerStartError, findNatsServer } from '@enmesh/broker-config';
import { type RunningConnector, startConnectorProcess } from './connector-process.js';
import { createLogger } from './logger.js';
import { loadStackSettings, SettingsError, type StackSettings } from './settings.js';
import { startStack } from './stack.js';

/**
 * `npm start`: the whole local stack in the foreground. Installs nats-server with apt-get when it is missing
 * and this runs as root; otherwise prints the command to run. Ctrl-C drains and stops everything.
 */
async function ensureNatsServer(settings: StackSettings): Promise<void> {
  try {
    await findNatsServer(settings.natsServerPath);
  } catch (error) {
    if (!(error instanceof BrokerStartError) || process.getuid?.() !== 0 || settings.natsServerPath)
      throw error;
    console.log('nats-server is missing; installing it with apt-get (running as root)…');
    for (const args of [['update'], ['install', '-y', 'nats-server']]) {
      const run = spawnSync('apt-get', args, {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (run.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
    }
  }
}

async function main(): Promise<number> {
  let settings: StackSettings;
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
  try {
    await ensureNatsServer(settings);
    // Checked first, so that a taken port stops the start before anything runs.
    if (settings.connectorPort > 0) {
      await assertPortFree('127.0.0.1', settings.connectorPort, 'ENMESH_CONNECTOR_PORT');
    }
    const stack = await startStack(settings, { log });
    let connector: RunningConnector | undefined;
    if (settings.connectorPort > 0) {
      try {
        connector = await startConnectorProcess({
          dataDir: settings.broker.dataDir,
          natsUrl: stack.natsUrl,
          bootstrapCredsPath: stack.bootstrapCredsPath,
          port: settings.connectorPort,
          logLevel: settings.logLevel,
          log,
        });
      } catch (error) {
        await stack.stop();
        throw error;
      }
    }
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`enmesh stopping (${signal}): draining actors and connections…`);
      (connector?.stop() ?? Promise.resolve())
        .then(() => stack.stop())
        .then(
          () => {
            console.log('enmesh stopped');
            process.exit(0);
          },
          (error: Error) => {
            log.error({ err: error.message }, 'stop failed');
            process.exit(1);
          },
        );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    const dbKind = settings.databaseUrl ? 'postgresql' : 'sqlite';
    console.log(
      `enmesh ready — nats: ${stack.natsUrl}  bootstrap creds: ${stack.bootstrapCredsPath}  ` +
        `health: ${stack.healthUrl}/readyz  database: ${dbKind}  data: ${settings.broker.dataDir}` +
        (connector ? `  connector: ${connector.url}/docs (X-API-KEY: ${connector.apiKey})` : ''),
    );
    return await new Promise<number>(() => undefined);
  } catch (error) {
    if (error instanceof BrokerStartError) {
      log.error({ code: error.code }, error.message);
      console.error(`enmesh could not start: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`enmesh could not start: ${error.message}`);
    process.exit(1);
  },
);
