import { z } from 'zod';

/** Base64url (no padding) text of exactly `bytes` bytes. */
export function base64UrlBytes(bytes: number) {
  const length = Math.ceil((bytes * 4) / 3);
  return z
    .string()
    .length(length, `must be ${bytes} bytes in base64url (${length} characters)`)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');
}

/** A raw Ed25519 public key, base64url. */
export const ed25519PublicKey = base64UrlBytes(32);
/** An Ed25519 signature, base64url. */
export const ed25519Signature = base64UrlBytes(64);
/** A device public key: a NATS user nkey. */
export const devicePublicKey = z.string().regex(/^U[A-Z2-7]{55}$/, 'must be a user public nkey');
/** An identity address in the Enmeshed form. */
export const identityAddress = z
  .string()
  .max(300)
  .regex(/^did:e:[a-z0-9.-]{1,253}:dids:[0-9a-f]{8,128}$/, 'must be an identity address');
/** An ISO-8601 UTC timestamp. */
export const isoTime = z.iso.datetime();
/** A backbone id with a three-letter prefix, e.g. `CHL…`. */
export function prefixedId(prefix: string) {
  return z.string().regex(new RegExp(`^${prefix}[A-Za-z0-9]{17,40}$`), `must be a ${prefix} id`);
}
/** A human-readable device name. */
export const deviceName = z.string().trim().min(1).max(100);
/** An empty request body (`{}`); unknown fields are refused so that typos surface. */
export const emptyRequest = z.strictObject({});
