import { addressOfToken, type DeviceCaller } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError, type RequestOf, type ResponseOf } from '@enmesh/protocol';
import { QueryFailedError } from 'typeorm';
import type { MessagesDeps } from './context.js';
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
  const attempt = async () => {
    const [outcome] = await deps.store.transaction((m) =>
      storeBatch(deps, m, [{ caller, request, tokens }], now, (entries) => deps.outbox.enqueue(m, entries)),
    );
    if (!outcome) throw new Error('no outcome for the message');
    if ('error' in outcome) throw outcome.error;
    return outcome.answer;
  };
  let answer: SendAnswer;
  try {
    answer = await attempt();
  } catch (error) {
    if (!(error instanceof QueryFailedError)) throw error;
    // A concurrent send with this id committed first: now the id exists, so the same rules answer as a
    // retry would (the stored answer, or idInUse for another sender).
    return attempt();
  }
  // The message is stored: a failed publish (a full mailbox, the broker away) is retried by the outbox
  // relay, which logs it, so the sender gets its answer either way and never resends.
  await deps.outbox.flush().catch(() => undefined);
  return answer;
}
