/**
 * What a token carries so that the one who loads it can load something else: a relationship template, a
 * file, a device onboarding secret, or a verifiable presentation.
 */
import { z } from 'zod';
import { addressSchema, fileIdSchema, jsonObjectSchema, templateIdSchema } from '../primitives.js';

/** A symmetric key as JSON: the key bytes (base64 or base64url) and the algorithm number. */
export const secretKeySchema = z.strictObject({
  '@type': z.literal('CryptoSecretKey').optional(),
  key: z.string().regex(/^[A-Za-z0-9+/_-]{16,128}={0,2}$/, 'must be a base64 key'),
  alg: z.number().int().min(1).max(255),
});

/** How a shared object is password protected: password or PIN of 4..16 digits, the salt, where to find it. */
export const sharedPasswordProtectionSchema = z.strictObject({
  passwordType: z.string().regex(/^(?:pw|pin(?:[4-9]|1[0-6]))$/, 'must be pw or pin4 … pin16'),
  salt: z.string().regex(/^[A-Za-z0-9+/_-]{16,64}={0,2}$/, 'must be a base64 salt'),
  passwordLocationIndicator: z.number().int().min(0).max(99).optional(),
});

/** Points to a relationship template: its id and key, and who may load it with which password. */
export const tokenContentRelationshipTemplateSchema = z.strictObject({
  '@type': z.literal('TokenContentRelationshipTemplate'),
  templateId: templateIdSchema,
  secretKey: secretKeySchema,
  forIdentity: addressSchema.optional(),
  passwordProtection: sharedPasswordProtectionSchema.optional(),
});
/** A TokenContentRelationshipTemplate. */
export type TokenContentRelationshipTemplate = z.infer<typeof tokenContentRelationshipTemplateSchema>;

/** Points to a file: its id and key. */
export const tokenContentFileSchema = z.strictObject({
  '@type': z.literal('TokenContentFile'),
  fileId: fileIdSchema,
  secretKey: secretKeySchema,
});
/** A TokenContentFile. */
export type TokenContentFile = z.infer<typeof tokenContentFileSchema>;

/** Onboards a new device of the same identity: the shared secret, opaque to the content layer. */
export const tokenContentDeviceSharedSecretSchema = z.strictObject({
  '@type': z.literal('TokenContentDeviceSharedSecret'),
  sharedSecret: jsonObjectSchema,
});
/** A TokenContentDeviceSharedSecret. */
export type TokenContentDeviceSharedSecret = z.infer<typeof tokenContentDeviceSharedSecretSchema>;

/** A verifiable presentation handed over by token: the presentation, its type and display information. */
export const tokenContentVerifiablePresentationSchema = z.strictObject({
  '@type': z.literal('TokenContentVerifiablePresentation'),
  value: z.union([z.string().min(1), jsonObjectSchema]),
  type: z.string().min(1).max(100),
  displayInformation: z.array(jsonObjectSchema).optional(),
});
/** A TokenContentVerifiablePresentation. */
export type TokenContentVerifiablePresentation = z.infer<typeof tokenContentVerifiablePresentationSchema>;
