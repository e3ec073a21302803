/**
 * One entry point for content JSON: `parseContent` reads `@type`, picks the schema and returns the typed
 * value, or throws a ContentError listing every fault with its JSON path.
 */
import type { z } from 'zod';
import { identityAttributeSchema, relationshipAttributeSchema } from './attributes/attributes.js';
import {
  identityAttributeQuerySchema,
  iqlQuerySchema,
  relationshipAttributeQuerySchema,
  thirdPartyRelationshipAttributeQuerySchema,
} from './attributes/queries.js';
import { ContentError, ContentErrorCodes, parseWith } from './errors.js';
import {
  arbitraryMessageContentSchema,
  mailSchema,
  notificationSchema,
} from './messages/message-contents.js';
import {
  arbitraryRelationshipCreationContentSchema,
  arbitraryRelationshipTemplateContentSchema,
  relationshipCreationContentSchema,
  relationshipTemplateContentSchema,
} from './messages/relationship-contents.js';
import {
  tokenContentDeviceSharedSecretSchema,
  tokenContentFileSchema,
  tokenContentRelationshipTemplateSchema,
  tokenContentVerifiablePresentationSchema,
} from './messages/token-contents.js';
import { requestSchema, responseSchema, responseWrapperSchema } from './requests/request.js';

/**
 * The content types two identities exchange as a whole: message contents, template and relationship
 * request contents, token contents, and attributes.
 */
export const contentSchemas = {
  Mail: mailSchema,
  ArbitraryMessageContent: arbitraryMessageContentSchema,
  Request: requestSchema,
  Response: responseSchema,
  ResponseWrapper: responseWrapperSchema,
  Notification: notificationSchema,
  RelationshipTemplateContent: relationshipTemplateContentSchema,
  ArbitraryRelationshipTemplateContent: arbitraryRelationshipTemplateContentSchema,
  RelationshipCreationContent: relationshipCreationContentSchema,
  ArbitraryRelationshipCreationContent: arbitraryRelationshipCreationContentSchema,
  TokenContentRelationshipTemplate: tokenContentRelationshipTemplateSchema,
  TokenContentFile: tokenContentFileSchema,
  TokenContentDeviceSharedSecret: tokenContentDeviceSharedSecretSchema,
  TokenContentVerifiablePresentation: tokenContentVerifiablePresentationSchema,
  IdentityAttribute: identityAttributeSchema,
  RelationshipAttribute: relationshipAttributeSchema,
  IdentityAttributeQuery: identityAttributeQuerySchema,
  RelationshipAttributeQuery: relationshipAttributeQuerySchema,
  ThirdPartyRelationshipAttributeQuery: thirdPartyRelationshipAttributeQuerySchema,
  IQLQuery: iqlQuerySchema,
} as const;

/** The `@type` of a content type `parseContent` knows. */
export type ContentType = keyof typeof contentSchemas;
/** The JSON of the content type `T`. */
export type ContentOf<T extends ContentType> = z.infer<(typeof contentSchemas)[T]>;
/** Any content `parseContent` returns. */
export type Content = { [T in ContentType]: ContentOf<T> }[ContentType];

/** The content types, in the order of `contentSchemas`. */
export const contentTypes = Object.keys(contentSchemas) as ContentType[];

/** Tells whether `name` is a content type `parseContent` knows. */
export function isContentType(name: unknown): name is ContentType {
  return typeof name === 'string' && Object.hasOwn(contentSchemas, name);
}

/**
 * Parses content JSON of any known type, chosen by its `@type`, optionally insisting on some types.
 * @throws {ContentError} `error.content.unknownType` when `@type` is missing, unknown or not one of
 *   `expected`; `error.content.invalid` with one fault per offending field otherwise
 */
export function parseContent(json: unknown): Content;
export function parseContent<T extends ContentType>(json: unknown, expected: readonly T[]): ContentOf<T>;
export function parseContent(json: unknown, expected?: readonly ContentType[]): Content {
  const type =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)['@type']
      : undefined;
  if (!isContentType(type) || (expected !== undefined && !expected.includes(type))) {
    const allowed = expected ?? contentTypes;
    const message =
      typeof json !== 'object' || json === null || Array.isArray(json)
        ? 'content must be a JSON object'
        : `unknown content type ${JSON.stringify(type ?? null)}; expected one of ${allowed.join(', ')}`;
    throw new ContentError(ContentErrorCodes.unknownType, message, {
      faults: [{ path: '$["@type"]', message }],
    });
  }
  return parseWith(contentSchemas[type] as z.ZodType, json, type) as Content;
}

/**
 * Parses content JSON that must be of the type `type`.
 * @throws {ContentError} as `parseContent`
 */
export function parseContentOf<T extends ContentType>(type: T, json: unknown): ContentOf<T> {
  return parseContent(json, [type]);
}
