import { isValidAddress } from '@enmesh/protocol';
import { z } from 'zod';

/**
 * An identity address, `did:e:<host>:dids:<hash><checksum>`, checked the way the protocol checks it
 * (prefix, host, 22 lower-case hex characters and the checksum).
 */
export const addressSchema = z
  .string()
  .refine(
    (value) => isValidAddress(value),
    'must be an identity address did:e:<host>:dids:<22 hex characters>',
  );

/**
 * An id with a three-letter prefix, e.g. `ATT…` for attributes or `REQ…` for requests: the prefix and 17 to
 * 40 letters or digits (Enmeshed ids have 17; the backbone may issue longer ones).
 */
export function prefixedIdSchema(prefix: string) {
  return z.string().regex(new RegExp(`^${prefix}[A-Za-z0-9]{17,40}$`), `must be a ${prefix} id`);
}

/** A local attribute id (`ATT…`). */
export const attributeIdSchema = prefixedIdSchema('ATT');
/** A request id (`REQ…`). */
export const requestIdSchema = prefixedIdSchema('REQ');
/** A message id (`MSG…`). */
export const messageIdSchema = prefixedIdSchema('MSG');
/** A notification id (`NOT…`). */
export const notificationIdSchema = prefixedIdSchema('NOT');
/** A relationship template id (`RLT…`). */
export const templateIdSchema = prefixedIdSchema('RLT');
/** A file id (`FIL…`). */
export const fileIdSchema = prefixedIdSchema('FIL');

/** An ISO-8601 timestamp with a time zone, e.g. `2025-01-31T12:00:00.000Z`. */
export const dateTimeSchema = z.iso.datetime({ offset: true });

/** Free metadata the sender attaches and gets back in the response: any JSON object. */
export const metadataSchema = z.record(z.string(), z.json());

/** Any JSON value (used where Enmeshed carries application data as-is). */
export const jsonValueSchema = z.json();

/** Any JSON object. */
export const jsonObjectSchema = z.record(z.string(), z.json());

/** Tells whether the JSON text of `value` is at most `max` characters long. */
export function jsonFits(value: unknown, max: number): boolean {
  try {
    const text = JSON.stringify(value);
    return text !== undefined && text.length <= max;
  } catch {
    return false;
  }
}
