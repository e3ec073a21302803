/**
 * Hashes and key derivation on node:crypto: SHA-256, SHA-512, HMAC-SHA256, HKDF-SHA256 (RFC 5869).
 */
import { createHash, createHmac, hash, hkdfSync } from 'node:crypto';
import { utf8 } from './encoding.js';
import { CryptoError } from './errors.js';
import { assertBytes, ownBytes } from './internal.js';

/** Largest HKDF-SHA256 output: 255 blocks of 32 bytes. */
export const HKDF_MAX_LENGTH = 255 * 32;
/** node's hkdfSync refuses info longer than this; longer info takes the HMAC path below. */
const NODE_HKDF_MAX_INFO = 1024;

/**
 * SHA-256 of `data` (32 bytes).
 * @throws {CryptoError} `error.crypto.invalidArgument` when `data` is not a Uint8Array
 */
export function sha256(data: Uint8Array): Uint8Array {
  assertBytes(data, 'data');
  // One-shot `hash` (Node >= 20.12; the engines field asks 20.19) skips a Hash object per call: messages take
  // two per seal and two per open.
  return ownBytes(hash('sha256', data, 'buffer'));
}

/**
 * SHA-512 of `data` (64 bytes).
 * @throws {CryptoError} `error.crypto.invalidArgument` when `data` is not a Uint8Array
 */
export function sha512(data: Uint8Array): Uint8Array {
  assertBytes(data, 'data');
  return ownBytes(createHash('sha512').update(data).digest());
}

/**
 * HMAC-SHA256 (RFC 2104) of `data` under `key` (any length, including empty); 32 bytes.
 * @throws {CryptoError} `error.crypto.invalidArgument` when an argument is not a Uint8Array
 */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  assertBytes(key, 'key');
  assertBytes(data, 'data');
  return ownBytes(createHmac('sha256', key).update(data).digest());
}

/** RFC 5869 extract-then-expand with HMAC-SHA256, for inputs node's hkdfSync does not take. */
function hkdfWithHmac(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const prk = createHmac('sha256', salt).update(ikm).digest();
  const okm = new Uint8Array(length);
  let block: Uint8Array = new Uint8Array(0);
  for (let i = 1, offset = 0; offset < length; i++) {
    block = createHmac('sha256', prk).update(block).update(info).update(Uint8Array.of(i)).digest();
    okm.set(block.subarray(0, Math.min(block.length, length - offset)), offset);
    offset += block.length;
  }
  prk.fill(0);
  return okm;
}

/**
 * HKDF-SHA256 (RFC 5869): `length` bytes of output keying material from `ikm`, `salt` (an empty salt
 * means 32 zero bytes, as in the RFC) and `info` (a string is encoded as UTF-8).
 * @throws {CryptoError} `error.crypto.invalidArgument` for non-byte inputs or a `length` outside
 *   [1, 8160]; `error.crypto.invalidEncoding` for an `info` string with a lone surrogate
 */
export function hkdf(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: string | Uint8Array,
  length: number,
): Uint8Array {
  assertBytes(ikm, 'ikm');
  assertBytes(salt, 'salt');
  const infoBytes = typeof info === 'string' ? utf8(info) : info;
  assertBytes(infoBytes, 'info');
  if (!Number.isSafeInteger(length) || length < 1 || length > HKDF_MAX_LENGTH) {
    throw new CryptoError(
      'error.crypto.invalidArgument',
      `length must be an integer in [1, ${HKDF_MAX_LENGTH}]`,
    );
  }
  if (infoBytes.length > NODE_HKDF_MAX_INFO) return hkdfWithHmac(ikm, salt, infoBytes, length);
  return new Uint8Array(hkdfSync('sha256', ikm, salt, infoBytes, length));
}
