/**
 * Attributes: an IdentityAttribute (data about the owner, e.g. a GivenName) or a RelationshipAttribute
 * (data that exists only within one relationship, under a key, with a confidentiality).
 */
import { z } from 'zod';
import { addressSchema, dateTimeSchema } from '../primitives.js';
import { isLanguageCode } from '../values/languages.js';
import { identityAttributeValueSchema, relationshipAttributeValueSchema } from '../values/registry.js';

/** Most tags an IdentityAttribute may carry. */
export const maxTagsPerAttribute = 20;
/** Longest tag. */
export const maxTagLength = 250;

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/**
 * Tells whether a tag has one of the forms Enmeshed accepts: a backbone tag `bkb:…` (which must also be in
 * the backbone's tag collection), a custom tag `x:…` or `X:…`, a `urn:…`, `language:<ISO 639-1>` or
 * `mimetype:<type>/<subtype>`.
 */
export function isWellFormedTag(tag: string): boolean {
  if (/^(?:bkb|x|X|urn):.+/.test(tag)) return true;
  if (tag.startsWith('language:')) return isLanguageCode(tag.slice('language:'.length));
  if (tag.startsWith('mimetype:')) return MIME_TYPE.test(tag.slice('mimetype:'.length));
  return false;
}

/**
 * The tags of an IdentityAttribute: up to 20 of up to 250 characters, each in one of the forms
 * `isWellFormedTag` accepts (whether a `bkb:` tag is in the backbone's collection is checked where the
 * collection is known).
 */
export const tagsSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(maxTagLength)
      .refine(
        isWellFormedTag,
        'must be bkb:…, x:…, X:…, urn:…, language:<ISO 639-1> or mimetype:<type>/<subtype>',
      ),
  )
  .max(maxTagsPerAttribute);

/** Who may see a RelationshipAttribute beyond the relationship it belongs to. */
export const RelationshipAttributeConfidentiality = {
  /** Shareable with third parties. */
  Public: 'public',
  /** Shareable with third parties after a warning and the owner's consent. */
  Protected: 'protected',
  /** Never shareable with third parties. */
  Private: 'private',
} as const;
/** One of the confidentialities. */
export type RelationshipAttributeConfidentiality =
  (typeof RelationshipAttributeConfidentiality)[keyof typeof RelationshipAttributeConfidentiality];

/** The confidentiality field. */
export const confidentialitySchema = z.enum(RelationshipAttributeConfidentiality);

/**
 * `validFrom` and `validTo` existed in the v6 data model; v7 peers omit them. They are accepted (and kept)
 * so that v6 content still parses, and must be in order when both are present.
 */
const validity = {
  validFrom: dateTimeSchema.optional(),
  validTo: dateTimeSchema.optional(),
};

function validityInOrder(a: { validFrom?: string | undefined; validTo?: string | undefined }): boolean {
  return (
    a.validFrom === undefined || a.validTo === undefined || Date.parse(a.validFrom) <= Date.parse(a.validTo)
  );
}
const validityMessage = { message: 'validTo must not be before validFrom', path: ['validTo'] };

/** An IdentityAttribute: an owner, one identity value and optional tags. */
export const identityAttributeSchema = z
  .strictObject({
    '@type': z.literal('IdentityAttribute'),
    owner: addressSchema,
    value: identityAttributeValueSchema,
    tags: tagsSchema.optional(),
    ...validity,
  })
  .refine(validityInOrder, validityMessage);
/** An IdentityAttribute. */
export type IdentityAttribute = z.infer<typeof identityAttributeSchema>;

/** A RelationshipAttribute: an owner, a key, a confidentiality, whether it is technical, and its value. */
export const relationshipAttributeSchema = z
  .strictObject({
    '@type': z.literal('RelationshipAttribute'),
    owner: addressSchema,
    key: z.string().min(1).max(100),
    isTechnical: z.boolean().optional(),
    confidentiality: confidentialitySchema,
    value: relationshipAttributeValueSchema,
    ...validity,
  })
  .refine(validityInOrder, validityMessage);
/** A RelationshipAttribute. */
export type RelationshipAttribute = z.infer<typeof relationshipAttributeSchema>;

/** Either kind of attribute, chosen by `@type`. */
export const attributeSchema = z.discriminatedUnion('@type', [
  identityAttributeSchema,
  relationshipAttributeSchema,
]);
/** Either kind of attribute. */
export type Attribute = z.infer<typeof attributeSchema>;
