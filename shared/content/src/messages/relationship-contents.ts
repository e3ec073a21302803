/**
 * What relationship templates and relationship requests carry: the template offers a Request (for new and
 * for existing relationships), the creation content answers it with a Response; either may instead be
 * arbitrary application JSON.
 */
import { z } from 'zod';
import { jsonValueSchema, metadataSchema } from '../primitives.js';
import { requestSchema, responseSchema } from '../requests/request.js';

/** A template's content: the Request for a new relationship, and optionally one for an existing relationship. */
export const relationshipTemplateContentSchema = z.strictObject({
  '@type': z.literal('RelationshipTemplateContent'),
  title: z.string().min(1).max(200).optional(),
  metadata: metadataSchema.optional(),
  onNewRelationship: requestSchema,
  onExistingRelationship: requestSchema.optional(),
});
/** A RelationshipTemplateContent. */
export type RelationshipTemplateContent = z.infer<typeof relationshipTemplateContentSchema>;

/** A template carrying application JSON instead of a Request. */
export const arbitraryRelationshipTemplateContentSchema = z.strictObject({
  '@type': z.literal('ArbitraryRelationshipTemplateContent'),
  value: jsonValueSchema,
});
/** An ArbitraryRelationshipTemplateContent. */
export type ArbitraryRelationshipTemplateContent = z.infer<typeof arbitraryRelationshipTemplateContentSchema>;

/** The content of a relationship request: the Response to the template's `onNewRelationship` Request. */
export const relationshipCreationContentSchema = z.strictObject({
  '@type': z.literal('RelationshipCreationContent'),
  response: responseSchema,
});
/** A RelationshipCreationContent. */
export type RelationshipCreationContent = z.infer<typeof relationshipCreationContentSchema>;

/** A relationship request carrying application JSON instead of a Response. */
export const arbitraryRelationshipCreationContentSchema = z.strictObject({
  '@type': z.literal('ArbitraryRelationshipCreationContent'),
  value: jsonValueSchema,
});
/** An ArbitraryRelationshipCreationContent. */
export type ArbitraryRelationshipCreationContent = z.infer<typeof arbitraryRelationshipCreationContentSchema>;
