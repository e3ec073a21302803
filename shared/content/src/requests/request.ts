/**
 * Requests and responses: a Request groups request items (optionally in RequestItemGroups); the Response
 * answers it item by item, in the same shape. A ResponseWrapper carries a response by message when the
 * request came with a relationship template to an existing relationship.
 */
import { z } from 'zod';
import {
  dateTimeSchema,
  messageIdSchema,
  metadataSchema,
  requestIdSchema,
  templateIdSchema,
} from '../primitives.js';
import { requestDescriptionSchema, requestTitleSchema } from './request-item-base.js';
import { requestItemSchema } from './request-items.js';
import { type ResponseItem, responseItemSchema } from './response-items.js';

/** Items the recipient decides on together (accepting one means accepting all), with a common title. */
export const requestItemGroupSchema = z.strictObject({
  '@type': z.literal('RequestItemGroup'),
  title: requestTitleSchema.optional(),
  description: requestDescriptionSchema.optional(),
  metadata: metadataSchema.optional(),
  items: z.array(requestItemSchema).min(1),
});
/** A RequestItemGroup. */
export type RequestItemGroup = z.infer<typeof requestItemGroupSchema>;

/** A Request: its items and groups, an optional id, expiry, title, description and metadata. */
export const requestSchema = z.strictObject({
  '@type': z.literal('Request'),
  id: requestIdSchema.optional(),
  expiresAt: dateTimeSchema.optional(),
  title: requestTitleSchema.optional(),
  description: requestDescriptionSchema.optional(),
  metadata: metadataSchema.optional(),
  items: z
    .array(z.discriminatedUnion('@type', [requestItemGroupSchema, ...requestItemSchema.options]))
    .min(1),
});
/** A Request. */
export type Request = z.infer<typeof requestSchema>;

/** The answers to the items of a RequestItemGroup, in order. */
export const responseItemGroupSchema = z.strictObject({
  '@type': z.literal('ResponseItemGroup'),
  items: z.array(responseItemSchema).min(1),
});
/** A ResponseItemGroup. */
export type ResponseItemGroup = z.infer<typeof responseItemGroupSchema>;

/** Whether the recipient accepted the request as a whole. */
export const ResponseResult = { Accepted: 'Accepted', Rejected: 'Rejected' } as const;
/** One of the response results. */
export type ResponseResult = (typeof ResponseResult)[keyof typeof ResponseResult];

/** A Response: the result, the request it answers and one item or group per request item or group. */
export const responseSchema = z.strictObject({
  '@type': z.literal('Response'),
  result: z.enum(ResponseResult),
  requestId: requestIdSchema,
  items: z
    .array(z.discriminatedUnion('@type', [responseItemGroupSchema, ...responseItemSchema.options]))
    .min(1),
});
/** A Response. */
export type Response = z.infer<typeof responseSchema>;

/** Where the answered request came from. */
export const RequestSourceType = {
  RelationshipTemplate: 'RelationshipTemplate',
  Message: 'Message',
} as const;
/** One of the request source types. */
export type RequestSourceType = (typeof RequestSourceType)[keyof typeof RequestSourceType];

/** A Response sent as message content, with the request it answers and where that request came from. */
export const responseWrapperSchema = z
  .strictObject({
    '@type': z.literal('ResponseWrapper'),
    requestId: requestIdSchema,
    requestSourceReference: z.union([templateIdSchema, messageIdSchema]),
    requestSourceType: z.enum(RequestSourceType),
    response: responseSchema,
  })
  .refine((w) => w.requestSourceReference.startsWith(w.requestSourceType === 'Message' ? 'MSG' : 'RLT'), {
    message:
      'must be the id of the request source: a RLT id for a RelationshipTemplate, a MSG id for a Message',
    path: ['requestSourceReference'],
  });
/** A ResponseWrapper. */
export type ResponseWrapper = z.infer<typeof responseWrapperSchema>;

/**
 * Tells whether a response has the shape of its request: as many items, a group where the request has a
 * group (with as many items), and a RejectResponseItem everywhere when the response is Rejected.
 */
export function responseMatchesRequest(request: Request, response: Response): boolean {
  if (request.items.length !== response.items.length) return false;
  const rejected = response.result === ResponseResult.Rejected;
  const fits = (answer: ResponseItem) => !rejected || answer['@type'] === 'RejectResponseItem';
  return request.items.every((item, i) => {
    const answer = response.items[i]!;
    if (item['@type'] === 'RequestItemGroup') {
      return (
        answer['@type'] === 'ResponseItemGroup' &&
        answer.items.length === item.items.length &&
        answer.items.every(fits)
      );
    }
    return answer['@type'] !== 'ResponseItemGroup' && fits(answer);
  });
}
