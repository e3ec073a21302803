/**
 * X25519 key agreement (RFC 7748) on node:crypto.
 *
 * Raw formats: private key 32 bytes (any value; clamped by the scalar multiplication itself, so it is
 * stored unclamped), public key 32 bytes (the u-coordinate, little-endian; the top bit is ignored).
 */
import { diffieHellman } from 'node:crypto';
import { CryptoError } from './errors.js';
import { assertKey, copyBytes, ownBytes, redactedKeyPair } from './internal.js';
import { privateKeyObject, publicKeyObject, rawPublicKeyOf } from './key-import.js';
import { randomBytes } from './random.js';

/** Length of a raw X25519 private key. */
export const EXCHANGE_PRIVATE_KEY_LENGTH = 32;
/** Length of a raw X25519 public key. */
export const EXCHANGE_PUBLIC_KEY_LENGTH = 32;
/** Length of an X25519 shared secret. */
export const SHARED_SECRET_LENGTH = 32;

/** An X25519 key pair in raw form. Prints only its public key. */
export interface ExchangeKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** Generates a fresh X25519 key pair from 32 bytes of CSPRNG output. */
export function generateExchangeKeyPair(): ExchangeKeyPair {
  return exchangeKeyPairFromPrivate(randomBytes(EXCHANGE_PRIVATE_KEY_LENGTH));
}

/**
 * Rebuilds the X25519 key pair of a 32-byte private key (public = X25519(private, 9)). The returned
 * object holds copies; it prints (toString / JSON.stringify / util.inspect) only the public key;
 * read `privateKey` explicitly to store it.
 * @throws {CryptoError} `error.crypto.invalidKey` when the private key is not 32 bytes
 */
export function exchangeKeyPairFromPrivate(privateKey: Uint8Array): ExchangeKeyPair {
  assertKey(privateKey, EXCHANGE_PRIVATE_KEY_LENGTH, 'X25519 private key');
  const publicKey = rawPublicKeyOf(privateKeyObject('x25519', privateKey));
  return redactedKeyPair<ExchangeKeyPair>('ExchangeKeyPair', publicKey, copyBytes(privateKey));
}

/**
 * The raw X25519 shared secret X25519(privateKey, peerPublicKey), 32 bytes. Not a key: run it
 * through `hkdf` before use. Rejects peer keys of small order (whose result is all zero, RFC 7748 §6.1).
 * @throws {CryptoError} `error.crypto.invalidKey` when a key is not 32 bytes or the result is all zero
 */
export function sharedSecret(privateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  assertKey(privateKey, EXCHANGE_PRIVATE_KEY_LENGTH, 'X25519 private key');
  assertKey(peerPublicKey, EXCHANGE_PUBLIC_KEY_LENGTH, 'X25519 public key');
  let secret: Uint8Array;
  try {
    secret = diffieHellman({
      privateKey: privateKeyObject('x25519', privateKey),
      publicKey: publicKeyObject('x25519', peerPublicKey),
    });
  } catch (cause) {
    // OpenSSL refuses to derive an all-zero secret; that and any other failure is a bad peer key.
    throw new CryptoError('error.crypto.invalidKey', 'X25519 failed: peer public key is of small order', {
      cause,
    });
  }
  let bits = 0;
  for (const byte of secret) bits |= byte;
  if (bits === 0) {
    throw new CryptoError('error.crypto.invalidKey', 'X25519 failed: peer public key is of small order');
  }
  return ownBytes(secret);
}
