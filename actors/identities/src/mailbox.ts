import type { DeviceCaller } from '@enmesh/actor-kit';
import { mailboxStreamName, mailboxSubject, type RequestOf, type ResponseOf } from '@enmesh/protocol';
import { type IdentitiesDeps, requireActiveCaller } from './context.js';
import { DeviceEntity } from './entities.js';

/**
 * Opens the caller's mailbox: (re)creates its consumer to start right after the cursor, the device's own if
 * it sends one, else the one the backbone kept. The consumer lives while the device pulls and is removed by
 * the server after the inactivity threshold, so offline devices cost the server nothing.
 */
export async function openMailbox(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
  request: RequestOf<'openMailbox'>,
): Promise<ResponseOf<'openMailbox'>> {
  const { identity, device } = await requireActiveCaller(deps, caller);
  const cursor = request.cursor ?? device.cursor;
  if (cursor !== device.cursor)
    await deps.store.run((m) => m.getRepository(DeviceEntity).update({ id: device.id }, { cursor }));
  const stream = mailboxStreamName(identity.shard);
  const config = deps.broker.deviceConsumerConfig({
    devicePublicKey: device.id,
    mailboxSubject: mailboxSubject(identity.token, deps.settings.shardCount),
    startSequence: cursor + 1,
    inactiveMs: deps.settings.mailboxInactiveMs,
  });
  // A consumer's start cannot be changed in place: replace it.
  await deps.jsm.consumers.delete(stream, device.id).catch(() => false);
  await deps.jsm.consumers.add(stream, config);
  return { stream, consumer: device.id, startSequence: cursor + 1 };
}

/** Stores the caller's cursor, so that the device can resume from the backbone's copy. */
export async function commitCursor(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
  request: RequestOf<'commitCursor'>,
): Promise<ResponseOf<'commitCursor'>> {
  const { device } = await requireActiveCaller(deps, caller);
  await deps.store.run((m) =>
    m.getRepository(DeviceEntity).update({ id: device.id }, { cursor: request.cursor }),
  );
  return { ok: true };
}
