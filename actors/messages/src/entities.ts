import { epochMsColumn as ms } from '@enmesh/actor-kit';
import { EntitySchema } from 'typeorm';

/**
 * A sent message's metadata. The sealed envelope is not kept here: it lives only in the mailboxes of the
 * recipients (and of the sender's devices), which expire it after the mailbox max age.
 */
export interface MessageRow {
  /** Chosen by the sender (`MSG…`), so that a retried send is stored once. */
  id: string;
  senderToken: string;
  senderDevice: string;
  kind: string;
  createdAt: number;
  /** Size of the sealed envelope in bytes (decoded), for metrics and quotas. */
  envelopeBytes: number;
  recipientCount: number;
  /**
   * Whether every mailbox entry of the message was published. The row is written first, so a receipt never
   * arrives before it; until this is set, a retry of the send publishes the entries again.
   */
  published: boolean;
  /**
   * Whether the sender's own mailbox got a MessageSent entry: only when the identity had another device, which
   * learns of the message that way (a lone device knows what it sent; a device added later gets a snapshot).
   */
  senderCopied: boolean;
}

/** One recipient of a message, and whether it confirmed receiving it (a receipt). */
export interface MessageRecipientRow {
  messageId: string;
  recipientToken: string;
  /** The recipient's place in the message's recipient list, so that a retry answers the list unchanged. */
  position: number;
  /** Copied from the message so that the unreceived count per sender and recipient reads one table. */
  senderToken: string;
  /** Set when the recipient confirmed receiving it; null counts against the sender's unreceived cap. */
  receivedAt: number | null;
}

/** Table `messages`. */
export const MessageEntity = new EntitySchema<MessageRow>({
  name: 'Message',
  tableName: 'messages',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    senderToken: { type: 'varchar', length: 128 },
    senderDevice: { type: 'varchar', length: 56 },
    kind: { type: 'varchar', length: 16 },
    createdAt: { ...ms },
    envelopeBytes: { type: 'integer' },
    recipientCount: { type: 'integer' },
    published: { type: 'boolean', default: true },
    senderCopied: { type: 'boolean', default: true },
  },
  indices: [
    { name: 'idx_messages_created', columns: ['createdAt'] },
    { name: 'idx_messages_unpublished', columns: ['published', 'createdAt'] },
  ],
});

/** Table `message_recipients`. */
export const MessageRecipientEntity = new EntitySchema<MessageRecipientRow>({
  name: 'MessageRecipient',
  tableName: 'message_recipients',
  columns: {
    messageId: { type: 'varchar', length: 64, primary: true },
    recipientToken: { type: 'varchar', length: 128, primary: true },
    position: { type: 'integer' },
    senderToken: { type: 'varchar', length: 128 },
    receivedAt: { ...ms, nullable: true },
  },
  indices: [
    { name: 'idx_message_recipients_unreceived', columns: ['recipientToken', 'senderToken', 'receivedAt'] },
  ],
});

/**
 * How many messages one sender sent in one minute: the hourly send quota sums the last sixty of these rows
 * instead of counting messages, so checking it costs the same at any volume.
 */
export interface MessageSendCountRow {
  senderToken: string;
  /** Whole minutes since the epoch. */
  minute: number;
  sent: number;
}

/** Table `message_send_counts`. */
export const MessageSendCountEntity = new EntitySchema<MessageSendCountRow>({
  name: 'MessageSendCount',
  tableName: 'message_send_counts',
  columns: {
    senderToken: { type: 'varchar', length: 128, primary: true },
    minute: { type: 'integer', primary: true },
    sent: { type: 'integer' },
  },
});

/** Every entity of this actor. */
export const messageEntities = [MessageEntity, MessageRecipientEntity, MessageSendCountEntity];
