import { z } from 'zod';
import { base64UrlBytes, identityAddress, isoTime } from './primitives.js';

/** Largest sealed content of a token or template, in bytes (before base64url). */
export const maxSharedContentBytes = 128 * 1024;

/** Sealed content, base64url: opaque to the backbone. */
export const sealedContent = z
  .string()
  .min(1)
  .max(Math.ceil((maxSharedContentBytes * 4) / 3), `must be at most ${maxSharedContentBytes} bytes`)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');

/**
 * Password protection as the backbone sees it: a verifier derived from the password (it reveals neither the
 * password nor the content key), and whether it is a password or a PIN (shown to the loader).
 */
export const passwordProtection = z.strictObject({
  verifier: base64UrlBytes(32),
  kind: z.enum(['password', 'pin']),
});

/** What every token and template carries besides its content. */
export const sharedContentFields = {
  expiresAt: isoTime,
  forIdentity: identityAddress.optional(),
  password: passwordProtection.optional(),
};

/** A load by id, with the password verifier when the object is protected. */
export function loadRequest(idSchema: z.ZodString) {
  return z.strictObject({ id: idSchema, passwordVerifier: base64UrlBytes(32).optional() });
}
