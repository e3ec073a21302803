import { type Actor, type DeviceCaller, defineActor, type HandlerContext } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError } from '@enmesh/protocol';
import { In, LessThan } from 'typeorm';
import type { MessagesDeps } from './context.js';
import { MessageEntity, MessageRecipientEntity } from './entities.js';
import { receiptMessages } from './receipts.js';
import { SendBatcher } from './send-batcher.js';

function device(context: HandlerContext): DeviceCaller {
  if (context.caller.kind !== 'device')
    throw new ProtocolError(ErrorCodes.unauthorized, 'a device must call this');
  return context.caller;
}

/**
 * Message metadata is kept as long as mailboxes keep entries (their default max age, 90 days): after that
 * the message is gone from every mailbox, no longer counts against its sender's cap, and its id is free.
 */
export const messageRetentionMs = 90 * 24 * 3600 * 1000;

/** Messages removed per housekeeping transaction. */
const housekeepingBatch = 500;

/** The messages actor: sends sealed messages to recipient mailboxes and takes receipts. */
export function createMessagesActor(deps: MessagesDeps): Actor & { housekeep(): Promise<void> } {
  const sends = new SendBatcher(deps);
  const actor = defineActor({
    name: 'messages',
    handlers: {
      sendMessage: (request, context) => sends.send(device(context), request),
      receiptMessages: (request, context) => receiptMessages(deps, device(context), request),
    },
  });
  const housekeep = async () => {
    const before = deps.clock() - messageRetentionMs;
    // In batches, so that a large backlog never makes one huge transaction.
    while (true) {
      const done = await deps.store.transaction(async (m) => {
        const old = await m
          .getRepository(MessageEntity)
          .find({ select: { id: true }, where: { createdAt: LessThan(before) }, take: housekeepingBatch });
        if (old.length === 0) return true;
        const ids = old.map((row) => row.id);
        await m.getRepository(MessageRecipientEntity).delete({ messageId: In(ids) });
        await m.getRepository(MessageEntity).delete({ id: In(ids) });
        return old.length < housekeepingBatch;
      });
      if (done) return;
    }
  };
  return { ...actor, housekeep };
}
