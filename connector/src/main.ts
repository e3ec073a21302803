import { readFileSync } from 'node:fs';
import { runIdentityCommand } from './cli.js';
import { loadConfig } from './config/load.js';
import { redactConfig } from './config/redact.js';
import { Connector } from './connector.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';

/**
 * The connector process: loads the configuration from the environment (and `CUSTOM_CONFIG_LOCATION`), then
 * runs the command: `start` (the default) starts the connector and stops it gracefully on SIGTERM or SIGINT;
 * `identity status` and `identityDeletion init|cancel` act on the identity and exit. Invalid settings are
 * listed and the process exits with status 1.
 */
async function main(): Promise<void> {
  const [command = 'start', ...args] = process.argv.slice(2);
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ env: process.env, cwd: process.cwd() });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  const logger = createLogger(config.logging.level);
  logger.debug({ config: redactConfig(config) }, 'configuration');
  if (command !== 'start') {
    process.exitCode = await runIdentityCommand([command, ...args], config, {
      logger,
      cwd: process.cwd(),
      out: (text) => process.stdout.write(`${text}\n`),
      err: (text) => process.stderr.write(`${text}\n`),
    }).catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    });
    return;
  }
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const connector = await Connector.start(config, {
    logger,
    version: {
      version: pkg.version,
      build: process.env.BUILD_NUMBER ?? 'dev',
      commit: process.env.COMMIT_HASH ?? 'unknown',
      // Without a build date (a development run) the start of this process stands in for it.
      date: process.env.BUILD_DATE ?? new Date(Date.now() - process.uptime() * 1000).toISOString(),
    },
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    connector.close().catch((error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exitCode = 1;
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

await main();
