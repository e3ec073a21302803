/**
 * File metadata (docs/protocol.md, "Sealing" › Files): what a downloader needs besides the chunks, sealed
 * as a sealed content of type `file-metadata` bound to the file id, under the key a file reference carries
 * (through `contentKey`). It holds the chunks' content key, so whoever holds the reference can read the
 * file, and the backbone, holding only ciphertext, cannot.
 *
 *   {"@type":"FileMetadata","v":1,"name":…,"mimeType":…,"size":…,"chunkSize":…,
 *    "sha256":<b64u 32>,"contentKey":<b64u 32>,"fileSalt":<b64u 16>}
 */
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/encoding.js';
import { CryptoError } from '../crypto/errors.js';
import { FILE_SALT_LENGTH, fileChunkCount } from './file-chunks.js';
import { hasExactKeys, isIntegerIn, redacted } from './internal.js';
import { openContent, sealContent, sealContentWithNonce } from './sealed-content.js';

/** What the metadata of a file says. Prints (toString, JSON, inspect) without its keys. */
export interface FileMetadata {
  /** The file's name, 1..512 characters. */
  name: string;
  /** Its media type, e.g. `application/pdf`: printable ASCII `type/subtype`, at most 255 characters. */
  mimeType: string;
  /** Plaintext size in bytes. */
  size: number;
  /** Plaintext bytes per chunk (the last chunk holds the rest). */
  chunkSize: number;
  /** SHA-256 of the whole plaintext. */
  sha256: Uint8Array;
  /** The random key the chunk key derives from. */
  contentKey: Uint8Array;
  /** The file's random salt. */
  fileSalt: Uint8Array;
}

/** The sealing type of file metadata. */
export const FILE_METADATA_TYPE = 'file-metadata';
/** Longest file name, in UTF-16 code units. */
export const MAX_FILE_NAME_LENGTH = 512;

const TYPE = 'FileMetadata';
const KEYS = ['@type', 'v', 'name', 'mimeType', 'size', 'chunkSize', 'sha256', 'contentKey', 'fileSalt'];
const MIME = /^[!-~]{1,126}\/[ -~]{1,128}$/;

function malformed(reason: string): never {
  throw new CryptoError('error.crypto.invalidEncoding', `malformed file metadata: ${reason}`);
}

function bytesField(value: unknown, length: number, name: string): Uint8Array {
  if (typeof value !== 'string') malformed(`${name} must be base64url`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(value);
  } catch {
    return malformed(`${name} must be base64url`);
  }
  if (bytes.length !== length) malformed(`${name} must be ${length} bytes`);
  return bytes;
}

/**
 * Checks metadata fields and returns a copy that prints without its keys.
 * @throws {CryptoError} `error.crypto.invalidEncoding` for a field out of its domain
 */
export function checkFileMetadata(value: FileMetadata): FileMetadata {
  const { name, mimeType, size, chunkSize } = value;
  if (typeof name !== 'string' || name.length < 1 || name.length > MAX_FILE_NAME_LENGTH) {
    malformed(`name must be 1..${MAX_FILE_NAME_LENGTH} characters`);
  }
  if (typeof mimeType !== 'string' || mimeType.length > 255 || !MIME.test(mimeType)) {
    malformed('mimeType must be printable ASCII type/subtype, at most 255 characters');
  }
  if (!isIntegerIn(size, 0, Number.MAX_SAFE_INTEGER)) malformed('size must be a non-negative integer');
  if (!isIntegerIn(chunkSize, 1, 2 ** 31)) malformed('chunkSize must be a positive integer');
  try {
    fileChunkCount(size, chunkSize);
  } catch {
    malformed('too many chunks');
  }
  for (const [field, length] of [
    ['sha256', 32],
    ['contentKey', 32],
    ['fileSalt', FILE_SALT_LENGTH],
  ] as const) {
    const bytes = value[field];
    if (!(bytes instanceof Uint8Array) || bytes.length !== length)
      malformed(`${field} must be ${length} bytes`);
  }
  const out: FileMetadata = {
    name,
    mimeType,
    size,
    chunkSize,
    sha256: new Uint8Array(value.sha256),
    contentKey: new Uint8Array(value.contentKey),
    fileSalt: new Uint8Array(value.fileSalt),
  };
  return redacted('FileMetadata', out, { name, mimeType, size, chunkSize, sha256: toBase64Url(out.sha256) });
}

/**
 * The metadata's JSON bytes, fields in the documented order.
 * @throws {CryptoError} `error.crypto.invalidEncoding` for a field out of its domain
 */
export function encodeFileMetadata(metadata: FileMetadata): Uint8Array {
  const m = checkFileMetadata(metadata);
  return utf8(
    JSON.stringify({
      '@type': TYPE,
      v: 1,
      name: m.name,
      mimeType: m.mimeType,
      size: m.size,
      chunkSize: m.chunkSize,
      sha256: toBase64Url(m.sha256),
      contentKey: toBase64Url(m.contentKey),
      fileSalt: toBase64Url(m.fileSalt),
    }),
  );
}

/**
 * Parses metadata JSON strictly: exactly the documented fields, each in its domain.
 * @throws {CryptoError} `error.crypto.invalidEncoding` for anything else
 */
export function decodeFileMetadata(bytes: Uint8Array): FileMetadata {
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(bytes));
  } catch {
    return malformed('not JSON');
  }
  if (!hasExactKeys(json, KEYS)) return malformed('unexpected fields');
  if (json['@type'] !== TYPE || json.v !== 1) malformed('unknown type or version');
  return checkFileMetadata({
    name: json.name as string,
    mimeType: json.mimeType as string,
    size: json.size as number,
    chunkSize: json.chunkSize as number,
    sha256: bytesField(json.sha256, 32, 'sha256'),
    contentKey: bytesField(json.contentKey, 32, 'contentKey'),
    fileSalt: bytesField(json.fileSalt, FILE_SALT_LENGTH, 'fileSalt'),
  });
}

/**
 * Seals a file's metadata under `key` (the reference's `contentKey`), bound to the file id.
 * @throws {CryptoError} `error.crypto.invalidEncoding` for bad metadata; `error.crypto.invalidKey`,
 *   `error.crypto.invalidArgument` for a bad key or id
 */
export function sealFileMetadata(key: Uint8Array, fileId: string, metadata: FileMetadata): Uint8Array {
  return sealContent(key, encodeFileMetadata(metadata), { type: FILE_METADATA_TYPE, id: fileId });
}

/** `sealFileMetadata` with a chosen nonce, for known-answer vectors only. */
export function sealFileMetadataWithNonce(
  key: Uint8Array,
  nonce: Uint8Array,
  fileId: string,
  metadata: FileMetadata,
): Uint8Array {
  return sealContentWithNonce(key, nonce, encodeFileMetadata(metadata), {
    type: FILE_METADATA_TYPE,
    id: fileId,
  });
}

/**
 * Opens and parses a file's sealed metadata.
 * @throws {CryptoError} `error.crypto.decryptionFailed` when it does not open for this key and file id;
 *   `error.crypto.invalidEncoding` when it opens but is malformed
 */
export function openFileMetadata(key: Uint8Array, fileId: string, sealed: Uint8Array): FileMetadata {
  return decodeFileMetadata(openContent(key, sealed, { type: FILE_METADATA_TYPE, id: fileId }));
}
