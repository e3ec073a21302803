import { addressOfToken, type OutboxEntry } from '@enmesh/actor-kit';
import { MailboxEntryType, mailboxSubject, mailboxTypeHeader } from '@enmesh/protocol';
import type { MessagesDeps } from './context.js';
import type { AcceptedMessage, Refusal } from './send-bulk.js';

/**
 * The notice to a sender's devices that its message did not reach one recipient, because JetStream refused
 * the recipient's mailbox entry for good (a full mailbox). The message itself reached its other recipients
 * and is recorded, so this is how the sender learns. Undefined for the sender's own copy.
 */
export function undeliveredNotice(
  deps: MessagesDeps,
  message: AcceptedMessage,
  refusal: Refusal,
): OutboxEntry | undefined {
  const { id, senderToken } = message.message;
  const recipientToken = message.recipients.find(
    (recipient) => refusal.entry.msgId === `msg:${id}:${recipient.recipientToken}`,
  )?.recipientToken;
  if (recipientToken === undefined) return undefined;
  return {
    subject: mailboxSubject(senderToken, deps.settings.shardCount),
    msgId: `undelivered:${id}:${recipientToken}`,
    headers: { [mailboxTypeHeader]: MailboxEntryType.messageNotDelivered },
    payload: JSON.stringify({
      '@type': MailboxEntryType.messageNotDelivered,
      messageId: id,
      recipient: addressOfToken(deps.settings.backboneHost, recipientToken),
      // JetStream answers a full subject (discard new, per-subject limit) with "maximum messages per subject exceeded".
      reason: /maximum messages/i.test(refusal.error.message) ? 'mailboxFull' : 'refused',
      at: new Date(deps.clock()).toISOString(),
    }),
  };
}
