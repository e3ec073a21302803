import { mailboxStreamName } from '@enmesh/protocol';
import { LessThanOrEqual, MoreThan } from 'typeorm';
import type { IdentitiesDeps } from './context.js';
import { RevocationEntity } from './entities.js';

/**
 * Pushes the complete current revocation list to the broker. Entries whose every possible JWT has expired
 * are pruned first, so the account JWT stays small. The list comes from SQL, so any replica (or a restart)
 * produces the same, complete list.
 */
export async function pushRevocations(deps: IdentitiesDeps): Promise<void> {
  const now = deps.clock();
  const rows = await deps.store.transaction(async (m) => {
    const repo = m.getRepository(RevocationEntity);
    await repo.delete({ expiresAt: LessThanOrEqual(now) });
    return repo.findBy({ expiresAt: MoreThan(now) });
  });
  await deps.broker.pushRevocations(
    Object.fromEntries(rows.map((row) => [row.deviceKey, row.revokedAtSeconds])),
  );
}

/**
 * Cuts a device off: records the revocation, deletes its mailbox consumer (it can read nothing from this
 * moment), then pushes the revocation, which disconnects it and refuses its JWT from then on.
 */
export async function revokeDeviceAccess(
  deps: IdentitiesDeps,
  deviceKey: string,
  shard: number,
): Promise<void> {
  const now = deps.clock();
  // Revocation is by JWT issue time with one-second resolution: a JWT issued in this very second is covered.
  const revokedAtSeconds = Math.floor(now / 1000);
  await deps.store.run((m) =>
    m
      .getRepository(RevocationEntity)
      .upsert({ deviceKey, revokedAtSeconds, expiresAt: now + deps.settings.deviceJwtLifetimeMs + 60_000 }, [
        'deviceKey',
      ]),
  );
  await deps.jsm.consumers.delete(mailboxStreamName(shard), deviceKey).catch(() => false);
  await pushRevocations(deps);
}
