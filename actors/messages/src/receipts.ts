import type { DeviceCaller } from '@enmesh/actor-kit';
import type { RequestOf, ResponseOf } from '@enmesh/protocol';
import { In, IsNull } from 'typeorm';
import type { MessagesDeps } from './context.js';
import { MessageRecipientEntity } from './entities.js';

/**
 * Records that the caller's identity received messages: each such message stops counting against its
 * sender's unreceived cap. Ids of messages the caller did not receive, or already confirmed, are ignored.
 */
export async function receiptMessages(
  deps: MessagesDeps,
  caller: DeviceCaller,
  request: RequestOf<'receiptMessages'>,
): Promise<ResponseOf<'receiptMessages'>> {
  const now = deps.clock();
  await deps.store.run((m) =>
    m
      .getRepository(MessageRecipientEntity)
      .update(
        { messageId: In(request.ids), recipientToken: caller.identityToken, receivedAt: IsNull() },
        { receivedAt: now },
      ),
  );
  return { ok: true };
}
