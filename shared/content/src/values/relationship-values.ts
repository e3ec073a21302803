/**
 * The RelationshipAttribute value types: the Proprietary* values (a typed `value` with a `title`, an
 * optional `description` and optional `valueHintsOverride`) and Consent.
 */
import { z } from 'zod';
import { CharacterSet } from './charsets.js';
import { type FieldKind, Fields, textIn, urlSchema } from './fields.js';
import {
  RenderHintsDataType,
  RenderHintsEditType,
  RenderHintsTechnicalType,
  renderHints,
  valueHints,
  valueHintsSchema,
} from './hints.js';

/** Longest title of a proprietary value. */
export const maxProprietaryTitleLength = 100;
/** Longest description of a proprietary value. */
export const maxProprietaryDescriptionLength = 1000;

const title = textIn(CharacterSet.C, maxProprietaryTitleLength);
const description = textIn(CharacterSet.C, maxProprietaryDescriptionLength);

function proprietary<const N extends string, S extends z.ZodType>(name: N, field: FieldKind<S>) {
  return {
    schema: z.strictObject({
      '@type': z.literal(name),
      title,
      description: description.optional(),
      valueHintsOverride: valueHintsSchema.optional(),
      value: field.schema,
    }),
    valueHints: field.valueHints,
    renderHints: field.renderHints,
  };
}

/** ProprietaryBoolean. */
export const ProprietaryBoolean = proprietary('ProprietaryBoolean', Fields.boolean);
/** ProprietaryCountry: an ISO 3166-1 alpha-2 code. */
export const ProprietaryCountry = proprietary('ProprietaryCountry', Fields.country);
/** ProprietaryEMailAddress. */
export const ProprietaryEMailAddress = proprietary('ProprietaryEMailAddress', Fields.email);
/** ProprietaryFileReference. */
export const ProprietaryFileReference = proprietary('ProprietaryFileReference', Fields.fileReference);
/** ProprietaryFloat. */
export const ProprietaryFloat = proprietary('ProprietaryFloat', Fields.float);
/** ProprietaryHEXColor. */
export const ProprietaryHEXColor = proprietary('ProprietaryHEXColor', Fields.hexColor);
/** ProprietaryInteger. */
export const ProprietaryInteger = proprietary('ProprietaryInteger', Fields.integer);
/** ProprietaryLanguage: an ISO 639-1 code. */
export const ProprietaryLanguage = proprietary('ProprietaryLanguage', Fields.language);
/** ProprietaryPhoneNumber. */
export const ProprietaryPhoneNumber = proprietary('ProprietaryPhoneNumber', Fields.phone);
/** ProprietaryString: free text up to 100 characters. */
export const ProprietaryString = proprietary('ProprietaryString', Fields.string);
/** ProprietaryURL. */
export const ProprietaryURL = proprietary('ProprietaryURL', Fields.url);

/** ProprietaryJSON: any JSON up to 4096 characters; it has no `valueHintsOverride`. */
export const ProprietaryJSON = {
  schema: z.strictObject({
    '@type': z.literal('ProprietaryJSON'),
    title,
    description: description.optional(),
    value: Fields.json.schema,
  }),
  valueHints: Fields.json.valueHints,
  renderHints: Fields.json.renderHints,
};

/** ProprietaryXML: an XML document with an optional schema URL. */
export const ProprietaryXML = {
  schema: z.strictObject({
    '@type': z.literal('ProprietaryXML'),
    title,
    description: description.optional(),
    valueHintsOverride: valueHintsSchema.optional(),
    value: Fields.xml.schema,
    schemaURL: urlSchema.optional(),
  }),
  valueHints: Fields.xml.valueHints,
  renderHints: Fields.xml.renderHints,
};

/** Consent: a consent text, optionally with a link and its display text (which needs the link). */
export const Consent = {
  schema: z
    .strictObject({
      '@type': z.literal('Consent'),
      consent: z.string().min(1).max(2000),
      link: urlSchema.optional(),
      linkDisplayText: z.string().min(3).max(30).optional(),
    })
    .refine((c) => c.linkDisplayText === undefined || c.link !== undefined, {
      message: 'a linkDisplayText needs a link',
      path: ['linkDisplayText'],
    }),
  valueHints: valueHints({
    propertyHints: {
      consent: valueHints({ max: 2000 }),
      link: valueHints({ min: 3, max: 1024 }),
      linkDisplayText: valueHints({ min: 3, max: 30 }),
    },
  }),
  renderHints: renderHints(RenderHintsEditType.Complex, RenderHintsTechnicalType.Object, {
    propertyHints: {
      consent: renderHints(RenderHintsEditType.TextArea, RenderHintsTechnicalType.String),
      link: renderHints(RenderHintsEditType.InputLike, RenderHintsTechnicalType.String, {
        dataType: RenderHintsDataType.URL,
      }),
    },
  }),
};

/** ProprietaryBoolean JSON. */
export type ProprietaryBoolean = z.infer<typeof ProprietaryBoolean.schema>;
/** ProprietaryCountry JSON. */
export type ProprietaryCountry = z.infer<typeof ProprietaryCountry.schema>;
/** ProprietaryEMailAddress JSON. */
export type ProprietaryEMailAddress = z.infer<typeof ProprietaryEMailAddress.schema>;
/** ProprietaryFileReference JSON. */
export type ProprietaryFileReference = z.infer<typeof ProprietaryFileReference.schema>;
/** ProprietaryFloat JSON. */
export type ProprietaryFloat = z.infer<typeof ProprietaryFloat.schema>;
/** ProprietaryHEXColor JSON. */
export type ProprietaryHEXColor = z.infer<typeof ProprietaryHEXColor.schema>;
/** ProprietaryInteger JSON. */
export type ProprietaryInteger = z.infer<typeof ProprietaryInteger.schema>;
/** ProprietaryLanguage JSON. */
export type ProprietaryLanguage = z.infer<typeof ProprietaryLanguage.schema>;
/** ProprietaryPhoneNumber JSON. */
export type ProprietaryPhoneNumber = z.infer<typeof ProprietaryPhoneNumber.schema>;
/** ProprietaryString JSON. */
export type ProprietaryString = z.infer<typeof ProprietaryString.schema>;
/** ProprietaryURL JSON. */
export type ProprietaryURL = z.infer<typeof ProprietaryURL.schema>;
/** ProprietaryJSON JSON. */
export type ProprietaryJSON = z.infer<typeof ProprietaryJSON.schema>;
/** ProprietaryXML JSON. */
export type ProprietaryXML = z.infer<typeof ProprietaryXML.schema>;
/** Consent JSON. */
export type Consent = z.infer<typeof Consent.schema>;
