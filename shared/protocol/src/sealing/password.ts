/**
 * Passwords and PINs of tokens and templates (docs/protocol.md, "Sealing" › Passwords):
 *
 *   master   = scrypt(UTF-8(NFC(password)), salt(16), N = 2^15, r = 8, p = 1, 32 bytes)
 *   keyPart  = HKDF-SHA256(master, salt = "", info = "enmesh/password/key-part/v1", 32)
 *   verifier = HKDF-SHA256(master, salt = "", info = "enmesh/password/verifier/v1", 32)
 *
 * The backbone stores `verifier` and compares it on every load (counting failures, locking out); the
 * content key needs `keyPart` and the reference key (`contentKey`), which the backbone never sees.
 */
import { scrypt, scryptSync } from 'node:crypto';
import { concatBytes, utf8 } from '../crypto/encoding.js';
import { CryptoError } from '../crypto/errors.js';
import { assertKey } from '../crypto/internal.js';
import { hkdf } from '../crypto/kdf.js';
import { redacted } from './internal.js';

/** The scrypt cost: 2^15 x 8 x 128 bytes = 32 MiB of memory, about 65 ms on the reference machine. */
export const SCRYPT_PARAMETERS = { N: 2 ** 15, r: 8, p: 1 } as const;
/** Memory limit passed to node's scrypt: twice what the parameters need (node's default is too low). */
export const SCRYPT_MAX_MEMORY = 2 * 128 * SCRYPT_PARAMETERS.N * SCRYPT_PARAMETERS.r;
/** Length of a password salt. */
export const PASSWORD_SALT_LENGTH = 16;
/** Longest password accepted, in UTF-8 bytes after NFC normalisation. */
export const MAX_PASSWORD_BYTES = 1024;
/** Length of `keyPart`, `verifier` and content keys. */
export const PASSWORD_SECRET_LENGTH = 32;

const KEY_PART_INFO = 'enmesh/password/key-part/v1';
const VERIFIER_INFO = 'enmesh/password/verifier/v1';
const CONTENT_KEY_INFO = 'enmesh/content-key/v1';
const CONTENT_KEY_PASSWORD_INFO = 'enmesh/content-key/password/v1';
const EMPTY = new Uint8Array(0);

/** What a password yields. Prints (toString, JSON, inspect) without its secrets. */
export interface PasswordSecrets {
  /** Mixed into the content key with the reference key; never leaves the loading device. */
  keyPart: Uint8Array;
  /** Sent to the backbone, which stores it at creation and compares it at each load. */
  verifier: Uint8Array;
}

/** The NFC-normalised UTF-8 password, checked for length and for lone surrogates. */
function passwordBytes(password: string, salt: Uint8Array): Uint8Array {
  if (typeof password !== 'string' || password.length === 0) {
    throw new CryptoError('error.crypto.invalidArgument', 'password must be a non-empty string');
  }
  if (!(salt instanceof Uint8Array) || salt.length !== PASSWORD_SALT_LENGTH) {
    throw new CryptoError('error.crypto.invalidArgument', `salt must be ${PASSWORD_SALT_LENGTH} bytes`);
  }
  const bytes = utf8(password.normalize('NFC'));
  if (bytes.length > MAX_PASSWORD_BYTES) {
    throw new CryptoError(
      'error.crypto.invalidArgument',
      `password must be at most ${MAX_PASSWORD_BYTES} bytes`,
    );
  }
  return bytes;
}

function split(master: Uint8Array): PasswordSecrets {
  const secrets = {
    keyPart: hkdf(master, EMPTY, KEY_PART_INFO, PASSWORD_SECRET_LENGTH),
    verifier: hkdf(master, EMPTY, VERIFIER_INFO, PASSWORD_SECRET_LENGTH),
  };
  master.fill(0);
  return redacted('PasswordSecrets', secrets, {});
}

const SCRYPT_OPTIONS = { ...SCRYPT_PARAMETERS, maxmem: SCRYPT_MAX_MEMORY };

/**
 * Derives the content-key part and the backbone verifier of a password or PIN. Blocks the thread for
 * the scrypt run (about 65 ms); prefer `derivePasswordSecretsAsync` on a UI or server thread.
 * @throws {CryptoError} `error.crypto.invalidArgument` for an empty or over-long password or a salt that
 *   is not 16 bytes; `error.crypto.invalidEncoding` for a password with a lone surrogate
 */
export function derivePasswordSecrets(password: string, salt: Uint8Array): PasswordSecrets {
  const bytes = passwordBytes(password, salt);
  return split(new Uint8Array(scryptSync(bytes, salt, PASSWORD_SECRET_LENGTH, SCRYPT_OPTIONS)));
}

/**
 * `derivePasswordSecrets` on node's thread pool, without blocking the event loop.
 * @throws {CryptoError} as `derivePasswordSecrets` (the promise rejects)
 */
export async function derivePasswordSecretsAsync(
  password: string,
  salt: Uint8Array,
): Promise<PasswordSecrets> {
  const bytes = passwordBytes(password, salt);
  const master = await new Promise<Uint8Array>((resolve, reject) => {
    scrypt(bytes, salt, PASSWORD_SECRET_LENGTH, SCRYPT_OPTIONS, (error, key) => {
      if (error) reject(new CryptoError('error.crypto.invalidArgument', 'scrypt failed', { cause: error }));
      else resolve(new Uint8Array(key));
    });
  });
  return split(master);
}

/**
 * The key that seals a token's or template's content: HKDF of the reference key alone, or of the
 * reference key followed by the password's `keyPart` (with a different info string).
 * @throws {CryptoError} `error.crypto.invalidKey` when a key is not 32 bytes
 */
export function contentKey(referenceKey: Uint8Array, passwordKeyPart?: Uint8Array): Uint8Array {
  assertKey(referenceKey, PASSWORD_SECRET_LENGTH, 'reference key');
  if (passwordKeyPart === undefined) {
    return hkdf(referenceKey, EMPTY, CONTENT_KEY_INFO, PASSWORD_SECRET_LENGTH);
  }
  assertKey(passwordKeyPart, PASSWORD_SECRET_LENGTH, 'password key part');
  const ikm = concatBytes(referenceKey, passwordKeyPart);
  const key = hkdf(ikm, EMPTY, CONTENT_KEY_PASSWORD_INFO, PASSWORD_SECRET_LENGTH);
  ikm.fill(0);
  return key;
}
