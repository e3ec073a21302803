import { z } from 'zod';
import { metadataSchema } from '../primitives.js';

/** Longest title of a request, group or item. */
export const maxRequestTitleLength = 200;
/** Longest description of a request, group or item. */
export const maxRequestDescriptionLength = 500;

/** A human-readable title. */
export const requestTitleSchema = z.string().min(1).max(maxRequestTitleLength);
/** A human-readable description. */
export const requestDescriptionSchema = z.string().max(maxRequestDescriptionLength);

/**
 * The fields every request item has: whether it must be accepted for the request to be accepted, a
 * description, metadata the sender gets back in the response item, and (from the v6 model, still accepted)
 * a title and `requireManualDecision`.
 */
export const requestItemFields = {
  mustBeAccepted: z.boolean(),
  title: requestTitleSchema.optional(),
  description: requestDescriptionSchema.optional(),
  metadata: metadataSchema.optional(),
  requireManualDecision: z.boolean().optional(),
};

/** A request item type: `{"@type": name, …common fields, …fields}` with no other fields. */
export function requestItem<const N extends string, F extends z.ZodRawShape>(name: N, fields: F) {
  return z.strictObject({ '@type': z.literal(name), ...requestItemFields, ...fields });
}

/** What a response item says about its request item. */
export const ResponseItemResult = {
  Accepted: 'Accepted',
  Rejected: 'Rejected',
  Failed: 'Failed',
} as const;
/** One of the response item results. */
export type ResponseItemResult = (typeof ResponseItemResult)[keyof typeof ResponseItemResult];

/** An accept response item type: `{"@type": name, "result": "Accepted", …fields}`. */
export function acceptResponseItem<const N extends string, F extends z.ZodRawShape>(name: N, fields: F) {
  return z.strictObject({
    '@type': z.literal(name),
    result: z.literal(ResponseItemResult.Accepted),
    ...fields,
  });
}
