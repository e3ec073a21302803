import { z } from 'zod';
import { datawalletEntrySchema } from './datawallet.js';
import { identityDeletionSchema } from './identities.js';
import { deliveredMessageSchema, messageId } from './messages.js';
import { identityAddress, isoTime } from './primitives.js';
import { auditEntrySchema, relationshipSchema } from './relationships.js';
import { templateId } from './templates.js';

/** The header naming what a mailbox entry is, so that a device can route it before parsing the body. */
export const mailboxTypeHeader = 'Enmesh-Type';

/** The kinds of mailbox entries. */
export const MailboxEntryType = {
  messageReceived: 'MessageReceived',
  messageSent: 'MessageSent',
  messageNotDelivered: 'MessageNotDelivered',
  relationshipChanged: 'RelationshipChanged',
  templateAllocationsExhausted: 'TemplateAllocationsExhausted',
  peerDeletionChanged: 'PeerDeletionChanged',
  identityDeletionChanged: 'IdentityDeletionChanged',
  datawalletModified: 'DatawalletModified',
  /** Several entries for one mailbox published as one JetStream message (see `mailboxBatchSchema`). */
  batch: 'Batch',
} as const;

/** What a peer learns about the deletion of an identity it has a relationship with, in this order. */
export const PeerDeletionStatus = {
  toBeDeleted: 'ToBeDeleted',
  deletionCancelled: 'DeletionCancelled',
  deleted: 'Deleted',
} as const;

/** Every mailbox entry body: JSON with an `@type`. */
export const mailboxEntrySchema = z.discriminatedUnion('@type', [
  z.strictObject({ '@type': z.literal(MailboxEntryType.messageReceived), message: deliveredMessageSchema }),
  z.strictObject({ '@type': z.literal(MailboxEntryType.messageSent), message: deliveredMessageSchema }),
  z.strictObject({
    '@type': z.literal(MailboxEntryType.messageNotDelivered),
    messageId,
    recipient: identityAddress,
    reason: z.enum(['mailboxFull', 'refused']),
    at: isoTime,
  }),
  z.strictObject({
    '@type': z.literal(MailboxEntryType.relationshipChanged),
    relationship: relationshipSchema.nullable(),
    relationshipId: z.string(),
    change: auditEntrySchema,
  }),
  z.strictObject({ '@type': z.literal(MailboxEntryType.templateAllocationsExhausted), templateId }),
  z.strictObject({
    '@type': z.literal(MailboxEntryType.peerDeletionChanged),
    peer: identityAddress,
    status: z.enum([
      PeerDeletionStatus.toBeDeleted,
      PeerDeletionStatus.deletionCancelled,
      PeerDeletionStatus.deleted,
    ]),
    gracePeriodEndsAt: isoTime.optional(),
    at: isoTime,
  }),
  datawalletEntrySchema,
  z.strictObject({
    '@type': z.literal(MailboxEntryType.identityDeletionChanged),
    deletion: identityDeletionSchema,
    at: isoTime,
  }),
]);
/** A parsed mailbox entry. */
export type MailboxEntryBody = z.infer<typeof mailboxEntrySchema>;

/** Most entries one batch entry holds; its JSON must also fit the mailbox's entry size limit. */
export const maxEntriesPerBatch = 1024;

/**
 * A batch entry: entries for one mailbox that the backbone decided together, published as one JetStream
 * message (one store, one delivery, one ack instead of one each). Each element is an entry body as
 * `mailboxEntrySchema` reads it, processed in order; a batch never holds a batch. An element a device cannot
 * read is skipped as a lone unreadable entry would be.
 */
export const mailboxBatchSchema = z.strictObject({
  '@type': z.literal(MailboxEntryType.batch),
  entries: z.array(z.unknown()).min(1).max(maxEntriesPerBatch),
});
