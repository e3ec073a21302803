/**
 * Ed25519 signatures (RFC 8032, pure Ed25519, no context, no pre-hash) on node:crypto.
 *
 * Raw formats: private key = the 32-byte seed, public key = 32 bytes, signature = 64 bytes.
 */
import { sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { CryptoError } from './errors.js';
import { assertBytes, assertKey, copyBytes, ownBytes, redactedKeyPair } from './internal.js';
import { privateKeyObject, publicKeyObject, rawPublicKeyOf } from './key-import.js';
import { randomBytes } from './random.js';

/** Length of an Ed25519 seed (the raw private key). */
export const SIGNING_PRIVATE_KEY_LENGTH = 32;
/** Length of a raw Ed25519 public key. */
export const SIGNING_PUBLIC_KEY_LENGTH = 32;
/** Length of an Ed25519 signature. */
export const SIGNATURE_LENGTH = 64;

/** An Ed25519 key pair in raw form. Prints only its public key. */
export interface SigningKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** Generates a fresh Ed25519 key pair from 32 bytes of CSPRNG output. */
export function generateSigningKeyPair(): SigningKeyPair {
  return signingKeyPairFromSeed(randomBytes(SIGNING_PRIVATE_KEY_LENGTH));
}

/**
 * Rebuilds the Ed25519 key pair of a 32-byte seed. The returned object holds copies; it prints
 * (toString / JSON.stringify / util.inspect) only the public key; read `privateKey` explicitly to store it.
 * @throws {CryptoError} `error.crypto.invalidKey` when the seed is not 32 bytes
 */
export function signingKeyPairFromSeed(seed: Uint8Array): SigningKeyPair {
  assertKey(seed, SIGNING_PRIVATE_KEY_LENGTH, 'Ed25519 seed');
  const publicKey = rawPublicKeyOf(privateKeyObject('ed25519', seed));
  return redactedKeyPair<SigningKeyPair>('SigningKeyPair', publicKey, copyBytes(seed));
}

/**
 * Signs `message` with Ed25519; returns the 64-byte signature (deterministic per RFC 8032).
 * @throws {CryptoError} `error.crypto.invalidKey` when `privateKey` is not a 32-byte seed,
 *   `error.crypto.invalidArgument` when `message` is not a Uint8Array
 */
export function sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  assertKey(privateKey, SIGNING_PRIVATE_KEY_LENGTH, 'Ed25519 private key');
  assertBytes(message, 'message');
  return ownBytes(nodeSign(null, message, privateKeyObject('ed25519', privateKey)));
}

/**
 * Verifies an Ed25519 signature. Returns `false` for any signature that does not verify, including
 * one of the wrong length or type, and for a 32-byte public key that is not a curve point.
 * @throws {CryptoError} `error.crypto.invalidKey` when `publicKey` is not 32 bytes,
 *   `error.crypto.invalidArgument` when `message` is not a Uint8Array
 */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  assertKey(publicKey, SIGNING_PUBLIC_KEY_LENGTH, 'Ed25519 public key');
  assertBytes(message, 'message');
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_LENGTH) return false;
  let key: ReturnType<typeof publicKeyObject>;
  try {
    key = publicKeyObject('ed25519', publicKey);
  } catch (error) {
    if (CryptoError.isCryptoError(error, 'error.crypto.invalidKey')) return false;
    throw error;
  }
  try {
    return nodeVerify(null, message, key, signature);
  } catch {
    return false;
  }
}
