import {
  type Challenge,
  challengeSigningInput,
  deviceSeedToRaw,
  type SignaturePurpose,
  sign,
  toBase64Url,
} from '@enmesh/protocol';

/** An identity's key pair: raw Ed25519 public key and 32-byte private seed. */
export interface IdentityKeys {
  readonly address: string;
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** Signs a challenge for a purpose with an identity's private key; returns base64url. */
export function signWithIdentity(
  privateKey: Uint8Array,
  purpose: SignaturePurpose,
  challenge: Challenge,
  bound: readonly string[] = [],
): string {
  return toBase64Url(sign(privateKey, challengeSigningInput(purpose, challenge, bound)));
}

/** Signs a challenge for a purpose with a device's nkey seed (through node:crypto); returns base64url. */
export function signWithDevice(
  seed: Uint8Array,
  purpose: SignaturePurpose,
  challenge: Challenge,
  bound: readonly string[] = [],
): string {
  return toBase64Url(sign(deviceSeedToRaw(seed), challengeSigningInput(purpose, challenge, bound)));
}
