/**
 * The request items of the v7 data model: what a Request asks the peer to do, one item at a time.
 */
import { decodeReference } from '@enmesh/protocol';
import { z } from 'zod';
import { attributeSchema } from '../attributes/attributes.js';
import {
  identityAttributeQuerySchema,
  iqlQuerySchema,
  relationshipAttributeQuerySchema,
  thirdPartyRelationshipAttributeQuerySchema,
} from '../attributes/queries.js';
import { addressSchema, attributeIdSchema } from '../primitives.js';
import { urlSchema } from '../values/fields.js';
import { formFieldSettingsSchema } from './form-field.js';
import { requestItem, requestTitleSchema } from './request-item-base.js';

/** Asks the peer for an attribute matching the query (an existing one, or one they create). */
export const readAttributeRequestItemSchema = requestItem('ReadAttributeRequestItem', {
  query: z.discriminatedUnion('@type', [
    identityAttributeQuerySchema,
    relationshipAttributeQuerySchema,
    thirdPartyRelationshipAttributeQuerySchema,
    iqlQuerySchema,
  ]),
});

/** The value type a query asks for, when it names one. */
function queriedValueType(query: z.infer<typeof proposeQuerySchema>): string | undefined {
  switch (query['@type']) {
    case 'IdentityAttributeQuery':
      return query.valueType;
    case 'RelationshipAttributeQuery':
      return query.attributeCreationHints.valueType;
    case 'IQLQuery':
      return query.attributeCreationHints?.valueType;
  }
}

const proposeQuerySchema = z.discriminatedUnion('@type', [
  identityAttributeQuerySchema,
  relationshipAttributeQuerySchema,
  iqlQuerySchema,
]);

/**
 * Proposes an attribute the peer may accept as is or replace: an IdentityAttribute for an
 * IdentityAttributeQuery or IQLQuery, a RelationshipAttribute for a RelationshipAttributeQuery, and the value
 * type the query names.
 */
export const proposeAttributeRequestItemSchema = requestItem('ProposeAttributeRequestItem', {
  query: proposeQuerySchema,
  attribute: attributeSchema,
}).superRefine((item, ctx) => {
  const wantsRelationship = item.query['@type'] === 'RelationshipAttributeQuery';
  if (wantsRelationship !== (item.attribute['@type'] === 'RelationshipAttribute')) {
    ctx.addIssue({
      code: 'custom',
      path: ['attribute', '@type'],
      message: wantsRelationship
        ? 'a RelationshipAttributeQuery needs a RelationshipAttribute'
        : 'an IdentityAttributeQuery or IQLQuery needs an IdentityAttribute',
    });
    return;
  }
  const expected = queriedValueType(item.query);
  const actual = item.attribute.value['@type'];
  if (expected !== undefined && expected !== actual) {
    ctx.addIssue({
      code: 'custom',
      path: ['attribute', 'value', '@type'],
      message: `the proposed value is a ${actual} but the query asks for a ${expected}`,
    });
  }
});

/** Asks the peer to store an attribute the sender created for them (or for itself within the relationship). */
export const createAttributeRequestItemSchema = requestItem('CreateAttributeRequestItem', {
  attribute: attributeSchema,
});

/** Shares one of the sender's attributes (or one forwarded from a third party, `initialAttributePeer`). */
export const shareAttributeRequestItemSchema = requestItem('ShareAttributeRequestItem', {
  attribute: attributeSchema,
  attributeId: attributeIdSchema,
  initialAttributePeer: addressSchema.optional(),
});

/** Asks the peer to delete the copy of an attribute they received from the sender. */
export const deleteAttributeRequestItemSchema = requestItem('DeleteAttributeRequestItem', {
  attributeId: attributeIdSchema,
});

/** Asks the peer to consent to a text, optionally with a link to read first. */
export const consentRequestItemSchema = requestItem('ConsentRequestItem', {
  consent: z.string().min(1).max(2000),
  link: urlSchema.optional(),
  linkDisplayText: z.string().min(1).max(100).optional(),
  requiresInteraction: z.boolean().optional(),
});

