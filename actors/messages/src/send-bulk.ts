import {
  addressOfToken,
  type DeviceCaller,
  loadStandings,
  type OutboxEntry,
  quotaExceeded,
  quotasFor,
} from '@enmesh/actor-kit';
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
import { type EntityManager, In } from 'typeorm';
import type { MessagesDeps } from './context.js';
import {
  MessageEntity,
  MessageRecipientEntity,
  type MessageRecipientRow,
  type MessageRow,
} from './entities.js';

type Answer = ResponseOf<'sendMessage'>;

/** One send of a batch. */
export interface BatchItem {
  readonly caller: DeviceCaller;
  readonly request: RequestOf<'sendMessage'>;
  readonly tokens: readonly string[];
}

/**
 * Relationship states over which a message of each kind may travel (as in Enmeshed): content needs an Active
 * relationship; a notification may also go over a Terminated one.
 */
const allowedStates: Record<string, readonly string[]> = {
  [MessageKind.content]: [RelationshipStatus.active],
  [MessageKind.notification]: [RelationshipStatus.active, RelationshipStatus.terminated],
};

const pair = (a: string, b: string) => `${a}|${b}`;

/** Rows per INSERT, well under SQLite's and PostgreSQL's limits on bound parameters. */
const insertChunk = 200;

async function insertChunked<T extends object>(
  manager: EntityManager,
  target: typeof MessageEntity | typeof MessageRecipientEntity,
  rows: T[],
) {
  for (let at = 0; at < rows.length; at += insertChunk) {
    await manager.getRepository(target).insert(rows.slice(at, at + insertChunk) as never);
  }
}

/**
 * Stores a batch of sends in the caller's transaction with a constant number of statements: one read each
 * for stored ids, relationships and unreceived counts, then multi-row inserts. The rules are exactly those
 * of `storeMessage`, applied to the messages in arrival order (a retry within the batch answers like a
 * retry; each accepted message counts against the cap of the next). Returns one outcome per item.
 *
 * Read-only coupling: reads the relationships actor's table `relationships` (columns `fromToken`,
 * `toToken`, `status`, `decomposedBy`), as `storeMessage` does, and the senders' standing (tier, deletion)
 * from `identities` through the kit.
 */
