/**
 * Attribute queries: what a ReadAttributeRequestItem or ProposeAttributeRequestItem asks the peer for.
 */
import { z } from 'zod';
import { ContentError } from '../errors.js';
import { addressSchema, dateTimeSchema } from '../primitives.js';
import { CharacterSet } from '../values/charsets.js';
import { textIn } from '../values/fields.js';
import { valueHintsSchema } from '../values/hints.js';
import { identityValueTypeNames, relationshipValueTypeNames } from '../values/registry.js';
import { confidentialitySchema, tagsSchema } from './attributes.js';
import { parseIql } from './iql-parser.js';

/** Longest IQL query string. */
export const maxIqlQueryLength = 4096;

/** The name of an IdentityAttribute value type. */
export const identityValueTypeNameSchema = z.enum(identityValueTypeNames);
/** The name of a RelationshipAttribute value type. */
export const relationshipValueTypeNameSchema = z.enum(relationshipValueTypeNames);

/** v6 validity fields, still accepted on queries (see attributes.ts). */
const validity = { validFrom: dateTimeSchema.optional(), validTo: dateTimeSchema.optional() };

/** Asks for IdentityAttributes of one value type, optionally with some tags. */
export const identityAttributeQuerySchema = z.strictObject({
  '@type': z.literal('IdentityAttributeQuery'),
  valueType: identityValueTypeNameSchema,
  tags: tagsSchema.optional(),
  ...validity,
});
/** An IdentityAttributeQuery. */
export type IdentityAttributeQuery = z.infer<typeof identityAttributeQuerySchema>;

/** What the recipient needs to create a RelationshipAttribute the query asks for and that does not exist yet. */
export const relationshipAttributeCreationHintsSchema = z.strictObject({
  '@type': z.literal('RelationshipAttributeCreationHints').optional(),
  title: textIn(CharacterSet.C, 100),
  valueType: relationshipValueTypeNameSchema,
  description: textIn(CharacterSet.C, 1000).optional(),
  valueHints: valueHintsSchema.optional(),
  confidentiality: confidentialitySchema,
});
/** RelationshipAttributeCreationHints. */
export type RelationshipAttributeCreationHints = z.infer<typeof relationshipAttributeCreationHintsSchema>;

/**
 * Asks for the RelationshipAttribute under `key` owned by `owner` in this relationship (an empty `owner`
 * means the recipient).
 */
export const relationshipAttributeQuerySchema = z.strictObject({
  '@type': z.literal('RelationshipAttributeQuery'),
  key: textIn(CharacterSet.C, 100),
  owner: z.union([addressSchema, z.literal('')]),
  attributeCreationHints: relationshipAttributeCreationHintsSchema,
  ...validity,
});
/** A RelationshipAttributeQuery. */
export type RelationshipAttributeQuery = z.infer<typeof relationshipAttributeQuerySchema>;

/** Who owns the attribute a ThirdPartyRelationshipAttributeQuery asks for. */
export const ThirdPartyRelationshipAttributeQueryOwner = {
  ThirdParty: 'thirdParty',
  Recipient: 'recipient',
  Empty: '',
} as const;
/** One of the owners. */
export type ThirdPartyRelationshipAttributeQueryOwner =
  (typeof ThirdPartyRelationshipAttributeQueryOwner)[keyof typeof ThirdPartyRelationshipAttributeQueryOwner];

/** Asks for a RelationshipAttribute under `key` from the recipient's relationships with the third parties. */
export const thirdPartyRelationshipAttributeQuerySchema = z.strictObject({
  '@type': z.literal('ThirdPartyRelationshipAttributeQuery'),
  key: z.string().min(1).max(100),
  owner: z.enum(ThirdPartyRelationshipAttributeQueryOwner),
  thirdParty: z.array(addressSchema).min(1),
  ...validity,
});
/** A ThirdPartyRelationshipAttributeQuery. */
export type ThirdPartyRelationshipAttributeQuery = z.infer<typeof thirdPartyRelationshipAttributeQuerySchema>;

/** What the recipient needs to create an IdentityAttribute an IQL query asks for. */
export const iqlQueryCreationHintsSchema = z.strictObject({
  '@type': z.literal('IQLQueryCreationHints').optional(),
  valueType: identityValueTypeNameSchema,
  tags: tagsSchema.optional(),
});

/** The IQL syntax fault of `query`, or undefined when it parses. */
function iqlFault(query: string): string | undefined {
  try {
    parseIql(query);
    return undefined;
  } catch (error) {
    if (ContentError.isContentError(error)) return error.message;
    throw error;
  }
}

/** An IQL query string: at most 4096 characters of valid IQL. */
export const iqlQueryStringSchema = z
  .string()
  .min(1)
  .max(maxIqlQueryLength)
  .superRefine((query, ctx) => {
    const fault = iqlFault(query);
    if (fault !== undefined) ctx.addIssue({ code: 'custom', message: fault });
  });

/** Asks for IdentityAttributes selected by an IQL query. */
export const iqlQuerySchema = z.strictObject({
  '@type': z.literal('IQLQuery'),
  queryString: iqlQueryStringSchema,
  attributeCreationHints: iqlQueryCreationHintsSchema.optional(),
});
/** An IQLQuery. */
export type IQLQuery = z.infer<typeof iqlQuerySchema>;

/** Any attribute query, chosen by `@type`. */
export const attributeQuerySchema = z.discriminatedUnion('@type', [
  identityAttributeQuerySchema,
  relationshipAttributeQuerySchema,
  thirdPartyRelationshipAttributeQuerySchema,
  iqlQuerySchema,
]);
/** Any attribute query. */
export type AttributeQuery = z.infer<typeof attributeQuerySchema>;
