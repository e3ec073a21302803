/**
 * File chunks (docs/protocol.md, "Sealing" › Files): a file's bytes are cut into chunks of `chunkSize`
 * bytes (the last one shorter, an empty file one empty chunk) and each chunk is sealed on its own, so a
 * file of any size streams through a few chunks of memory:
 *
 *   chunkKey  = HKDF(contentKey, salt = fileSalt (16), "enmesh/file/chunk/v1", 32)
 *   nonce(i)  = 12-byte big-endian i
 *   ad(i)     = fileSalt (16) || uint32be(i) || (0x01 if i is the last chunk else 0x00)
 *   sealed(i) = ChaCha20-Poly1305(chunkKey, nonce(i), plaintext(i), ad(i))     ciphertext || tag (16)
 *
 * Every file has a fresh random content key and salt, so the counter nonces never repeat under one key.
 * The index in nonce and associated data keeps chunks in their place; the last-chunk flag makes a file
 * cut short at a chunk boundary fail; the salt binds the chunks to their file.
 */
import {
  AEAD_KEY_LENGTH,
  AEAD_NONCE_LENGTH,
  AEAD_TAG_LENGTH,
  openWithNonce,
  sealWithNonce,
} from '../crypto/aead.js';
import { CryptoError } from '../crypto/errors.js';
import { assertKey } from '../crypto/internal.js';
import { hkdf } from '../crypto/kdf.js';
import { ensure, isIntegerIn } from './internal.js';

/** Length of a file's random salt. */
export const FILE_SALT_LENGTH = 16;
/** Bytes a sealed chunk adds to its plaintext (the Poly1305 tag; the nonce is derived, not stored). */
export const FILE_CHUNK_OVERHEAD = AEAD_TAG_LENGTH;
/** HKDF info of the chunk key. */
export const FILE_CHUNK_KEY_INFO = 'enmesh/file/chunk/v1';
/** Most chunks a file can have (the index is an unsigned 32-bit integer). */
export const MAX_FILE_CHUNKS = 2 ** 32 - 1;

function assertSalt(fileSalt: Uint8Array): void {
  ensure(
    fileSalt instanceof Uint8Array && fileSalt.length === FILE_SALT_LENGTH,
    'error.crypto.invalidArgument',
    `the file salt must be ${FILE_SALT_LENGTH} bytes`,
  );
}

function assertIndex(index: number): void {
  ensure(
    isIntegerIn(index, 0, MAX_FILE_CHUNKS - 1),
    'error.crypto.invalidArgument',
    'the chunk index must be an integer in [0, 2^32 - 2]',
  );
}

/**
 * Derives the key that seals a file's chunks from its content key and salt.
 * @throws {CryptoError} `error.crypto.invalidKey` for a content key that is not 32 bytes;
 *   `error.crypto.invalidArgument` for a salt that is not 16 bytes
 */
export function deriveFileChunkKey(contentKey: Uint8Array, fileSalt: Uint8Array): Uint8Array {
  assertKey(contentKey, AEAD_KEY_LENGTH, 'file content key');
  assertSalt(fileSalt);
  return hkdf(contentKey, fileSalt, FILE_CHUNK_KEY_INFO, AEAD_KEY_LENGTH);
}

/** The nonce of chunk `index`: the index as a 12-byte big-endian integer. */
export function fileChunkNonce(index: number): Uint8Array {
  assertIndex(index);
  const nonce = new Uint8Array(AEAD_NONCE_LENGTH);
  new DataView(nonce.buffer).setUint32(AEAD_NONCE_LENGTH - 4, index);
  return nonce;
}

/** The associated data of chunk `index`: salt, index and the last-chunk flag (21 bytes). */
export function fileChunkAssociatedData(fileSalt: Uint8Array, index: number, isLast: boolean): Uint8Array {
  assertSalt(fileSalt);
  assertIndex(index);
  const ad = new Uint8Array(FILE_SALT_LENGTH + 5);
  ad.set(fileSalt, 0);
  const view = new DataView(ad.buffer);
  view.setUint32(FILE_SALT_LENGTH, index);
  view.setUint8(FILE_SALT_LENGTH + 4, isLast ? 1 : 0);
  return ad;
}

/**
 * Seals chunk `index` of a file (`ciphertext || tag`, 16 bytes longer than the plaintext). The same
 * (key, index) must never seal two different plaintexts: a retried chunk is sealed from the same bytes.
 * @throws {CryptoError} `error.crypto.invalidKey` or `error.crypto.invalidArgument` for bad inputs
 */
export function sealFileChunk(
  chunkKey: Uint8Array,
  fileSalt: Uint8Array,
  index: number,
  isLast: boolean,
  plaintext: Uint8Array,
): Uint8Array {
  const ad = fileChunkAssociatedData(fileSalt, index, isLast);
  return sealWithNonce(chunkKey, fileChunkNonce(index), plaintext, ad).subarray(AEAD_NONCE_LENGTH);
}

/**
 * Opens chunk `index` of a file; nothing is returned unless it authenticates at this index, with this
 * last-chunk flag, for this file.
 * @throws {CryptoError} `error.crypto.decryptionFailed` for a tampered, moved, truncated or foreign chunk;
 *   `error.crypto.invalidKey` or `error.crypto.invalidArgument` for bad inputs
 */
export function openFileChunk(
  chunkKey: Uint8Array,
  fileSalt: Uint8Array,
  index: number,
  isLast: boolean,
  sealed: Uint8Array,
): Uint8Array {
  const ad = fileChunkAssociatedData(fileSalt, index, isLast);
  if (!(sealed instanceof Uint8Array) || sealed.length < FILE_CHUNK_OVERHEAD) {
    throw new CryptoError('error.crypto.decryptionFailed', 'the sealed chunk is too short');
  }
  return openWithNonce(chunkKey, fileChunkNonce(index), sealed, ad);
}

/**
 * The number of chunks of a file of `size` bytes cut into `chunkSize` pieces (an empty file has one
 * empty chunk).
 * @throws {CryptoError} `error.crypto.invalidArgument` for a negative size, a chunk size below 1 or more
 *   chunks than an index can count
 */
export function fileChunkCount(size: number, chunkSize: number): number {
  ensure(isIntegerIn(size, 0, Number.MAX_SAFE_INTEGER), 'error.crypto.invalidArgument', 'bad file size');
  ensure(isIntegerIn(chunkSize, 1, 2 ** 31), 'error.crypto.invalidArgument', 'bad chunk size');
  const count = Math.max(1, Math.ceil(size / chunkSize));
  ensure(count <= MAX_FILE_CHUNKS, 'error.crypto.invalidArgument', 'too many chunks');
  return count;
}

/** The plaintext length of chunk `index` of a file of `size` bytes in `chunkSize` pieces. */
export function fileChunkLength(size: number, chunkSize: number, index: number): number {
  const count = fileChunkCount(size, chunkSize);
  ensure(isIntegerIn(index, 0, count - 1), 'error.crypto.invalidArgument', 'no such chunk');
  return index < count - 1 ? chunkSize : size - (count - 1) * chunkSize;
}
