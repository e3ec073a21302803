import { z } from 'zod';
import { devicePublicKey, identityAddress, isoTime, prefixedId } from './primitives.js';
import { loadRequest, sealedContent, sharedContentFields } from './shared-content.js';

/** A token id: `TOK` + random characters. */
export const tokenId = prefixedId('TOK');

/** Request to store a token: sealed content, an expiry, optionally for one identity and/or a password. */
export const createTokenRequest = z.strictObject({ content: sealedContent, ...sharedContentFields });

/** A token as a loader sees it. `content` is absent for an empty token that was not filled yet. */
export const tokenSchema = z.strictObject({
  id: tokenId,
  createdBy: identityAddress.optional(),
  createdByDevice: devicePublicKey.optional(),
  createdAt: isoTime,
  expiresAt: isoTime,
  forIdentity: identityAddress.optional(),
  passwordKind: z.enum(['password', 'pin']).optional(),
  content: sealedContent.optional(),
});
/** A token as a loader sees it. */
export type Token = z.infer<typeof tokenSchema>;

/** Request to load a token by id. */
export const loadTokenRequest = loadRequest(tokenId);

/** Request to fill an empty token once. */
export const fillTokenRequest = z.strictObject({ id: tokenId, content: sealedContent });

/** Request to delete one's own token. */
export const deleteTokenRequest = z.strictObject({ id: tokenId });
