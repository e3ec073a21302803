import { z } from 'zod';
import { devicePublicKey, identityAddress, isoTime, prefixedId } from './primitives.js';
import { loadRequest, sealedContent, sharedContentFields } from './shared-content.js';

/** A relationship template id: `RLT` + random characters. */
export const templateId = prefixedId('RLT');

/** Most allocations a template may allow. */
export const maxTemplateAllocations = 100_000;

/**
 * Request to store a relationship template. Its sealed content holds the creator's signature and X25519
 * exchange key; `maxNumberOfAllocations` bounds how many identities may load it.
 */
export const createTemplateRequest = z.strictObject({
  content: sealedContent,
  ...sharedContentFields,
  maxNumberOfAllocations: z.number().int().min(1).max(maxTemplateAllocations).optional(),
});

/** A template as a loader sees it. */
export const templateSchema = z.strictObject({
  id: templateId,
  createdBy: identityAddress,
  createdByDevice: devicePublicKey,
  createdAt: isoTime,
  expiresAt: isoTime,
  forIdentity: identityAddress.optional(),
  passwordKind: z.enum(['password', 'pin']).optional(),
  maxNumberOfAllocations: z.number().int().optional(),
  content: sealedContent,
});
/** A template as a loader sees it. */
export type Template = z.infer<typeof templateSchema>;

/** Request to load a template by id (allocates it for the caller's identity). */
export const loadTemplateRequest = loadRequest(templateId);

/** Request to delete one's own template. */
export const deleteTemplateRequest = z.strictObject({ id: templateId });
