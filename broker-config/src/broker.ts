import { jetstreamManager } from '@nats-io/jetstream';
import { credsAuthenticator, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { actorUserCreds, bootstrapUserCreds, sysUserCreds } from './accounts.js';
import { applyFilesStream } from './files.js';
import { checkMailboxLayout } from './layout.js';
import { applyMailboxStreams } from './mailbox.js';
import {
  assertPortFree,
  findNatsServer,
  type NatsServerProcess,
  startNatsServer,
} from './nats-server-process.js';
import { type BrokerSecrets, loadOrCreateSecrets } from './secrets.js';
import { writeServerConfig } from './server-config.js';
import type { BrokerSettings } from './settings.js';

/** A running broker: the server process, its address, and credentials for the parts of the backbone. */
export interface RunningBroker {
  readonly settings: BrokerSettings;
  readonly secrets: BrokerSecrets;
  readonly url: string;
  readonly server: NatsServerProcess;
  /** The bootstrap user's credentials (public: they only allow registration and loading by id). */
  readonly bootstrapCreds: string;
  /** Connects as a fresh APP-account user (for actors and broker-config itself). */
  connectActor(name: string): Promise<NatsConnection>;
  /** Connects as the SYS user (account updates). */
  connectSys(): Promise<NatsConnection>;
  /** Stops the server gracefully. */
  stop(): Promise<void>;
  /**
   * Stops the server (killing it, like a crash, when `kill` is set) and starts it again on the same data,
   * after `whileDown` (if given) has run.
   */
  restartServer(options?: { kill?: boolean; whileDown?: () => Promise<void> }): Promise<void>;
}

/** Connects to a running broker of these secrets as an actor or as the SYS user. */
export function brokerConnector(url: string, secrets: BrokerSecrets) {
  const connectWith = async (creds: string, name: string) =>
    connect({
      servers: url,
      name,
      authenticator: credsAuthenticator(new TextEncoder().encode(creds)),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      // Async stack traces cost half of a client's CPU per request and publish (DESIGN §3).
      noAsyncTraces: true,
    });
  return {
    connectActor: async (name: string) => connectWith(await actorUserCreds(secrets, name), name),
    connectSys: async () => connectWith(await sysUserCreds(secrets), 'sys'),
  };
}

/** Options for starting the broker. */
export interface StartBrokerOptions {
  readonly natsServerPath?: string;
  readonly onLog?: (line: string) => void;
}

/**
 * Starts the stack's nats-server from the settings and applies the broker's resources: loads or creates the
 * secrets, writes the config, checks the ports, starts the process, waits for health, applies the streams.
 * A second start with the same data directory resumes the same keys, accounts and streams.
 * @throws BrokerStartError for a busy port, a missing binary or a server that does not come up.
 */
export async function startBroker(
  settings: BrokerSettings,
  options: StartBrokerOptions = {},
): Promise<RunningBroker> {
  const binary = await findNatsServer(options.natsServerPath);
  await assertPortFree(settings.host, settings.port, 'ENMESH_NATS_PORT');
  await assertPortFree(settings.host, settings.httpPort, 'ENMESH_NATS_HTTP_PORT');
  const secrets = await loadOrCreateSecrets(settings.dataDir);
  const configPath = await writeServerConfig(settings, secrets);
  await checkMailboxLayout(settings);
  const serverOptions = {
    binary,
    configPath,
    healthUrl: `http://${settings.host}:${settings.httpPort}/healthz`,
    ...(options.onLog ? { onLog: options.onLog } : {}),
  };
  let server = await startNatsServer(serverOptions);
  const url = `nats://${settings.host}:${settings.port}`;
  const { connectActor, connectSys } = brokerConnector(url, secrets);
  try {
    const admin = await connectActor('broker-config');
    try {
      const jsm = await jetstreamManager(admin);
      await applyMailboxStreams(jsm, settings);
      await applyFilesStream(jsm, settings);
    } finally {
      await admin.close();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    settings,
    secrets,
    url,
    get server() {
      return server;
    },
    bootstrapCreds: await bootstrapUserCreds(secrets),
    connectActor,
    connectSys,
    stop: () => server.stop(),
    async restartServer(restart = {}) {
      await (restart.kill ? server.kill() : server.stop());
      await restart.whileDown?.();
      server = await startNatsServer(serverOptions);
    },
  };
}
