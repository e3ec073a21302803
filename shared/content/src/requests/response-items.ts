/**
 * Response items: the answer to each request item. A generic Accept/Reject/Error item, and the accept
 * items that carry what accepting produced (an attribute id, the attribute, a deletion date, an answer).
 */
import { z } from 'zod';
import { attributeSchema, identityAttributeSchema } from '../attributes/attributes.js';
import { addressSchema, attributeIdSchema, dateTimeSchema } from '../primitives.js';
import { formFieldResponseSchema } from './form-field.js';
import { acceptResponseItem, ResponseItemResult } from './request-item-base.js';

/** Accepts an item that produces nothing (Consent, Authentication, ShareAttribute, …). */
export const acceptResponseItemSchema = acceptResponseItem('AcceptResponseItem', {});

/** Rejects an item, optionally with a code and a message. */
export const rejectResponseItemSchema = z.strictObject({
  '@type': z.literal('RejectResponseItem'),
  result: z.literal(ResponseItemResult.Rejected),
  code: z.string().min(1).max(200).optional(),
  message: z.string().max(1000).optional(),
});

/** Reports that processing an item failed on the recipient's side. */
export const errorResponseItemSchema = z.strictObject({
  '@type': z.literal('ErrorResponseItem'),
  result: z.literal(ResponseItemResult.Failed),
  code: z.string().min(1).max(200),
  message: z.string().max(1000),
});

/** Answers a ReadAttributeRequestItem with the attribute shared (and its original peer, when forwarded). */
export const readAttributeAcceptResponseItemSchema = acceptResponseItem('ReadAttributeAcceptResponseItem', {
  attributeId: attributeIdSchema,
  attribute: attributeSchema,
  initialAttributePeer: addressSchema.optional(),
});

/** Answers a ProposeAttributeRequestItem with the attribute accepted or chosen instead. */
export const proposeAttributeAcceptResponseItemSchema = acceptResponseItem(
  'ProposeAttributeAcceptResponseItem',
  {
    attributeId: attributeIdSchema,
    attribute: attributeSchema,
  },
);

/** Answers a CreateAttributeRequestItem with the id of the attribute created. */
export const createAttributeAcceptResponseItemSchema = acceptResponseItem(
  'CreateAttributeAcceptResponseItem',
  {
    attributeId: attributeIdSchema,
  },
);

/** Answers a ShareAttributeRequestItem with the id of the recipient's copy. */
export const shareAttributeAcceptResponseItemSchema = acceptResponseItem('ShareAttributeAcceptResponseItem', {
  attributeId: attributeIdSchema,
});

/** Answers a DeleteAttributeRequestItem with when the attribute will be deleted. */
export const deleteAttributeAcceptResponseItemSchema = acceptResponseItem(
  'DeleteAttributeAcceptResponseItem',
  {
    deletionDate: dateTimeSchema,
  },
);

/** Answers a FormFieldRequestItem with the answer. */
export const formFieldAcceptResponseItemSchema = acceptResponseItem('FormFieldAcceptResponseItem', {
  response: formFieldResponseSchema,
});

/** Answers a TransferFileOwnershipRequestItem with the IdentityFileReference attribute now owned. */
export const transferFileOwnershipAcceptResponseItemSchema = acceptResponseItem(
  'TransferFileOwnershipAcceptResponseItem',
  { attributeId: attributeIdSchema, attribute: identityAttributeSchema },
);

/** Answers with a newer version of an attribute the sender already has: predecessor, successor, content. */
export const attributeSuccessionAcceptResponseItemSchema = acceptResponseItem(
  'AttributeSuccessionAcceptResponseItem',
  { predecessorId: attributeIdSchema, successorId: attributeIdSchema, successorContent: attributeSchema },
);

/** Answers that the attribute asked for was already shared with the sender, and under which id. */
export const attributeAlreadySharedAcceptResponseItemSchema = acceptResponseItem(
  'AttributeAlreadySharedAcceptResponseItem',
  { attributeId: attributeIdSchema },
);

/** Any response item, chosen by `@type`. */
export const responseItemSchema = z.discriminatedUnion('@type', [
  acceptResponseItemSchema,
  rejectResponseItemSchema,
  errorResponseItemSchema,
  readAttributeAcceptResponseItemSchema,
  proposeAttributeAcceptResponseItemSchema,
  createAttributeAcceptResponseItemSchema,
  shareAttributeAcceptResponseItemSchema,
  deleteAttributeAcceptResponseItemSchema,
  formFieldAcceptResponseItemSchema,
  transferFileOwnershipAcceptResponseItemSchema,
  attributeSuccessionAcceptResponseItemSchema,
  attributeAlreadySharedAcceptResponseItemSchema,
]);
/** Any response item. */
export type ResponseItem = z.infer<typeof responseItemSchema>;

/** AcceptResponseItem. */
export type AcceptResponseItem = z.infer<typeof acceptResponseItemSchema>;
/** RejectResponseItem. */
export type RejectResponseItem = z.infer<typeof rejectResponseItemSchema>;
/** ErrorResponseItem. */
export type ErrorResponseItem = z.infer<typeof errorResponseItemSchema>;
/** ReadAttributeAcceptResponseItem. */
export type ReadAttributeAcceptResponseItem = z.infer<typeof readAttributeAcceptResponseItemSchema>;
/** ProposeAttributeAcceptResponseItem. */
export type ProposeAttributeAcceptResponseItem = z.infer<typeof proposeAttributeAcceptResponseItemSchema>;
/** CreateAttributeAcceptResponseItem. */
export type CreateAttributeAcceptResponseItem = z.infer<typeof createAttributeAcceptResponseItemSchema>;
/** ShareAttributeAcceptResponseItem. */
export type ShareAttributeAcceptResponseItem = z.infer<typeof shareAttributeAcceptResponseItemSchema>;
/** DeleteAttributeAcceptResponseItem. */
export type DeleteAttributeAcceptResponseItem = z.infer<typeof deleteAttributeAcceptResponseItemSchema>;
/** FormFieldAcceptResponseItem. */
export type FormFieldAcceptResponseItem = z.infer<typeof formFieldAcceptResponseItemSchema>;
/** TransferFileOwnershipAcceptResponseItem. */
export type TransferFileOwnershipAcceptResponseItem = z.infer<
  typeof transferFileOwnershipAcceptResponseItemSchema
>;
/** AttributeSuccessionAcceptResponseItem. */
export type AttributeSuccessionAcceptResponseItem = z.infer<
  typeof attributeSuccessionAcceptResponseItemSchema
>;
/** AttributeAlreadySharedAcceptResponseItem. */
export type AttributeAlreadySharedAcceptResponseItem = z.infer<
  typeof attributeAlreadySharedAcceptResponseItemSchema
>;
