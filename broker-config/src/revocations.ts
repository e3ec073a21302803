import type { NatsConnection } from '@nats-io/nats-core';
import { devAccountJwt } from './accounts.js';
import type { BrokerSecrets } from './secrets.js';

/**
 * Returns a function that pushes the DEV account JWT with the given revocation list to the server
 * (`$SYS.REQ.CLAIMS.UPDATE`, full resolver). A connected device whose key is revoked is disconnected at
 * once; its JWT is refused afterwards. The list is always complete, so the last push wins safely.
 */
export function devAccountPusher(secrets: BrokerSecrets, sys: NatsConnection) {
  return async (revocations: Readonly<Record<string, number>>): Promise<void> => {
    const jwt = await devAccountJwt(secrets, revocations);
    const reply = await sys.request('$SYS.REQ.CLAIMS.UPDATE', jwt, { timeout: 5000 });
    const answer = reply.json<{
      data?: { code?: number; message?: string };
      error?: { description?: string };
    }>();
    if (answer.data?.code !== 200) {
      throw new Error(
        `the account update was refused: ${answer.error?.description ?? answer.data?.message ?? 'no answer'}`,
      );
    }
  };
}
