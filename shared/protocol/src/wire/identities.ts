import { z } from 'zod';
import {
  deviceName,
  devicePublicKey,
  ed25519PublicKey,
  ed25519Signature,
  identityAddress,
  isoTime,
  prefixedId,
} from './primitives.js';

/**
 * Request to create an identity with its first device. The identity key signs the challenge bound to the
 * device key, the device key signs it bound to the identity key: both private keys are proven, and neither
 * signature can be reused for another device or identity.
 */
export const createIdentityRequest = z.strictObject({
  challengeId: prefixedId('CHL'),
  identityPublicKey: ed25519PublicKey,
  devicePublicKey,
  identitySignature: ed25519Signature,
  deviceSignature: ed25519Signature,
  deviceName: deviceName.optional(),
});

/** What a device needs to connect: its JWT and where its mailbox is. */
export const deviceCredentialsSchema = z.strictObject({
  address: identityAddress,
  deviceId: devicePublicKey,
  jwt: z.string().min(1),
  jwtExpiresAt: isoTime,
  mailboxStream: z.string().min(1),
  mailboxSubject: z.string().min(1),
});
/** What a device needs to connect. */
export type DeviceCredentials = z.infer<typeof deviceCredentialsSchema>;

/** The answer to identity creation. */
export const createIdentityResponse = z.strictObject({
  address: identityAddress,
  createdAt: isoTime,
  credentials: deviceCredentialsSchema,
});

/** Where an identity stands in its deletion: `Active`, or `ToBeDeleted` until its grace period ends. */
export const IdentityDeletionStatus = { active: 'Active', toBeDeleted: 'ToBeDeleted' } as const;

/** An identity's deletion process as its devices see it. */
export const identityDeletionSchema = z.strictObject({
  status: z.enum([IdentityDeletionStatus.active, IdentityDeletionStatus.toBeDeleted]),
  startedAt: isoTime.optional(),
  gracePeriodEndsAt: isoTime.optional(),
});
/** An identity's deletion process. */
export type IdentityDeletion = z.infer<typeof identityDeletionSchema>;
