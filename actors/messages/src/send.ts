import { addressOfToken, type DeviceCaller } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError, type RequestOf, type ResponseOf } from '@enmesh/protocol';
import { type EntityManager, QueryFailedError } from 'typeorm';
import type { MessagesDeps } from './context.js';
import { MessageEntity, MessageRecipientEntity } from './entities.js';
import { storeBatch } from './send-bulk.js';

type SendAnswer = ResponseOf<'sendMessage'>;

const noRelationship = (recipient: string) =>
  new ProtocolError(ErrorCodes.messageNoRelationship, 'no relationship allows this message', {
    details: { recipient },
  });

/**
 * Returns the identity tokens of the recipients, in order: each an address of this backbone, none twice and
 * never the sender itself.
 * @throws ProtocolError `error.messages.noRelationship|duplicateRecipient|toSelf`.
 */
export function recipientTokens(deps: MessagesDeps, sender: string, recipients: readonly string[]): string[] {
  const prefix = addressOfToken(deps.settings.backboneHost, '');
  const tokens: string[] = [];
  for (const recipient of recipients) {
    // An identity of another backbone has no relationship stored here.
    if (!recipient.startsWith(prefix)) throw noRelationship(recipient);
    const token = recipient.slice(prefix.length);
    if (token === sender) {
      throw new ProtocolError(ErrorCodes.messageToSelf, 'an identity cannot message itself', {
        details: { recipient },
      });
    }
    if (tokens.includes(token)) {
      throw new ProtocolError(ErrorCodes.messageDuplicateRecipient, 'a recipient is named twice', {
        details: { recipient },
      });
    }
    tokens.push(token);
  }
  return tokens;
}

/**
 * Returns the answer stored for a message id, or undefined when no message has this id.
 * @throws ProtocolError `error.messages.idInUse` when another identity sent a message with this id.
 */
async function storedAnswer(
  deps: MessagesDeps,
  m: EntityManager,
  id: string,
  sender: string,
): Promise<SendAnswer | undefined> {
  const message = await m.getRepository(MessageEntity).findOneBy({ id });
  if (!message) return undefined;
  if (message.senderToken !== sender) {
    throw new ProtocolError(ErrorCodes.messageIdInUse, 'another identity sent a message with this id');
  }
  const recipients = await m
    .getRepository(MessageRecipientEntity)
    .find({ where: { messageId: id }, order: { position: 'ASC' } });
  return {
    id,
    createdAt: new Date(message.createdAt).toISOString(),
    recipients: recipients.map((row) => addressOfToken(deps.settings.backboneHost, row.recipientToken)),
  };
}

/**
 * Sends one sealed message in a transaction of its own (the rules are `storeBatch`'s), then publishes. The sender
 * chooses the id: a retry with the same id answers what was stored and publishes nothing new, even when the
 * two sends race (the primary key decides).
 * @throws ProtocolError `error.messages.noRelationship|duplicateRecipient|toSelf|idInUse|tooManyUnreceived`.
 */
export async function sendMessage(
  deps: MessagesDeps,
  caller: DeviceCaller,
  request: RequestOf<'sendMessage'>,
): Promise<ResponseOf<'sendMessage'>> {
  const tokens = recipientTokens(deps, caller.identityToken, request.recipients);
  const now = deps.clock();
  let answer: SendAnswer;
  try {
    const [outcome] = await deps.store.transaction((m) =>
      storeBatch(deps, m, [{ caller, request, tokens }], now, (entries) => deps.outbox.enqueue(m, entries)),
    );
    if (!outcome) throw new Error('no outcome for the message');
    if ('error' in outcome) throw outcome.error;
    answer = outcome.answer;
  } catch (error) {
    if (!(error instanceof QueryFailedError)) throw error;
    // A concurrent send with this id committed first: answer as a retry would (or idInUse).
    const stored = await deps.store.run((m) => storedAnswer(deps, m, request.id, caller.identityToken));
    if (!stored) throw error;
    return stored;
  }
  // The message is stored: a failed publish (a full mailbox, the broker away) is retried by the outbox
  // relay, which logs it, so the sender gets its answer either way and never resends.
  await deps.outbox.flush().catch(() => undefined);
  return answer;
}
