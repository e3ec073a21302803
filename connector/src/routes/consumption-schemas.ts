/** The result shapes of the consumption routes (the Enmeshed Connector API's DTOs), for the OpenAPI document. */
import { z } from 'zod';

const text = z.string();
const json = z.unknown();

const deletionInfoSchema = z.object({ deletionStatus: text, deletionDate: text });

/** Enmeshed `LocalAttribute` (v7): own or peer, identity or relationship attribute, with its sharing. */
export const attributeSchema = z.object({
  '@type': z.enum([
    'OwnIdentityAttribute',
    'OwnRelationshipAttribute',
    'PeerIdentityAttribute',
    'PeerRelationshipAttribute',
    'ThirdPartyRelationshipAttribute',
  ]),
  id: text,
  createdAt: text,
  content: z.record(z.string(), json).describe('An IdentityAttribute or a RelationshipAttribute.'),
  succeeds: text.optional(),
  succeededBy: text.optional(),
  wasViewedAt: text.optional(),
  isDefault: z.literal(true).optional(),
  peer: text.optional(),
  sourceReference: text.optional(),
  initialAttributePeer: text.optional(),
  deletionInfo: deletionInfoSchema.optional(),
  numberOfForwards: z.number().int().optional(),
});

/** Enmeshed `AttributeForwardingDetails`: one sharing of an attribute with a peer. */
export const forwardingDetailsSchema = z.object({
  peer: text,
  sourceReference: text,
  sharedAt: text,
  deletionInfo: deletionInfoSchema.optional(),
});

/** A succession's answer: predecessor, successor and, when a peer was told, the notification's id. */
export const successionSchema = z.object({
  predecessor: attributeSchema,
  successor: attributeSchema,
  notificationId: text.optional(),
});

type Tag = { displayNames: Record<string, string>; children?: Record<string, Tag> };
const tagSchema: z.ZodType<Tag> = z.lazy(() =>
  z.object({
    displayNames: z.record(z.string(), text),
    children: z.record(z.string(), tagSchema).optional(),
  }),
);

/** Enmeshed `AttributeTagCollection`: the backbone tags (`bkb:…`) by value type, with display names. */
export const tagCollectionSchema = z.object({
  supportedLanguages: z.array(text),
  tagsForAttributeValueTypes: z.record(z.string(), z.record(z.string(), tagSchema)),
});

/** Enmeshed `IQLQueryValidationResult`. */
export const iqlValidationSchema = z.object({
  isValid: z.boolean(),
  error: z
    .object({ message: text, location: z.object({ start: z.object({ offset: z.number() }) }).optional() })
    .optional(),
});

/** Enmeshed `LocalRequest`: an incoming or outgoing request with its status, source and response. */
export const requestSchema = z.object({
  id: text,
  isOwn: z.boolean(),
  peer: text,
  createdAt: text,
  status: z.enum([
    'Draft',
    'Open',
    'DecisionRequired',
    'ManualDecisionRequired',
    'Decided',
    'Completed',
    'Expired',
  ]),
  content: z.record(z.string(), json).describe('The Request.'),
  source: z.object({ type: z.enum(['Message', 'RelationshipTemplate']), reference: text }).optional(),
  response: z
    .object({
      createdAt: text,
      content: z.record(z.string(), json).describe('The Response.'),
      source: z.object({ type: z.enum(['Message', 'Relationship']), reference: text }).optional(),
    })
    .optional(),
  wasAutomaticallyDecided: z.literal(true).optional(),
  decider: text.optional(),
});

type Validation = { isSuccess: boolean; code?: string; message?: string; items: Validation[] };
/** Enmeshed `RequestValidationResult`: the request's and, nested, each item's. */
export const validationResultSchema: z.ZodType<Validation> = z.lazy(() =>
  z.object({
    isSuccess: z.boolean(),
    code: text.optional(),
    message: text.optional(),
    items: z.array(validationResultSchema),
  }),
);

/** Enmeshed `IdentityMetadata`. */
export const identityMetadataSchema = z.object({ reference: text, key: text.optional(), value: json });

/** Enmeshed `Announcement`. */
export const announcementSchema = z.object({
  id: text,
  createdAt: text,
  expiresAt: text.nullable(),
  severity: z.enum(['Low', 'Medium', 'High']),
  title: text,
  body: text,
});
