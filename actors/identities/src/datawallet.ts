import type { DeviceCaller } from '@enmesh/actor-kit';
import {
  MailboxEntryType,
  mailboxSubject,
  mailboxTypeHeader,
  type RequestOf,
  type ResponseOf,
} from '@enmesh/protocol';
import { type IdentitiesDeps, requireActiveCaller } from './context.js';

/**
 * Stores a device's sealed batch of datawallet modifications in its identity's mailbox, where every device
 * of the identity (the pushing one too) reads it in order. JetStream first, with no SQL: the mailbox is the
 * only copy, and the dedup id (identity + batch id) makes a repeated push land once.
 */
export async function pushDatawallet(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
  request: RequestOf<'pushDatawallet'>,
): Promise<ResponseOf<'pushDatawallet'>> {
  const { identity, device } = await requireActiveCaller(deps, caller);
  const sequence = await deps.publish({
    subject: mailboxSubject(identity.token, deps.settings.shardCount),
    msgId: `dw:${identity.token}:${request.id}`,
    headers: { [mailboxTypeHeader]: MailboxEntryType.datawalletModified },
    payload: JSON.stringify({
      '@type': MailboxEntryType.datawalletModified,
      id: request.id,
      device: device.id,
      sealed: request.sealed,
    }),
  });
  return { sequence };
}
