import { createUser, Prefix } from '@nats-io/nkeys';
// The codec is not re-exported by the package root; its deep path is stable across 2.x.
import { Codec } from '@nats-io/nkeys/lib/codec.js';
import { ErrorCodes, ProtocolError } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A NATS user nkey pair. The device key is such a pair: its public key names the device everywhere. */
export interface DeviceKeyPair {
  /** The public nkey, `U` followed by 55 base32 characters. */
  readonly publicKey: string;
  /** The nkey seed (`SU…`), the device's secret. */
  readonly seed: Uint8Array;
}

/** Generates a new device key pair (a NATS user nkey). */
export function generateDeviceKeyPair(): DeviceKeyPair {
  const pair = createUser();
  return { publicKey: pair.getPublicKey(), seed: pair.getSeed() };
}

/** Tells whether a string is a well-formed user public nkey (prefix and checksum). */
export function isDevicePublicKey(value: string): boolean {
  if (!/^U[A-Z2-7]{55}$/.test(value)) return false;
  try {
    Codec.decode(Prefix.User, encoder.encode(value));
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the raw 32-byte Ed25519 public key inside a user public nkey.
 * @throws ProtocolError `error.identities.invalidPublicKey` for anything but a valid user nkey.
 */
export function devicePublicKeyToRaw(publicKey: string): Uint8Array {
  if (!isDevicePublicKey(publicKey)) {
    throw new ProtocolError(ErrorCodes.invalidPublicKey, 'not a device public key (user nkey)');
  }
  return Codec.decode(Prefix.User, encoder.encode(publicKey));
}

/** Encodes a raw 32-byte Ed25519 public key as a user public nkey. */
export function rawToDevicePublicKey(raw: Uint8Array): string {
  return decoder.decode(Codec.encode(Prefix.User, raw));
}

/**
 * Returns the raw 32-byte Ed25519 seed inside a user nkey seed, so that signing can use node:crypto.
 * @throws ProtocolError `error.identities.invalidPublicKey` when the seed is not a user seed.
 */
export function deviceSeedToRaw(seed: Uint8Array): Uint8Array {
  try {
    const decoded = Codec.decodeSeed(seed);
    if (decoded.prefix !== Prefix.User) throw new Error('not a user seed');
    return decoded.buf;
  } catch (cause) {
    throw new ProtocolError(ErrorCodes.invalidPublicKey, 'not a device seed (user nkey seed)', { cause });
  }
}
