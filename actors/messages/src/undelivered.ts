import { addressOfToken, type OutboxEntry } from '@enmesh/actor-kit';
import { MailboxEntryType, mailboxSubject, mailboxTypeHeader } from '@enmesh/protocol';
import type { MessagesDeps } from './context.js';
import { MessageEntity } from './entities.js';

/** A recipient's mailbox entry id: `msg:<message id>:<recipient token>` (the sender's copy ends in `:sent`). */
const recipientEntry = /^msg:(MSG[A-Za-z0-9]+):([a-f0-9]+)$/;

/**
 * Tells the sender's devices that a message did not reach one recipient, when JetStream refused the
 * recipient's mailbox entry for good (a full mailbox): the send was answered before the publish, so this
 * is how the sender learns. Entries that are not a recipient's message entry are ignored.
 * Returns whether a notice was enqueued.
 */
export async function reportUndelivered(
  deps: MessagesDeps,
  refused: Pick<OutboxEntry, 'msgId'>,
  error: Error,
): Promise<boolean> {
  const match = recipientEntry.exec(refused.msgId);
  if (!match) return false;
  const [, messageId, recipientToken] = match as unknown as [string, string, string];
  const host = deps.settings.backboneHost;
  const enqueued = await deps.store.transaction(async (m) => {
    const message = await m.getRepository(MessageEntity).findOneBy({ id: messageId });
    if (!message) return false;
    const notice: OutboxEntry = {
      subject: mailboxSubject(message.senderToken, deps.settings.shardCount),
      msgId: `undelivered:${messageId}:${recipientToken}`,
      headers: { [mailboxTypeHeader]: MailboxEntryType.messageNotDelivered },
      payload: JSON.stringify({
        '@type': MailboxEntryType.messageNotDelivered,
        messageId,
        recipient: addressOfToken(host, recipientToken),
        // JetStream answers a full subject (discard new, per-subject limit) with "maximum messages per subject exceeded".
        reason: /maximum messages/i.test(error.message) ? 'mailboxFull' : 'refused',
        at: new Date(deps.clock()).toISOString(),
      }),
    };
    await deps.outbox.enqueue(m, [notice]);
    return true;
  });
  if (enqueued) await deps.outbox.flush();
  return enqueued;
}
