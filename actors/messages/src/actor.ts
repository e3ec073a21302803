import { type Actor, type DeviceCaller, defineActor, type HandlerContext } from '@enmesh/actor-kit';
import { ErrorCodes, errorBody, ProtocolError } from '@enmesh/protocol';
import { type FindOptionsWhere, In, LessThan } from 'typeorm';
import type { MessagesDeps } from './context.js';
import {
  MessageEntity,
  MessageRecipientEntity,
  type MessageRow,
  MessageSendCountEntity,
} from './entities.js';
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

/**
 * How long a message recorded but not confirmed published waits for its sender's retry before housekeeping
 * removes it (the sender's client retries within seconds; one that comes back later sends it anew).
 */
export const unpublishedLifetimeMs = 10 * 60 * 1000;

/** Messages removed per housekeeping transaction. */
const housekeepingBatch = 500;

/** The messages actor: sends sealed messages to recipient mailboxes and takes receipts. */
export function createMessagesActor(deps: MessagesDeps): Actor & { housekeep(): Promise<void> } {
  const sends = new SendBatcher(deps);
  const actor = defineActor({
    name: 'messages',
    handlers: {
      sendMessage: (request, context) => sends.send(device(context), request),
      sendMessages: async (request, context) => {
        const outcomes = await sends.sendAll(device(context), request.messages);
        return {
          results: outcomes.map((outcome) => {
            if ('answer' in outcome) return { result: outcome.answer };
            if (ProtocolError.isProtocolError(outcome.error)) return { error: errorBody(outcome.error) };
            context.log.error({ err: (outcome.error as Error).message }, 'message send failed');
            return { error: errorBody(new ProtocolError(ErrorCodes.internal, 'internal error')) };
          }),
        };
      },
      receiptMessages: (request, context) => receiptMessages(deps, device(context), request),
    },
  });
  const housekeep = async () => {
    // Send counts older than the hourly quota's window (61 minutes) count for nothing any more.
    const oldestCountedMinute = Math.floor(deps.clock() / 60_000) - 61;
    await deps.store.run((m) =>
      m.getRepository(MessageSendCountEntity).delete({ minute: LessThan(oldestCountedMinute) }),
    );
    const now = deps.clock();
    // A send recorded but never confirmed published whose sender did not come back: its rows would keep
    // counting against the sender's unreceived cap. A retry after this sends it anew.
    await removeMessages({ published: false, createdAt: LessThan(now - unpublishedLifetimeMs) });
    await removeMessages({ createdAt: LessThan(now - messageRetentionMs) });
  };
  /** Removes the messages matching `where` with their recipient rows, in batches. */
  const removeMessages = async (where: FindOptionsWhere<MessageRow>) => {
    // In batches, so that a large backlog never makes one huge transaction.
    while (true) {
      const done = await deps.store.transaction(async (m) => {
        const old = await m
          .getRepository(MessageEntity)
          .find({ select: { id: true }, where, take: housekeepingBatch });
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
