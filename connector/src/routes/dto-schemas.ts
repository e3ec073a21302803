/** The result shapes of the domain routes (the Enmeshed Connector API's DTOs), for the OpenAPI document. */
import { z } from 'zod';

const text = z.string();
const json = z.unknown();

/** Enmeshed `ObjectReference`: the compact text and the link of a shared object. */
export const objectReferenceSchema = z.object({ truncated: text, url: text });

/** Enmeshed `PasswordProtection` as answered. */
export const passwordProtectionResultSchema = z.object({
  password: text,
  passwordIsPin: z.literal(true).optional(),
  passwordLocationIndicator: z.union([text, z.number()]).optional(),
});

/** Enmeshed `IdentityInfo`. */
export const identityInfoSchema = z.object({ address: text, publicKey: text });

/** Enmeshed `RelationshipStatus`. */
export const relationshipStatusSchema = z.enum([
  'Pending',
  'Active',
  'Rejected',
  'Revoked',
  'Terminated',
  'DeletionProposed',
]);

/** Enmeshed `Relationship`. */
export const relationshipSchema = z.object({
  id: text,
  templateId: text,
  status: relationshipStatusSchema,
  peer: text,
  peerIdentity: z.object({ address: text, publicKey: text }),
  peerDeletionInfo: z
    .object({ deletionStatus: z.enum(['ToBeDeleted', 'Deleted']), deletionDate: text })
    .optional(),
  creationContent: json,
  auditLog: z
    .array(
      z.object({
        createdAt: text,
        createdBy: text,
        createdByDevice: text,
        reason: text,
        oldStatus: relationshipStatusSchema.optional(),
        newStatus: relationshipStatusSchema,
      }),
    )
    .readonly(),
});

/** Enmeshed `CanCreateRelationshipResponse`. */
export const canCreateSchema = z.union([
  z.object({ isSuccess: z.literal(true) }),
  z.object({ isSuccess: z.literal(false), code: text, message: text }),
]);

/** Enmeshed `RelationshipTemplate`. */
export const templateSchema = z.object({
  id: text,
  isOwn: z.boolean(),
  createdBy: text,
  createdByDevice: text,
  createdAt: text,
  expiresAt: text,
  maxNumberOfAllocations: z.number().int().optional(),
  forIdentity: text.optional(),
  passwordProtection: passwordProtectionResultSchema.optional(),
  content: json,
  reference: objectReferenceSchema,
});

/** Enmeshed `Token`. */
export const tokenSchema = z.object({
  id: text,
  isOwn: z.boolean(),
  createdBy: text,
  createdByDevice: text,
  content: json,
  createdAt: text,
  expiresAt: text,
  forIdentity: text.optional(),
  passwordProtection: passwordProtectionResultSchema.optional(),
  reference: objectReferenceSchema,
  isEphemeral: z.boolean(),
});

/** Enmeshed `FileMetadata`. */
export const fileSchema = z.object({
  id: text,
  isOwn: z.boolean(),
  filename: text,
  filesize: z.number().int(),
  mimetype: text,
  title: text,
  description: text.optional(),
  tags: z.array(text).readonly().optional(),
  createdAt: text,
  createdBy: text,
  createdByDevice: text,
  expiresAt: text,
  owner: text,
  ownershipToken: text.optional(),
  ownershipIsLocked: z.literal(true).optional(),
  reference: objectReferenceSchema,
});

const recipientSchema = z.object({
  address: text,
  relationshipId: text.optional(),
  receivedAt: text.optional(),
  receivedByDevice: text.optional(),
  notDelivered: text.optional(),
});

const messageFields = {
  id: text,
  isOwn: z.boolean(),
  createdBy: text,
  createdByDevice: text,
  createdAt: text,
  recipients: z.array(recipientSchema).readonly(),
  content: json,
  wasReadAt: text.optional(),
};

/** Enmeshed `Message`. */
export const messageSchema = z.object({ ...messageFields, attachments: z.array(text).readonly() });

/** Enmeshed `MessageWithAttachments`. */
export const messageWithAttachmentsSchema = z.object({
  ...messageFields,
  attachments: z.array(fileSchema).readonly(),
});

/** Enmeshed `SignedChallenge`. */
export const signedChallengeSchema = z.object({
  id: text,
  expiresAt: text,
  createdBy: text,
  createdByDevice: text,
  type: z.enum(['Identity', 'Device', 'Relationship']),
  signature: text,
  challengeString: text,
});