/** Asks the peer to confirm who they are (a login): the title says what for. */
export const authenticationRequestItemSchema = requestItem('AuthenticationRequestItem', {
  title: requestTitleSchema,
});

/** Asks the peer to fill in one form field. */
export const formFieldRequestItemSchema = requestItem('FormFieldRequestItem', {
  title: requestTitleSchema,
  settings: formFieldSettingsSchema,
});

function isFileReference(text: string): boolean {
  try {
    return decodeReference(text).type === 'file';
  } catch {
    return false;
  }
}

/** Hands a file over to the peer: its reference and the token that allows claiming its ownership. */
export const transferFileOwnershipRequestItemSchema = requestItem('TransferFileOwnershipRequestItem', {
  fileReference: z.string().min(1).max(1024).refine(isFileReference, 'must be a file reference'),
  ownershipToken: z.string().min(1).max(200),
});

/** Shares an OpenID4VCI credential offer (the peer may fetch the credential). */
export const shareCredentialOfferRequestItemSchema = requestItem('ShareCredentialOfferRequestItem', {
  credentialOfferUrl: z.string().min(1).max(8192),
});

/** Shares an OpenID4VP authorization request (the peer may present credentials). */
export const shareAuthorizationRequestRequestItemSchema = requestItem(
  'ShareAuthorizationRequestRequestItem',
  {
    authorizationRequestUrl: z.string().min(1).max(8192),
  },
);

/** Any request item, chosen by `@type`. */
export const requestItemSchema = z.discriminatedUnion('@type', [
  readAttributeRequestItemSchema,
  proposeAttributeRequestItemSchema,
  createAttributeRequestItemSchema,
  shareAttributeRequestItemSchema,
  deleteAttributeRequestItemSchema,
  consentRequestItemSchema,
  authenticationRequestItemSchema,
  formFieldRequestItemSchema,
  transferFileOwnershipRequestItemSchema,
  shareCredentialOfferRequestItemSchema,
  shareAuthorizationRequestRequestItemSchema,
]);
/** Any request item. */
export type RequestItem = z.infer<typeof requestItemSchema>;
/** The `@type` of a request item. */
export type RequestItemType = RequestItem['@type'];

/** ReadAttributeRequestItem. */
export type ReadAttributeRequestItem = z.infer<typeof readAttributeRequestItemSchema>;
/** ProposeAttributeRequestItem. */
export type ProposeAttributeRequestItem = z.infer<typeof proposeAttributeRequestItemSchema>;
/** CreateAttributeRequestItem. */
export type CreateAttributeRequestItem = z.infer<typeof createAttributeRequestItemSchema>;
/** ShareAttributeRequestItem. */
export type ShareAttributeRequestItem = z.infer<typeof shareAttributeRequestItemSchema>;
/** DeleteAttributeRequestItem. */
export type DeleteAttributeRequestItem = z.infer<typeof deleteAttributeRequestItemSchema>;
/** ConsentRequestItem. */
export type ConsentRequestItem = z.infer<typeof consentRequestItemSchema>;
/** AuthenticationRequestItem. */
export type AuthenticationRequestItem = z.infer<typeof authenticationRequestItemSchema>;
/** FormFieldRequestItem. */
export type FormFieldRequestItem = z.infer<typeof formFieldRequestItemSchema>;
/** TransferFileOwnershipRequestItem. */
export type TransferFileOwnershipRequestItem = z.infer<typeof transferFileOwnershipRequestItemSchema>;
/** ShareCredentialOfferRequestItem. */
export type ShareCredentialOfferRequestItem = z.infer<typeof shareCredentialOfferRequestItemSchema>;
/** ShareAuthorizationRequestRequestItem. */
export type ShareAuthorizationRequestRequestItem = z.infer<typeof shareAuthorizationRequestRequestItemSchema>;
