/**
 * What a message carries besides Requests and ResponseWrappers: a Mail, a Notification, or arbitrary
 * application JSON.
 */
import { z } from 'zod';
import { attributeSchema } from '../attributes/attributes.js';
import { addressSchema, attributeIdSchema, jsonValueSchema, notificationIdSchema } from '../primitives.js';

/** Longest mail subject. */
export const maxMailSubjectLength = 300;
/** Longest mail body. */
export const maxMailBodyLength = 50_000;

/** How a mail body is to be read. */
export const MailBodyFormat = { PlainText: 'PlainText', Markdown: 'Markdown' } as const;
/** One of the body formats. */
export type MailBodyFormat = (typeof MailBodyFormat)[keyof typeof MailBodyFormat];

/**
 * A mail: recipients (at least one), optional copies, subject and body. `bodyFormat` is optional on input
 * because peers before it existed send none (such a body is plain text).
 */
export const mailSchema = z.strictObject({
  '@type': z.literal('Mail'),
  to: z.array(addressSchema).min(1),
  cc: z.array(addressSchema).optional(),
  subject: z.string().max(maxMailSubjectLength),
  body: z.string().max(maxMailBodyLength),
  bodyFormat: z.enum(MailBodyFormat).optional(),
});
/** A Mail. */
export type Mail = z.infer<typeof mailSchema>;

/** Application JSON sent as a message, opaque to enmesh. */
export const arbitraryMessageContentSchema = z.strictObject({
  '@type': z.literal('ArbitraryMessageContent'),
  value: jsonValueSchema,
});
/** An ArbitraryMessageContent. */
export type ArbitraryMessageContent = z.infer<typeof arbitraryMessageContentSchema>;

function attributeIdItem<const N extends string>(name: N) {
  return z.strictObject({ '@type': z.literal(name), attributeId: attributeIdSchema });
}

function successionItem<const N extends string>(name: N) {
  return z.strictObject({
    '@type': z.literal(name),
    predecessorId: attributeIdSchema,
    successorId: attributeIdSchema,
    successorContent: attributeSchema,
  });
}

/** Tells the peer that an attribute it received was succeeded by a new version. */
export const peerAttributeSucceededNotificationItemSchema = successionItem(
  'PeerAttributeSucceededNotificationItem',
);
/** Tells the peer that the owner deleted an attribute the peer received. */
export const ownAttributeDeletedByOwnerNotificationItemSchema = attributeIdItem(
  'OwnAttributeDeletedByOwnerNotificationItem',
);
/** Tells the owner that the peer deleted a RelationshipAttribute the owner owns. */
export const peerRelationshipAttributeDeletedByPeerNotificationItemSchema = attributeIdItem(
  'PeerRelationshipAttributeDeletedByPeerNotificationItem',
);
/** Tells the sender that the peer deleted an attribute that was forwarded to it. */
export const forwardedAttributeDeletedByPeerNotificationItemSchema = attributeIdItem(
  'ForwardedAttributeDeletedByPeerNotificationItem',
);

/** The v6 names of the same notifications, which v6 peers still send. */
export const legacyNotificationItemSchemas = [
  successionItem('PeerSharedAttributeSucceededNotificationItem'),
  attributeIdItem('OwnSharedAttributeDeletedByOwnerNotificationItem'),
  attributeIdItem('PeerSharedAttributeDeletedByPeerNotificationItem'),
  attributeIdItem('ThirdPartyRelationshipAttributeDeletedByPeerNotificationItem'),
] as const;

/** Any notification item, chosen by `@type`. */
export const notificationItemSchema = z.discriminatedUnion('@type', [
  peerAttributeSucceededNotificationItemSchema,
  ownAttributeDeletedByOwnerNotificationItemSchema,
  peerRelationshipAttributeDeletedByPeerNotificationItemSchema,
  forwardedAttributeDeletedByPeerNotificationItemSchema,
  ...legacyNotificationItemSchemas,
]);
/** A notification item. */
export type NotificationItem = z.infer<typeof notificationItemSchema>;

/** A Notification: an id and its items, each telling the peer about a change it has to apply. */
export const notificationSchema = z.strictObject({
  '@type': z.literal('Notification'),
  id: notificationIdSchema,
  items: z.array(notificationItemSchema).min(1),
});
/** A Notification. */
export type Notification = z.infer<typeof notificationSchema>;
