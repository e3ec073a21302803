import { z } from 'zod';
import { devicePublicKey, identityAddress, isoTime, prefixedId } from './primitives.js';

/** Who a challenge is signed by: an identity key, or a device key. */
export const ChallengeType = { identity: 'Identity', device: 'Device' } as const;
/** One of the challenge types. */
export type ChallengeType = (typeof ChallengeType)[keyof typeof ChallengeType];

/** A challenge as the backbone issues it: a fresh id with an expiry, and who asked for it. */
export const challengeSchema = z.strictObject({
  id: prefixedId('CHL'),
  type: z.enum([ChallengeType.identity, ChallengeType.device]),
  expiresAt: isoTime,
  createdBy: identityAddress.optional(),
  createdByDevice: devicePublicKey.optional(),
});
/** A challenge as the backbone issues it. */
export type Challenge = z.infer<typeof challengeSchema>;

/** Request to create a challenge. Anonymous callers always get an `Identity` challenge. */
export const createChallengeRequest = z.strictObject({
  type: z.enum([ChallengeType.identity, ChallengeType.device]).optional(),
});

/** Request to check a signature over a challenge of type Identity (its creator's key) or Device. */
export const validateChallengeRequest = z.strictObject({
  challengeId: prefixedId('CHL'),
  signature: z.string().min(1).max(200),
});

/** The answer of a challenge validation. */
export const validateChallengeResponse = z.strictObject({
  isValid: z.boolean(),
  type: z.enum([ChallengeType.identity, ChallengeType.device]),
  createdBy: identityAddress.optional(),
  createdByDevice: devicePublicKey.optional(),
});

/**
 * What a signature over a challenge is for. Each purpose signs different bytes, so a signature made for one
 * purpose can never be replayed for another.
 */
export const SignaturePurpose = {
  challenge: 'challenge',
  registerIdentity: 'register.identity',
  registerDevice: 'register.device',
  addDeviceIdentity: 'device.add.identity',
  addDeviceDevice: 'device.add.device',
  deviceLogin: 'device.login',
  /** A new device's consent to join the identity that fills the empty token it shows. */
  deviceOnboard: 'device.onboard',
} as const;
/** One of the signature purposes. */
export type SignaturePurpose = (typeof SignaturePurpose)[keyof typeof SignaturePurpose];

/**
 * Returns the exact bytes signed over a challenge: the UTF-8 of a JSON array
 * `["enmesh", purpose, 1, id, type, createdBy|null, createdByDevice|null, expiresAt, ...bound]`.
 * A JSON array of strings has one serialisation, so both sides compute the same bytes.
 */
export function challengeSigningInput(
  purpose: SignaturePurpose,
  challenge: Challenge,
  bound: readonly string[] = [],
): Uint8Array {
  const fields = [
    'enmesh',
    purpose,
    1,
    challenge.id,
    challenge.type,
    challenge.createdBy ?? null,
    challenge.createdByDevice ?? null,
    challenge.expiresAt,
    ...bound,
  ];
  return new TextEncoder().encode(JSON.stringify(fields));
}
