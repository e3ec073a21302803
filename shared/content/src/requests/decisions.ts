/**
 * Decisions on incoming requests: the parameters a recipient gives per item when accepting or rejecting
 * (the Connector's `PUT /Requests/Incoming/{id}/Accept|Reject` bodies), checked per request item type.
 */
import { z } from 'zod';
import { attributeSchema, tagsSchema } from '../attributes/attributes.js';
import { attributeIdSchema, dateTimeSchema, requestIdSchema } from '../primitives.js';
import { formFieldResponseSchema } from './form-field.js';
import type { RequestItemType } from './request-items.js';

/** Rejects an item, optionally saying why. */
export const rejectRequestItemParametersSchema = z.strictObject({
  accept: z.literal(false),
  code: z.string().min(1).max(200).optional(),
  message: z.string().max(1000).optional(),
});

/** Accepts an item that needs nothing more. */
export const acceptRequestItemParametersSchema = z.strictObject({ accept: z.literal(true) });

/** Accepts a ReadAttributeRequestItem with an existing attribute (and tags to add) or a new one. */
export const acceptReadAttributeRequestItemParametersSchema = z.union([
  z.strictObject({
    accept: z.literal(true),
    existingAttributeId: attributeIdSchema,
    tags: tagsSchema.optional(),
  }),
  z.strictObject({ accept: z.literal(true), newAttribute: attributeSchema }),
]);

/** Accepts a ProposeAttributeRequestItem with an existing attribute (and tags to add) or the given one. */
export const acceptProposeAttributeRequestItemParametersSchema = z.union([
  z.strictObject({ accept: z.literal(true), attributeId: attributeIdSchema, tags: tagsSchema.optional() }),
  z.strictObject({ accept: z.literal(true), attribute: attributeSchema }),
]);

/** Accepts a DeleteAttributeRequestItem, saying when the attribute will be deleted. */
export const acceptDeleteAttributeRequestItemParametersSchema = z.strictObject({
  accept: z.literal(true),
  deletionDate: dateTimeSchema,
});

/** Accepts a FormFieldRequestItem with the answer. */
export const acceptFormFieldRequestItemParametersSchema = z.strictObject({
  accept: z.literal(true),
  response: formFieldResponseSchema,
});

/** Accepts a ShareAuthorizationRequestRequestItem with the attribute presented. */
export const acceptShareAuthorizationRequestRequestItemParametersSchema = z.strictObject({
  accept: z.literal(true),
  attributeId: attributeIdSchema.optional(),
});

/** The accept parameters each request item type takes. */
export const acceptParametersByItemType: Readonly<Record<RequestItemType, z.ZodType>> = {
  ReadAttributeRequestItem: acceptReadAttributeRequestItemParametersSchema,
  ProposeAttributeRequestItem: acceptProposeAttributeRequestItemParametersSchema,
  CreateAttributeRequestItem: acceptRequestItemParametersSchema,
  ShareAttributeRequestItem: acceptRequestItemParametersSchema,
  DeleteAttributeRequestItem: acceptDeleteAttributeRequestItemParametersSchema,
  ConsentRequestItem: acceptRequestItemParametersSchema,
  AuthenticationRequestItem: acceptRequestItemParametersSchema,
  FormFieldRequestItem: acceptFormFieldRequestItemParametersSchema,
  TransferFileOwnershipRequestItem: acceptRequestItemParametersSchema,
  ShareCredentialOfferRequestItem: acceptRequestItemParametersSchema,
  ShareAuthorizationRequestRequestItem: acceptShareAuthorizationRequestRequestItemParametersSchema,
};

/** The decision on one item, whatever its type: rejected, or accepted with the parameters of some type. */
export const decideRequestItemParametersSchema = z.union([
  rejectRequestItemParametersSchema,
  acceptRequestItemParametersSchema,
  ...acceptReadAttributeRequestItemParametersSchema.options,
  ...acceptProposeAttributeRequestItemParametersSchema.options,
  acceptDeleteAttributeRequestItemParametersSchema,
  acceptFormFieldRequestItemParametersSchema,
  acceptShareAuthorizationRequestRequestItemParametersSchema,
]);
/** The decision on one item. */
export type DecideRequestItemParameters = z.infer<typeof decideRequestItemParametersSchema>;

/** The decisions on the items of a group, in order. */
export const decideRequestItemGroupParametersSchema = z.strictObject({
  items: z.array(decideRequestItemParametersSchema).min(1),
});

/** A decision on a whole request: per item or group, in the order of the request. */
export const decideRequestParametersSchema = z.strictObject({
  requestId: requestIdSchema,
  items: z.array(z.union([decideRequestItemParametersSchema, decideRequestItemGroupParametersSchema])).min(1),
});
/** A decision on a whole request. */
export type DecideRequestParameters = z.infer<typeof decideRequestParametersSchema>;