export async function storeBatch(
  deps: MessagesDeps,
  m: EntityManager,
  items: readonly BatchItem[],
  now: number,
  enqueue: (entries: OutboxEntry[]) => Promise<void>,
): Promise<({ answer: Answer } | { error: ProtocolError })[]> {
  const host = deps.settings.backboneHost;
  const ids = [...new Set(items.map((item) => item.request.id))];
  const senders = [...new Set(items.map((item) => item.caller.identityToken))];

  const stored = new Map<string, { sender: string; answer: Answer }>();
  const existing = await m.getRepository(MessageEntity).findBy({ id: In(ids) });
  if (existing.length > 0) {
    const recipients = await m
      .getRepository(MessageRecipientEntity)
      .find({ where: { messageId: In(existing.map((row) => row.id)) }, order: { position: 'ASC' } });
    for (const row of existing) {
      const answer = {
        id: row.id,
        createdAt: new Date(row.createdAt).toISOString(),
        recipients: recipients
          .filter((r) => r.messageId === row.id)
          .map((r) => addressOfToken(host, r.recipientToken)),
      };
      stored.set(row.id, { sender: row.senderToken, answer });
    }
  }

  const relations = new Map<string, string>();
  const related = await m
    .createQueryBuilder()
    .select('rel."fromToken"', 'fromToken')
    .addSelect('rel."toToken"', 'toToken')
    .addSelect('rel.status', 'status')
    .from('relationships', 'rel')
    .where('rel."decomposedBy" IS NULL')
    .andWhere('rel.status IN (:...states)', {
      states: [RelationshipStatus.active, RelationshipStatus.terminated],
    })
    .andWhere('(rel."fromToken" IN (:...senders) OR rel."toToken" IN (:...senders))', { senders })
    .getRawMany<{ fromToken: string; toToken: string; status: string }>();
  for (const row of related) {
    relations.set(pair(row.fromToken, row.toToken), row.status);
    relations.set(pair(row.toToken, row.fromToken), row.status);
  }

  const unreceived = new Map<string, number>();
  const counts = await m
    .getRepository(MessageRecipientEntity)
    .createQueryBuilder('r')
    .select('r.senderToken', 'senderToken')
    .addSelect('r.recipientToken', 'recipientToken')
    .addSelect('COUNT(*)', 'unreceived')
    .where('r.senderToken IN (:...senders)', { senders })
    .andWhere('r.receivedAt IS NULL')
    .groupBy('r.senderToken')
    .addGroupBy('r.recipientToken')
    .getRawMany<{ senderToken: string; recipientToken: string; unreceived: string | number }>();
  for (const row of counts) unreceived.set(pair(row.senderToken, row.recipientToken), Number(row.unreceived));

  const standings = await loadStandings(m, senders);
  // Messages per sender in the last hour, and the oldest of them (when room frees up again).
  const hourAgo = now - 3_600_000;
  const sentLastHour = new Map<string, { count: number; oldest: number }>();
  const recent = await m
    .getRepository(MessageEntity)
    .createQueryBuilder('msg')
    .select('msg.senderToken', 'senderToken')
    .addSelect('COUNT(*)', 'sent')
    .addSelect('MIN(msg.createdAt)', 'oldest')
    .where('msg.senderToken IN (:...senders)', { senders })
    .andWhere('msg.createdAt > :hourAgo', { hourAgo })
    .groupBy('msg.senderToken')
    .getRawMany<{ senderToken: string; sent: string | number; oldest: string | number }>();
  for (const row of recent)
    sentLastHour.set(row.senderToken, { count: Number(row.sent), oldest: Number(row.oldest) });

  const messages: MessageRow[] = [];
  const recipientRows: MessageRecipientRow[] = [];
  const entries: OutboxEntry[] = [];
  const shards = deps.settings.shardCount;
  const limit = Limits.unreceivedMessagesPerSender;
  const outcomes = items.map((item): { answer: Answer } | { error: ProtocolError } => {
    const { caller, request, tokens } = item;
    const sender = caller.identityToken;
    const previous = stored.get(request.id);
    if (previous) {
      return previous.sender === sender
        ? { answer: previous.answer }
        : {
            error: new ProtocolError(
              ErrorCodes.messageIdInUse,
              'another identity sent a message with this id',
            ),
          };
    }
    const rate = sentLastHour.get(sender) ?? { count: 0, oldest: now };
    const perHour = quotasFor(deps.settings.quotas, standings.get(sender)).messagesPerHour;
    if (rate.count >= perHour) {
      return {
        error: quotaExceeded('messagesPerHour', perHour, perHour > 0 ? rate.oldest + 3_600_000 : undefined),
      };
    }
    const states = allowedStates[request.kind] ?? [];
    const unrelated = tokens.find((token) => !states.includes(relations.get(pair(sender, token)) ?? ''));
    if (unrelated !== undefined) {
      const recipient = addressOfToken(host, unrelated);
      return {
        error: new ProtocolError(ErrorCodes.messageNoRelationship, 'no relationship allows this message', {
          details: { recipient },
        }),
      };
    }
    const full = tokens.find((token) => (unreceived.get(pair(sender, token)) ?? 0) >= limit);
    if (full !== undefined) {
      return {
        error: new ProtocolError(
          ErrorCodes.messageTooManyUnreceived,
          'too many of your messages to this recipient are not yet received',
          { details: { recipient: addressOfToken(host, full), limit } },
        ),
      };
    }
    for (const token of tokens)
      unreceived.set(pair(sender, token), (unreceived.get(pair(sender, token)) ?? 0) + 1);
    sentLastHour.set(sender, { count: rate.count + 1, oldest: rate.oldest });
    messages.push({
      id: request.id,
      senderToken: sender,
      senderDevice: caller.deviceKey,
      kind: request.kind,
      createdAt: now,
      envelopeBytes: Math.floor((request.envelope.length * 3) / 4),
      recipientCount: tokens.length,
    });
    for (const [position, recipientToken] of tokens.entries()) {
      recipientRows.push({
        messageId: request.id,
        recipientToken,
        position,
        senderToken: sender,
        receivedAt: null,
      });
    }
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
    for (const token of tokens) {
      entries.push({
        subject: mailboxSubject(token, shards),
        msgId: `msg:${request.id}:${token}`,
        headers: { [mailboxTypeHeader]: MailboxEntryType.messageReceived },
        payload: JSON.stringify({ '@type': MailboxEntryType.messageReceived, message }),
      });
    }
    entries.push({
      subject: mailboxSubject(sender, shards),
      msgId: `msg:${request.id}:sent`,
      headers: { [mailboxTypeHeader]: MailboxEntryType.messageSent },
      payload: JSON.stringify({
        '@type': MailboxEntryType.messageSent,
        message: request.senderCopy ? { ...message, senderCopy: request.senderCopy } : message,
      }),
    });
    const answer = { id: request.id, createdAt: message.createdAt, recipients: message.recipients };
    stored.set(request.id, { sender, answer });
    return { answer };
  });
  await insertChunked(m, MessageEntity, messages);
  await insertChunked(m, MessageRecipientEntity, recipientRows);
  for (let at = 0; at < entries.length; at += insertChunk) await enqueue(entries.slice(at, at + insertChunk));
  return outcomes;
}
