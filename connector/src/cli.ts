import type { Logger } from 'pino';
import type { ConnectorConfig } from './config/schema.js';
import { createIdentityRuntime, storedAccountAddress } from './identity/identity-runtime.js';

/** The commands besides `start`, as in the Enmeshed Connector's command line. */
export const cliUsage = `usage: connector [start]
       connector identity status
       connector identityDeletion init | cancel`;

/** Where a command writes: its JSON answer, and problems for people. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/**
 * Runs one command on the connector's identity and returns the process exit code (0 done, 1 failed, 2 bad
 * usage): `identity status` prints the identity, this device and a running deletion (without creating the
 * identity when there is none yet); `identityDeletion init` starts the deletion of the identity (it ends
 * after the backbone's grace period unless cancelled) and `identityDeletion cancel` cancels it; both print
 * the deletion process. Answers are JSON on `out`. Run it while the connector is stopped: both would
 * otherwise read the same mailbox.
 * @throws ConfigError when the identity's settings are incomplete.
 */
export async function runIdentityCommand(
  args: readonly string[],
  config: ConnectorConfig,
  options: CliOutput & { logger: Logger; cwd?: string },
): Promise<number> {
  const [command, action, ...rest] = args;
  const known =
    rest.length === 0 &&
    ((command === 'identity' && action === 'status') ||
      (command === 'identityDeletion' && (action === 'init' || action === 'cancel')));
  if (!known) {
    options.err(cliUsage);
    return 2;
  }
  const runtime = await createIdentityRuntime(config, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    logger: options.logger.child({ part: 'runtime' }),
  });
  try {
    const name = config.transportLibrary.accountName;
    if ((await storedAccountAddress(runtime, name)) === undefined) {
      if (command === 'identity') {
        options.out(JSON.stringify({ identity: null }));
        return 0;
      }
      options.err('There is no identity yet: start the connector once to create it.');
      return 1;
    }
    const account = await runtime.start();
    const service = account.transport.account;
    const signal = AbortSignal.timeout(config.transportLibrary.timeoutMs);
    if (command === 'identity') {
      const deletion = await service.getActiveIdentityDeletionProcess({ signal }).catch(() => undefined);
      options.out(
        JSON.stringify({
          identity: service.getIdentityInfo(),
          device: await service.getDeviceInfo({ signal }),
          identityDeletionProcess: deletion ?? null,
        }),
      );
      return 0;
    }
    const process =
      action === 'init'
        ? await service.initiateIdentityDeletionProcess({ signal })
        : await service.cancelIdentityDeletionProcess({ signal });
    options.out(JSON.stringify({ identityDeletionProcess: process }));
    return 0;
  } catch (error) {
    const coded = error as { code?: unknown; message?: unknown };
    options.err(typeof coded.code === 'string' ? `${coded.code}: ${String(coded.message)}` : String(error));
    return 1;
  } finally {
    await runtime.close();
  }
}
