import { addressOfToken, type DeviceCaller } from '@enmesh/actor-kit';
import {
  type DeliveredMessage,
  ErrorCodes,
  Limits,
  MailboxEntryType,
  MessageKind,
  mailboxSubject,
  mailboxTypeHeader,
  ProtocolError,
  RelationshipStatus,
  type RequestOf,
  type ResponseOf,
} from '@enmesh/protocol';
import { type EntityManager, QueryFailedError } from 'typeorm';
import type { MessagesDeps } from './context.js';
import {
  MessageEntity,
  MessageRecipientEntity,
  type MessageRecipientRow,
  type MessageRow,
} from './entities.js';

type SendAnswer = ResponseOf<'sendMessage'>;

/**
 * Relationship states over which a message of each kind may travel (as in Enmeshed): content needs an Active
 * relationship; a notification may also go over a Terminated one.
 */
const allowedStates: Record<string, readonly string[]> = {
  [MessageKind.content]: [RelationshipStatus.active],
  [MessageKind.notification]: [RelationshipStatus.active, RelationshipStatus.terminated],
};

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
 * Checks that a relationship in an allowed state links the sender with every recipient.
 *
 * Read-only coupling: this reads the relationships actor's table `relationships` (columns `fromToken`,
 * `toToken`, `status`, `decomposedBy`) directly, through the query builder and without its entity, because
 * actors never import each other. It never writes there. A relationship is stored once, in the direction it
 * was requested (either way round here), and one that either party decomposed counts as none. A change to
 * that table must keep these four columns and their meaning. The host registers that actor's entity, so
 * TypeORM resolves the table name through its metadata (with its PostgreSQL schema).
 * @throws ProtocolError `error.messages.noRelationship` naming the first recipient without one.
 */
async function checkRelationships(
  deps: MessagesDeps,
  m: EntityManager,
  kind: string,
  sender: string,
  recipients: readonly string[],
): Promise<void> {
  const rows = await m
    .createQueryBuilder()
    .select('rel."fromToken"', 'fromToken')
    .addSelect('rel."toToken"', 'toToken')
    .from('relationships', 'rel')
    .where('rel."decomposedBy" IS NULL')
    .andWhere('rel.status IN (:...states)', { states: allowedStates[kind] ?? [] })
    .andWhere(
      '((rel."fromToken" = :sender AND rel."toToken" IN (:...recipients)) OR ' +
        '(rel."toToken" = :sender AND rel."fromToken" IN (:...recipients)))',
      { sender, recipients },
    )
    .getRawMany<{ fromToken: string; toToken: string }>();
  const related = new Set(rows.map((row) => (row.fromToken === sender ? row.toToken : row.fromToken)));
  const missing = recipients.find((token) => !related.has(token));
  if (missing !== undefined) throw noRelationship(addressOfToken(deps.settings.backboneHost, missing));
}

/**
 * Checks the anti-spam cap: per recipient, fewer unconfirmed messages from this sender than the limit.
 * Inside the send's transaction this is exact with SQLite (transactions run one at a time); with PostgreSQL
 * concurrent sends of one sender may pass it by at most their number, which is fine for a spam brake.
 * @throws ProtocolError `error.messages.tooManyUnreceived`.
 */
async function checkUnreceived(
  deps: MessagesDeps,
  m: EntityManager,
  sender: string,
  recipients: readonly string[],
): Promise<void> {
  const limit = Limits.unreceivedMessagesPerSender;
  const counts = await m
    .getRepository(MessageRecipientEntity)
    .createQueryBuilder('r')
    .select('r.recipientToken', 'recipientToken')
    .addSelect('COUNT(*)', 'unreceived')
    .where('r.senderToken = :sender', { sender })
    .andWhere('r.recipientToken IN (:...recipients)', { recipients })
    .andWhere('r.receivedAt IS NULL')
    .groupBy('r.recipientToken')
    .getRawMany<{ recipientToken: string; unreceived: string | number }>();
  const full = counts.find((row) => Number(row.unreceived) >= limit);
  if (full) {
    throw new ProtocolError(
      ErrorCodes.messageTooManyUnreceived,
      'too many of your messages to this recipient are not yet received',
      { details: { recipient: addressOfToken(deps.settings.backboneHost, full.recipientToken), limit } },
    );
  }
}

/** Size in bytes of base64url text without padding. */
function decodedLength(base64Url: string): number {
  return Math.floor((base64Url.length * 3) / 4);
}

/**
 * Stores one message inside the caller's transaction: answers a retry from what was stored, checks the
 * relationships and the unreceived cap, inserts the metadata and enqueues one MessageReceived entry per
 * recipient mailbox and one MessageSent entry for the sender's own devices. Every refusal is decided before
 * the first write, so a refused message leaves the transaction untouched.
 * @throws ProtocolError `error.messages.noRelationship|idInUse|tooManyUnreceived`.
 */
export async function storeMessage(
  deps: MessagesDeps,
  m: EntityManager,
  caller: DeviceCaller,
  request: RequestOf<'sendMessage'>,
  tokens: readonly string[],
  now: number,
): Promise<SendAnswer> {
  const host = deps.settings.backboneHost;
  const sender = caller.identityToken;
  const stored = await storedAnswer(deps, m, request.id, sender);
  if (stored) return stored;
  await checkRelationships(deps, m, request.kind, sender, tokens);
  await checkUnreceived(deps, m, sender, tokens);
  const row: MessageRow = {
    id: request.id,
    senderToken: sender,
    senderDevice: caller.deviceKey,
    kind: request.kind,
    createdAt: now,
    envelopeBytes: decodedLength(request.envelope),
    recipientCount: tokens.length,
  };
  // The message row first: a concurrent send with the same id waits on its key and then fails.
  await m.getRepository(MessageEntity).insert(row);
  await m.getRepository(MessageRecipientEntity).insert(
    tokens.map<MessageRecipientRow>((recipientToken, position) => ({
      messageId: request.id,
      recipientToken,
      position,
      senderToken: sender,
      receivedAt: null,
    })),
  );
  const message: DeliveredMessage = {
    id: request.id,
    sender: addressOfToken(host, sender),
    senderDevice: caller.deviceKey,
    createdAt: new Date(now).toISOString(),
    kind: request.kind,
    recipients: tokens.map((token) => addressOfToken(host, token)),
    envelope: request.envelope,
    attachments: request.attachments ?? [],
  };
  const shards = deps.settings.shardCount;
  await deps.outbox.enqueue(m, [
    ...tokens.map((token) => ({
      subject: mailboxSubject(token, shards),
      msgId: `msg:${request.id}:${token}`,
      headers: { [mailboxTypeHeader]: MailboxEntryType.messageReceived },
      payload: JSON.stringify({ '@type': MailboxEntryType.messageReceived, message }),
    })),
    {
      subject: mailboxSubject(sender, shards),
      msgId: `msg:${request.id}:sent`,
      headers: { [mailboxTypeHeader]: MailboxEntryType.messageSent },
      payload: JSON.stringify({
        '@type': MailboxEntryType.messageSent,
        message: request.senderCopy ? { ...message, senderCopy: request.senderCopy } : message,
      }),
    },
  ]);
  return { id: request.id, createdAt: message.createdAt, recipients: message.recipients };
}

/**
 * Sends one sealed message in a transaction of its own (see `storeMessage`), then publishes. The sender
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
    answer = await deps.store.transaction((m) => storeMessage(deps, m, caller, request, tokens, now));
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
