import { z } from 'zod';
import { deviceCredentialsSchema } from './identities.js';
import {
  deviceName,
  devicePublicKey,
  ed25519Signature,
  identityAddress,
  isoTime,
  prefixedId,
} from './primitives.js';

/** A device as its identity's devices see it. */
export const deviceSchema = z.strictObject({
  id: devicePublicKey,
  name: z.string(),
  createdAt: isoTime,
  createdByDevice: devicePublicKey.optional(),
  lastLoginAt: isoTime.optional(),
  revokedAt: isoTime.optional(),
  isCurrent: z.boolean(),
});
/** A device as its identity's devices see it. */
export type Device = z.infer<typeof deviceSchema>;

/**
 * Request from an existing device to add a new one. The new device signed the challenge with its key
 * (purpose `device.add.device`, bound to the identity address); the identity key signed it bound to the new
 * device key (purpose `device.add.identity`).
 */
export const addDeviceRequest = z.strictObject({
  challengeId: prefixedId('CHL'),
  devicePublicKey,
  identitySignature: ed25519Signature,
  deviceSignature: ed25519Signature,
  name: deviceName.optional(),
  /**
   * Onboarding: the new device signed purpose `device.onboard` bound to the id of the empty token it shows
   * (it cannot know the identity's address yet) instead of `device.add.device` bound to the address.
   */
  onboardingToken: prefixedId('TOK').optional(),
});

/** The answer to adding a device: the new device's record and credentials. */
export const addDeviceResponse = z.strictObject({
  device: deviceSchema,
  credentials: deviceCredentialsSchema,
});

/** Request (bootstrap) for fresh credentials, proven by the device key over a challenge. */
export const loginDeviceRequest = z.strictObject({
  challengeId: prefixedId('CHL'),
  address: identityAddress,
  devicePublicKey,
  signature: ed25519Signature,
});

/** Names one device of the caller's identity. */
export const deviceIdRequest = z.strictObject({ deviceId: devicePublicKey });

/** Request to rename a device of the caller's identity. */
export const renameDeviceRequest = z.strictObject({ deviceId: devicePublicKey, name: deviceName });

/** The answer to listing devices. */
export const listDevicesResponse = z.strictObject({ devices: z.array(deviceSchema) });

/** Request to open the caller's mailbox from its cursor: the last stream sequence it has processed. */
export const openMailboxRequest = z.strictObject({
  cursor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

/** Where a device pulls its mailbox from. */
export const openMailboxResponse = z.strictObject({
  stream: z.string(),
  consumer: devicePublicKey,
  startSequence: z.number().int().min(1),
});

/** Request to store a device's cursor on the backbone, for a device that starts without local state. */
export const commitCursorRequest = z.strictObject({
  cursor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/** An empty success answer. */
export const okResponse = z.strictObject({ ok: z.literal(true) });

/** Answer for identity lookups done by devices. */
export const identityInfoResponse = z.strictObject({
  address: identityAddress,
  publicKey: z.string(),
  createdAt: isoTime,
});
