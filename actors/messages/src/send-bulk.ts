import {
  addressOfToken,
  addToCounters,
  type DeviceCaller,
  insertRows,
  loadStandings,
  type OutboxEntry,
  quotaExceeded,
  quotasFor,
  selectRows,
  updateWhereIn,
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
import type { EntityManager } from 'typeorm';
import type { MessagesDeps } from './context.js';
import {
  MessageEntity,
  MessageRecipientEntity,
  type MessageRecipientRow,
  type MessageRow,
  MessageSendCountEntity,
} from './entities.js';

type Answer = ResponseOf<'sendMessage'>;

/** One send of a batch. */
export interface BatchItem {
  readonly caller: DeviceCaller;
  readonly request: RequestOf<'sendMessage'>;
  readonly tokens: readonly string[];
}

/**
 * A message to publish: a new one the rules let through (its rows are to be written), or a stored one whose
 * entries were never confirmed published (a retry publishes them again); with the answer once published.
 */
export interface AcceptedMessage {
  readonly kind: 'accepted';
  /** False for a stored message published again. */
  readonly isNew: boolean;
  readonly answer: Answer;
  readonly message: MessageRow;
  readonly recipients: readonly MessageRecipientRow[];
  /** The recipients' entries (in recipient order), then the sender's copy. */
  readonly entries: readonly OutboxEntry[];
}

/** What the rules decide for one send of a batch. */
export type SendDecision =
  | AcceptedMessage
  /** A retry of a stored, published message: its stored answer (nothing is published again). */
  | { readonly kind: 'stored'; readonly answer: Answer }
  /** The same id as an earlier send of this batch: it shares that send's outcome. */
  | { readonly kind: 'repeat'; readonly of: number }
  | { readonly kind: 'refused'; readonly error: ProtocolError };

/**
 * Relationship states over which a message of each kind may travel (as in Enmeshed): content needs an Active
 * relationship; a notification may also go over a Terminated one.
 */
const allowedStates: Record<string, readonly string[]> = {
  [MessageKind.content]: [RelationshipStatus.active],
  [MessageKind.notification]: [RelationshipStatus.active, RelationshipStatus.terminated],
};

const pair = (a: string, b: string) => `${a}|${b}`;

/** The hourly quota sums per-minute counts: this many minutes back from the current one. */
const quotaWindowMinutes = 60;

const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/** What a retry needs of a stored message. */
type StoredRow = Pick<MessageRow, 'id' | 'senderToken' | 'kind' | 'createdAt' | 'published' | 'senderCopied'>;

interface StoredMessage {
  readonly row: StoredRow;
  readonly tokens: readonly string[];
  readonly answer: Answer;
}

async function loadStoredAnswers(deps: MessagesDeps, m: EntityManager, ids: readonly string[]) {
  const stored = new Map<string, StoredMessage>();
  // Usually none: a new message's id is not stored yet.
  const rows = await selectRows<{
    id: string;
    senderToken: string;
    kind: string;
    createdAt: string | number;
    published: boolean | number;
    senderCopied: boolean | number;
  }>(
    m,
    `SELECT id AS id, "senderToken" AS "senderToken", kind AS kind, "createdAt" AS "createdAt",
            published AS published, "senderCopied" AS "senderCopied"
       FROM {messages} WHERE id IN (?)`,
    [ids],
  );
  if (rows.length === 0) return stored;
  const recipients = await selectRows<{ messageId: string; recipientToken: string }>(
    m,
    `SELECT "messageId" AS "messageId", "recipientToken" AS "recipientToken"
       FROM {message_recipients} WHERE "messageId" IN (?) ORDER BY position`,
    [rows.map((row) => row.id)],
  );
  for (const raw of rows) {
    // As the drivers return them: PostgreSQL gives bigints as text, SQLite booleans as 0 and 1.
    const row: StoredRow = {
      id: raw.id,
      senderToken: raw.senderToken,
      kind: raw.kind,
      createdAt: Number(raw.createdAt),
      published: Boolean(raw.published),
      senderCopied: Boolean(raw.senderCopied),
    };
    const tokens = recipients.filter((r) => r.messageId === row.id).map((r) => r.recipientToken);
    const answer = {
      id: row.id,
      createdAt: new Date(row.createdAt).toISOString(),
      recipients: tokens.map((token) => addressOfToken(deps.settings.backboneHost, token)),
      copiedToOwnDevices: row.senderCopied,
    };
    stored.set(row.id, { row, tokens, answer });
  }
  return stored;
}

async function loadRelationStates(m: EntityManager, senders: readonly string[]) {
  const relations = new Map<string, string>();
  const related = await selectRows<{ fromToken: string; toToken: string; status: string }>(
    m,
    `SELECT rel."fromToken" AS "fromToken", rel."toToken" AS "toToken", rel.status AS status
       FROM {relationships} rel
      WHERE rel."decomposedBy" IS NULL AND rel.status IN (?)
        AND (rel."fromToken" IN (?) OR rel."toToken" IN (?))`,
    [[RelationshipStatus.active, RelationshipStatus.terminated], senders, senders],
  );
  for (const row of related) {
    relations.set(pair(row.fromToken, row.toToken), row.status);
    relations.set(pair(row.toToken, row.fromToken), row.status);
  }
  return relations;
}

/**
 * Unreceived messages per sender and recipient, for the pairs of this batch only: each count reads at most
 * the cap's worth of index entries, however many messages and peers the senders have.
 */
async function loadUnreceived(m: EntityManager, items: readonly BatchItem[]) {
  const senders = [...new Set(items.map((item) => item.caller.identityToken))];
  const recipients = [...new Set(items.flatMap((item) => item.tokens))];
  const unreceived = new Map<string, number>();
  const counts = await selectRows<{
    senderToken: string;
    recipientToken: string;
    unreceived: string | number;
  }>(
    m,
    `SELECT r."senderToken" AS "senderToken", r."recipientToken" AS "recipientToken", COUNT(*) AS unreceived
       FROM {message_recipients} r
      WHERE r."recipientToken" IN (?) AND r."senderToken" IN (?) AND r."receivedAt" IS NULL
      GROUP BY r."senderToken", r."recipientToken"`,
    [recipients, senders],
  );
  for (const row of counts) unreceived.set(pair(row.senderToken, row.recipientToken), Number(row.unreceived));
  return unreceived;
}

/**
 * The senders that have more than one device (not revoked): their other devices learn of a sent message from
 * a MessageSent entry. Read-only coupling: reads the identities actor's table `devices` (columns
 * `identityToken`, `revokedAt`).
 */
async function loadMultiDeviceSenders(m: EntityManager, senders: readonly string[]) {
  const rows = await selectRows<{ identityToken: string }>(
    m,
    `SELECT d."identityToken" AS "identityToken" FROM {devices} d
      WHERE d."identityToken" IN (?) AND d."revokedAt" IS NULL
      GROUP BY d."identityToken" HAVING COUNT(*) > 1`,
    [senders],
  );
  return new Set(rows.map((row) => row.identityToken));
}

/** Messages per sender in the quota window, and the first minute of it with any (when room frees up). */
async function loadSentLastHour(m: EntityManager, senders: readonly string[], now: number) {
  const sent = new Map<string, { count: number; oldestMinute: number }>();
  const rows = await selectRows<{ senderToken: string; sent: string | number; oldest: string | number }>(
    m,
    `SELECT c."senderToken" AS "senderToken", SUM(c.sent) AS sent, MIN(c.minute) AS oldest
       FROM {message_send_counts} c
      WHERE c."senderToken" IN (?) AND c.minute >= ?
      GROUP BY c."senderToken"`,
    [senders, minuteOf(now) - quotaWindowMinutes],
  );
  for (const row of rows) {
    sent.set(row.senderToken, { count: Number(row.sent), oldestMinute: Number(row.oldest) });
  }
  return sent;
}

/**
 * The mailbox entries of a message: one per recipient (in recipient order), then, when the sender has other
 * devices, the sender's own copy, which carries the content sealed for them instead of the envelope they never
 * open.
 */
function mailboxEntries(
  deps: MessagesDeps,
  message: DeliveredMessage,
  tokens: readonly string[],
  sender: string,
  copyToSender: boolean,
) {
  const shards = deps.settings.shardCount;
  const { senderCopy, envelope, ...metadata } = message;
  // The envelope is most of an entry and base64url by the request's schema, so it needs no escaping: it is
  // spliced into the JSON instead of being scanned by JSON.stringify once per entry.
  const head = JSON.stringify(metadata).slice(0, -1);
  const withEnvelope = (type: string) => `{"@type":"${type}","message":${head},"envelope":"${envelope}"}}`;
  const received = withEnvelope(MailboxEntryType.messageReceived);
  const entries: OutboxEntry[] = tokens.map((token) => ({
    subject: subjectOf(token, shards),
    msgId: `msg:${message.id}:${token}`,
    headers: { [mailboxTypeHeader]: MailboxEntryType.messageReceived },
    payload: received,
  }));
  if (!copyToSender) return entries;
  entries.push({
    subject: subjectOf(sender, shards),
    msgId: `msg:${message.id}:sent`,
    headers: { [mailboxTypeHeader]: MailboxEntryType.messageSent },
    payload: senderCopy
      ? JSON.stringify({
          '@type': MailboxEntryType.messageSent,
          message: { ...metadata, envelope: '', senderCopy },
        })
      : withEnvelope(MailboxEntryType.messageSent),
  });
  return entries;
}

/** Mailbox subjects by identity token (each costs a SHA-256 for its shard), at most `maxKeptSubjects`. */
const knownSubjects = new Map<string, string>();
const maxKeptSubjects = 10_000;

function subjectOf(token: string, shards: number): string {
  const key = `${shards}:${token}`;
  let subject = knownSubjects.get(key);
  if (subject === undefined) {
    if (knownSubjects.size >= maxKeptSubjects) knownSubjects.clear();
    subject = mailboxSubject(token, shards);
    knownSubjects.set(key, subject);
  }
  return subject;
}

/**
 * Decides a batch of sends with a constant number of reads: stored ids, relationships, unreceived counts of
 * the batch's sender/recipient pairs, the senders' standing, their sends in the last hour and whether they
 * have other devices. The rules apply in arrival order (a repeated id within the batch shares the first one's
 * outcome; each accepted message counts against the caps of the next). Nothing is written here: the caller
 * records the accepted messages (`recordAccepted`) in the same transaction, before it publishes their entries.
 *
 * Read-only coupling: reads the relationships actor's table `relationships` (columns `fromToken`,
 * `toToken`, `status`, `decomposedBy`), the identities actor's `devices` (`identityToken`, `revokedAt`) and
 * the senders' standing (tier, deletion) from `identities` through the kit.
 */
export async function decideBatch(
  deps: MessagesDeps,
  m: EntityManager,
  items: readonly BatchItem[],
  now: number,
): Promise<SendDecision[]> {
  const host = deps.settings.backboneHost;
  const senders = [...new Set(items.map((item) => item.caller.identityToken))];
  const stored = await loadStoredAnswers(deps, m, [...new Set(items.map((item) => item.request.id))]);
  const relations = await loadRelationStates(m, senders);
  const unreceived = await loadUnreceived(m, items);
  const standings = await loadStandings(m, senders);
  const sentLastHour = await loadSentLastHour(m, senders, now);
  const multiDevice = await loadMultiDeviceSenders(m, senders);

  const relationshipRefusal = (
    sender: string,
    kind: string,
    tokens: readonly string[],
  ): SendDecision | undefined => {
    const states = allowedStates[kind] ?? [];
    const unrelated = tokens.find((token) => !states.includes(relations.get(pair(sender, token)) ?? ''));
    return unrelated === undefined
      ? undefined
      : {
          kind: 'refused',
          error: new ProtocolError(ErrorCodes.messageNoRelationship, 'no relationship allows this message', {
            details: { recipient: addressOfToken(host, unrelated) },
          }),
        };
  };
  const firstOfId = new Map<string, number>();
  const limit = Limits.unreceivedMessagesPerSender;
  return items.map((item, index): SendDecision => {
    const { caller, request, tokens } = item;
    const sender = caller.identityToken;
    const first = firstOfId.get(request.id);
    if (first !== undefined) return { kind: 'repeat', of: first };
    const previous = stored.get(request.id);
    if (previous) {
      if (previous.row.senderToken !== sender) {
        return {
          kind: 'refused',
          error: new ProtocolError(ErrorCodes.messageIdInUse, 'another identity sent a message with this id'),
        };
      }
      if (previous.row.published) return { kind: 'stored', answer: previous.answer };
      // Only the same message may complete it: its kind and recipients as stored (the envelope names them
      // too, and recipients check that), over relationships that still allow it.
      const same =
        request.kind === previous.row.kind &&
        tokens.length === previous.tokens.length &&
        tokens.every((token, i) => token === previous.tokens[i]);
      if (!same) {
        return {
          kind: 'refused',
          error: new ProtocolError(ErrorCodes.messageIdInUse, 'this id belongs to another message'),
        };
      }
      const noRelationshipNow = relationshipRefusal(sender, request.kind, tokens);
      if (noRelationshipNow) return noRelationshipNow;
      firstOfId.set(request.id, index);
      // Stored, but its publishes were never confirmed (a crash, the broker away): publish them again, as
      // they were decided (time, recipients); JetStream keeps one of each.
      return accepted(deps, caller, request, previous.tokens, previous.row.createdAt, {
        isNew: false,
        copyToSender: previous.row.senderCopied,
      });
    }
    if (request.withoutSenderCopy && multiDevice.has(sender)) {
      return {
        kind: 'refused',
        error: new ProtocolError(
          ErrorCodes.messageSenderCopyNeeded,
          'the identity has other devices: send the message again with a copy for them',
        ),
      };
    }
    const rate = sentLastHour.get(sender) ?? { count: 0, oldestMinute: minuteOf(now) };
    const perHour = quotasFor(deps.settings.quotas, standings.get(sender)).messagesPerHour;
    if (rate.count >= perHour) {
      const freesAt = (rate.oldestMinute + quotaWindowMinutes + 1) * 60_000;
      return {
        kind: 'refused',
        error: quotaExceeded('messagesPerHour', perHour, perHour > 0 ? freesAt : undefined),
      };
    }
    const noRelationship = relationshipRefusal(sender, request.kind, tokens);
    if (noRelationship) return noRelationship;
    const full = tokens.find((token) => (unreceived.get(pair(sender, token)) ?? 0) >= limit);
    if (full !== undefined) {
      return {
        kind: 'refused',
        error: new ProtocolError(
          ErrorCodes.messageTooManyUnreceived,
          'too many of your messages to this recipient are not yet received',
          { details: { recipient: addressOfToken(host, full), limit } },
        ),
      };
    }
    for (const token of tokens)
      unreceived.set(pair(sender, token), (unreceived.get(pair(sender, token)) ?? 0) + 1);
    sentLastHour.set(sender, { count: rate.count + 1, oldestMinute: rate.oldestMinute });
    firstOfId.set(request.id, index);
    return accepted(deps, caller, request, tokens, now, {
      isNew: true,
      copyToSender: multiDevice.has(sender),
    });
  });
}

function accepted(
  deps: MessagesDeps,
  caller: DeviceCaller,
  request: RequestOf<'sendMessage'>,
  tokens: readonly string[],
  createdAt: number,
  { isNew, copyToSender }: { isNew: boolean; copyToSender: boolean },
): AcceptedMessage {
  const host = deps.settings.backboneHost;
  const sender = caller.identityToken;
  const delivered: DeliveredMessage = {
    id: request.id,
    sender: addressOfToken(host, sender),
    senderDevice: caller.deviceKey,
    createdAt: new Date(createdAt).toISOString(),
    kind: request.kind,
    recipients: tokens.map((token) => addressOfToken(host, token)),
    envelope: request.envelope,
    attachments: request.attachments ?? [],
    ...(request.senderCopy ? { senderCopy: request.senderCopy } : {}),
  };
  return {
    kind: 'accepted',
    isNew,
    answer: {
      id: request.id,
      createdAt: delivered.createdAt,
      recipients: delivered.recipients,
      copiedToOwnDevices: copyToSender,
    },
    message: {
      id: request.id,
      senderToken: sender,
      senderDevice: caller.deviceKey,
      kind: request.kind,
      createdAt,
      envelopeBytes: Math.floor((request.envelope.length * 3) / 4),
      recipientCount: tokens.length,
      published: false,
      senderCopied: copyToSender,
    },
    recipients: tokens.map((recipientToken, position) => ({
      messageId: request.id,
      recipientToken,
      position,
      senderToken: sender,
      receivedAt: null,
    })),
    entries: mailboxEntries(deps, delivered, tokens, sender, copyToSender),
  };
}

/**
 * Records the new messages among these in the caller's transaction, before anything is published: their
 * rows (not yet published), in multi-row inserts, and their count in the senders' per-minute send counts.
 */
export async function recordAccepted(
  m: EntityManager,
  decided: readonly AcceptedMessage[],
  now: number,
): Promise<void> {
  const accepted = decided.filter((item) => item.isNew);
  if (accepted.length === 0) return;
  const messages = accepted.map((item) => item.message);
  const recipients = accepted.flatMap((item) => item.recipients);
  await insertRows(m, MessageEntity, messages);
  await insertRows(m, MessageRecipientEntity, recipients);
  const perSender = new Map<string, number>();
  for (const item of accepted) {
    perSender.set(item.message.senderToken, (perSender.get(item.message.senderToken) ?? 0) + 1);
  }
  const minute = minuteOf(now);
  await addToCounters(
    m,
    MessageSendCountEntity,
    ['senderToken', 'minute'],
    'sent',
    [...perSender].map(([senderToken, sent]) => ({ senderToken, minute, sent })),
  );
}

/** Marks messages whose every mailbox entry JetStream confirmed (or refused for good) as published. */
export async function markPublished(m: EntityManager, ids: readonly string[]): Promise<void> {
  await updateWhereIn(m, MessageEntity, { column: 'published', value: true }, 'id', ids);
}

/** A mailbox entry JetStream refused for good, and why. */
export interface Refusal {
  readonly entry: OutboxEntry;
  readonly error: Error;
}
