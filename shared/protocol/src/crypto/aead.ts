/**
 * ChaCha20-Poly1305 AEAD (RFC 8439, IETF variant) on node:crypto.
 *
 * Sealed form: `nonce (12) || ciphertext (len(plaintext)) || tag (16)`. The key is 32 bytes; the nonce
 * is 12 random bytes per message (`seal`), so a key must not seal more than about 2^32 messages.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CryptoError } from './errors.js';
import { assertBytes, assertKey } from './internal.js';
import { randomBytes } from './random.js';
import { SODIUM_AEAD_MAX_BYTES, sodiumOpen, sodiumSeal } from './sodium.js';

/** AEAD key length. */
export const AEAD_KEY_LENGTH = 32;
/** AEAD nonce length. */
export const AEAD_NONCE_LENGTH = 12;
/** AEAD tag length. */
export const AEAD_TAG_LENGTH = 16;
/** Bytes `seal` adds to the plaintext (nonce + tag). */
export const AEAD_OVERHEAD = AEAD_NONCE_LENGTH + AEAD_TAG_LENGTH;

const ALGORITHM = 'chacha20-poly1305';
const EMPTY = new Uint8Array(0);

/**
 * Encrypts and authenticates `plaintext` (and authenticates `associatedData`, default empty) under
 * `key` with a fresh random nonce. Returns `nonce || ciphertext || tag`.
 * @throws {CryptoError} `error.crypto.invalidKey` when `key` is not 32 bytes,
 *   `error.crypto.invalidArgument` when `plaintext` or `associatedData` is not a Uint8Array
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array): Uint8Array {
  return sealWithNonce(key, randomBytes(AEAD_NONCE_LENGTH), plaintext, associatedData);
}

function assertNonce(nonce: Uint8Array): void {
  assertBytes(nonce, 'nonce', 'error.crypto.invalidNonce');
  if (nonce.length !== AEAD_NONCE_LENGTH) {
    throw new CryptoError('error.crypto.invalidNonce', `nonce must be ${AEAD_NONCE_LENGTH} bytes`);
  }
}

/**
 * `seal` with a caller-chosen nonce, for known-answer tests and deterministic constructions. The
 * caller must never use a (key, nonce) pair twice.
 * @throws {CryptoError} `error.crypto.invalidKey` when `key` is not 32 bytes,
 *   `error.crypto.invalidNonce` when `nonce` is not 12 bytes,
 *   `error.crypto.invalidArgument` when `plaintext` or `associatedData` is not a Uint8Array
 */
export function sealWithNonce(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array = EMPTY,
): Uint8Array {
  assertKey(key, AEAD_KEY_LENGTH, 'AEAD key');
  assertNonce(nonce);
  assertBytes(plaintext, 'plaintext');
  assertBytes(associatedData, 'associatedData');
  if (plaintext.length <= SODIUM_AEAD_MAX_BYTES) {
    const body = sodiumSeal(key, nonce, plaintext, associatedData);
    const sealed = new Uint8Array(AEAD_NONCE_LENGTH + body.length);
    sealed.set(nonce, 0);
    sealed.set(body, AEAD_NONCE_LENGTH);
    return sealed;
  }
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: AEAD_TAG_LENGTH });
  cipher.setAAD(associatedData, { plaintextLength: plaintext.length });
  const body = cipher.update(plaintext);
  const rest = cipher.final();
  const tag = cipher.getAuthTag();
  const sealed = new Uint8Array(AEAD_NONCE_LENGTH + body.length + rest.length + AEAD_TAG_LENGTH);
  sealed.set(nonce, 0);
  sealed.set(body, AEAD_NONCE_LENGTH);
  sealed.set(rest, AEAD_NONCE_LENGTH + body.length);
  sealed.set(tag, sealed.length - AEAD_TAG_LENGTH);
  return sealed;
}

/**
 * Verifies and decrypts `nonce || ciphertext || tag` under `key` with `associatedData` (default
 * empty). Nothing is returned unless the tag verifies.
 * @throws {CryptoError} `error.crypto.decryptionFailed` for any tampered, truncated or mis-keyed
 *   input; `error.crypto.invalidKey` when `key` is not 32 bytes;
 *   `error.crypto.invalidArgument` when `associatedData` is not a Uint8Array
 */
export function open(key: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array = EMPTY): Uint8Array {
  assertKey(key, AEAD_KEY_LENGTH, 'AEAD key');
  assertBytes(associatedData, 'associatedData');
  if (!(sealed instanceof Uint8Array) || sealed.length < AEAD_OVERHEAD) {
    throw new CryptoError('error.crypto.decryptionFailed', 'sealed input is too short');
  }
  const nonce = sealed.subarray(0, AEAD_NONCE_LENGTH);
  if (sealed.length - AEAD_OVERHEAD <= SODIUM_AEAD_MAX_BYTES) {
    try {
      return sodiumOpen(key, nonce, sealed.subarray(AEAD_NONCE_LENGTH), associatedData);
    } catch (cause) {
      throw new CryptoError('error.crypto.decryptionFailed', 'decryption failed', { cause });
    }
  }
  const ciphertext = sealed.subarray(AEAD_NONCE_LENGTH, sealed.length - AEAD_TAG_LENGTH);
  const tag = sealed.subarray(sealed.length - AEAD_TAG_LENGTH);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: AEAD_TAG_LENGTH });
    decipher.setAuthTag(tag);
    decipher.setAAD(associatedData, { plaintextLength: ciphertext.length });
    const body = decipher.update(ciphertext);
    const rest = decipher.final();
    const plaintext = new Uint8Array(body.length + rest.length);
    plaintext.set(body, 0);
    plaintext.set(rest, body.length);
    return plaintext;
  } catch (cause) {
    throw new CryptoError('error.crypto.decryptionFailed', 'decryption failed', { cause });
  }
}

/**
 * `open` for a construction that derives its nonce instead of storing it: verifies and decrypts
 * `ciphertext || tag` under `key` and `nonce`, without copying the input or the output.
 * @throws {CryptoError} as `open`, and `error.crypto.invalidNonce` when `nonce` is not 12 bytes
 */
export function openWithNonce(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertextAndTag: Uint8Array,
  associatedData: Uint8Array = EMPTY,
): Uint8Array {
  assertKey(key, AEAD_KEY_LENGTH, 'AEAD key');
  assertNonce(nonce);
  assertBytes(associatedData, 'associatedData');
  if (!(ciphertextAndTag instanceof Uint8Array) || ciphertextAndTag.length < AEAD_TAG_LENGTH) {
    throw new CryptoError('error.crypto.decryptionFailed', 'sealed input is too short');
  }
  const ciphertext = ciphertextAndTag.subarray(0, ciphertextAndTag.length - AEAD_TAG_LENGTH);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: AEAD_TAG_LENGTH });
    decipher.setAuthTag(ciphertextAndTag.subarray(ciphertext.length));
    decipher.setAAD(associatedData, { plaintextLength: ciphertext.length });
    const body = decipher.update(ciphertext);
    const rest = decipher.final();
    if (rest.length === 0) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    const plaintext = new Uint8Array(body.length + rest.length);
    plaintext.set(body, 0);
    plaintext.set(rest, body.length);
    return plaintext;
  } catch (cause) {
    throw new CryptoError('error.crypto.decryptionFailed', 'decryption failed', { cause });
  }
}
