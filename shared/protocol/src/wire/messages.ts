import { z } from 'zod';
import { errorBodySchema } from './envelope.js';
import { devicePublicKey, identityAddress, isoTime, prefixedId } from './primitives.js';

/** A message id: `MSG` + random characters, chosen by the sender so that a retried send is stored once. */
export const messageId = prefixedId('MSG');

/** Most recipients of one message. */
export const maxMessageRecipients = 50;
/**
 * Largest sealed envelope of a message, in bytes. It travels base64url-encoded (4/3) inside a JSON request
 * that must fit the device payload limit of 256 KiB: 160 KiB becomes 213,334 characters, leaving room.
 */
export const maxEnvelopeBytes = 160 * 1024;
/** Most file attachments of one message. */
export const maxMessageAttachments = 20;

/**
 * What a message is, in the clear for the backbone: content needs an Active relationship with every
 * recipient; a notification may also go over a Terminated one.
 */
export const MessageKind = { content: 'content', notification: 'notification' } as const;
/** One message kind. */
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

const sealedText = z
  .string()
  .min(1)
  .max(Math.ceil((maxEnvelopeBytes * 4) / 3), `must be at most ${maxEnvelopeBytes} bytes`)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');

/**
 * Request to send a message: its sealed envelope (see docs/protocol.md › Sealing) to 1–50 recipients, and
 * optionally a copy sealed for the sender's own devices (they are not recipients of the envelope).
 */
export const sendMessageRequest = z.strictObject({
  id: messageId,
  kind: z.enum([MessageKind.content, MessageKind.notification]),
  recipients: z.array(identityAddress).min(1).max(maxMessageRecipients),
  envelope: sealedText,
  attachments: z.array(prefixedId('FIL')).max(maxMessageAttachments).optional(),
  senderCopy: sealedText.optional(),
  /**
   * Set by a sender that left `senderCopy` out because it believes its identity has no other device. Should
   * it have one by now, the backbone refuses the message (`error.messages.senderCopyNeeded`, nothing stored)
   * rather than hand that device a sent message without content; the sender sends it again with a copy.
   */
  withoutSenderCopy: z.literal(true).optional(),
});

/** A message as its recipients (and the sender's other devices) receive it in their mailboxes. */
export const deliveredMessageSchema = z.strictObject({
  id: messageId,
  sender: identityAddress,
  senderDevice: devicePublicKey,
  createdAt: isoTime,
  kind: z.enum([MessageKind.content, MessageKind.notification]),
  recipients: z.array(identityAddress),
  envelope: z.string(),
  attachments: z.array(z.string()),
  /** Only in the sender's own MessageSent entry. */
  senderCopy: z.string().optional(),
});
/** A message as delivered. */
export type DeliveredMessage = z.infer<typeof deliveredMessageSchema>;

/** The answer to a send: the stored message's id, time and recipients. A retry returns the same. */
export const sendMessageResponse = z.strictObject({
  id: messageId,
  createdAt: isoTime,
  recipients: z.array(identityAddress),
  /**
   * Whether the sender's mailbox got a MessageSent entry (it does when the identity has another device). When
   * false, the sending device records the sent message from this answer: no entry will tell it.
   */
  copiedToOwnDevices: z.boolean(),
});

/**
 * Most messages in one `sendMessages` request. Their JSON must also fit the device payload limit together,
 * so large messages go in smaller batches (or alone, with `sendMessage`).
 */
export const maxMessagesPerSend = 64;

/** Request to send several messages at once: each is decided, stored and answered as if sent alone. */
export const sendMessagesRequest = z.strictObject({
  messages: z.array(sendMessageRequest).min(1).max(maxMessagesPerSend),
});

/** The answers to `sendMessages`, one per message in request order: a result or that message's error. */
export const sendMessagesResponse = z.strictObject({
  results: z.array(
    z.union([z.strictObject({ result: sendMessageResponse }), z.strictObject({ error: errorBodySchema })]),
  ),
});

/** A recipient's receipt for messages it has processed (this lifts the sender's unreceived cap). */
export const messageReceiptRequest = z.strictObject({ ids: z.array(messageId).min(1).max(256) });
