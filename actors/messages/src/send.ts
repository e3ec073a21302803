import { addressOfToken } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError } from '@enmesh/protocol';
import type { MessagesDeps } from './context.js';

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
