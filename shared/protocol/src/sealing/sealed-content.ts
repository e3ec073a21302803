/**
 * Sealed content of tokens, templates and file metadata (docs/protocol.md, "Sealing" › Sealed content):
 *
 *   sealed = 0x01 || nonce(12) || ChaCha20-Poly1305(key, nonce, plaintext, ad) (ciphertext || tag(16))
 *   ad     = UTF-8(JSON.stringify(["enmesh.sealed-content", 1, type, id]))
 *
 * The associated data binds the object's type and id, so the backbone cannot serve one token's
 * ciphertext under another id (or a template's as a token) without the open failing.
 */
import { AEAD_KEY_LENGTH, AEAD_NONCE_LENGTH, AEAD_OVERHEAD, open, sealWithNonce } from '../crypto/aead.js';
import { utf8 } from '../crypto/encoding.js';
import { CryptoError } from '../crypto/errors.js';
import { assertKey } from '../crypto/internal.js';
import { randomBytes } from '../crypto/random.js';

/** What a sealed content is bound to. */
export interface SealedContentContext {
  /** e.g. `token`, `template`, `file`: 1..64 characters `A-Z a-z 0-9 . _ -`. */
  type: string;
  /** The object's id: 1..128 characters `A-Z a-z 0-9 . _ -`. */
  id: string;
}

/** Version byte of the sealed-content layout. */
export const SEALED_CONTENT_VERSION = 1;
/** Bytes a sealed content adds to its plaintext: version, nonce and tag. */
export const SEALED_CONTENT_OVERHEAD = 1 + AEAD_OVERHEAD;

const LABEL = 'enmesh.sealed-content';
const TYPE = /^[A-Za-z0-9._-]{1,64}$/;
const ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The associated data of a sealed content (ASCII only, so its JSON form needs no escaping).
 * @throws {CryptoError} `error.crypto.invalidArgument` when type or id is outside its character set
 */
export function sealedContentAssociatedData(context: SealedContentContext): Uint8Array {
  if (typeof context !== 'object' || context === null) {
    throw new CryptoError('error.crypto.invalidArgument', 'context must be { type, id }');
  }
  const { type, id } = context;
  if (typeof type !== 'string' || !TYPE.test(type)) {
    throw new CryptoError(
      'error.crypto.invalidArgument',
      'context type must be 1..64 chars A-Z a-z 0-9 . _ -',
    );
  }
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new CryptoError(
      'error.crypto.invalidArgument',
      'context id must be 1..128 chars A-Z a-z 0-9 . _ -',
    );
  }
  return utf8(JSON.stringify([LABEL, SEALED_CONTENT_VERSION, type, id]));
}

/**
 * Seals `plaintext` under `key` (usually `contentKey(...)`), bound to `context`, with a fresh nonce.
 * @throws {CryptoError} `error.crypto.invalidKey` when `key` is not 32 bytes;
 *   `error.crypto.invalidArgument` for a bad context or a plaintext that is not bytes
 */
export function sealContent(
  key: Uint8Array,
  plaintext: Uint8Array,
  context: SealedContentContext,
): Uint8Array {
  return sealContentWithNonce(key, randomBytes(AEAD_NONCE_LENGTH), plaintext, context);
}

/**
 * `sealContent` with a caller-chosen nonce, for known-answer vectors only: a (key, nonce) pair must
 * never repeat.
 * @throws {CryptoError} as `sealContent`, and `error.crypto.invalidNonce` for a nonce not of 12 bytes
 */
export function sealContentWithNonce(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  context: SealedContentContext,
): Uint8Array {
  assertKey(key, AEAD_KEY_LENGTH, 'content key');
  const sealed = sealWithNonce(key, nonce, plaintext, sealedContentAssociatedData(context));
  const out = new Uint8Array(1 + sealed.length);
  out[0] = SEALED_CONTENT_VERSION;
  out.set(sealed, 1);
  return out;
}

/**
 * Opens a sealed content for `context`; nothing is returned unless it authenticates.
 * @throws {CryptoError} `error.crypto.decryptionFailed` for an unknown version, a truncated or tampered
 *   input, the wrong key or another type or id; `error.crypto.invalidKey` when `key` is not 32 bytes;
 *   `error.crypto.invalidArgument` for a bad context
 */
export function openContent(key: Uint8Array, sealed: Uint8Array, context: SealedContentContext): Uint8Array {
  assertKey(key, AEAD_KEY_LENGTH, 'content key');
  const ad = sealedContentAssociatedData(context);
  if (!(sealed instanceof Uint8Array) || sealed.length < SEALED_CONTENT_OVERHEAD) {
    throw new CryptoError('error.crypto.decryptionFailed', 'sealed content is too short');
  }
  if (sealed[0] !== SEALED_CONTENT_VERSION) {
    throw new CryptoError('error.crypto.decryptionFailed', 'unsupported sealed-content version');
  }
  return open(key, sealed.subarray(1), ad);
}
