/**
 * Small helpers shared by the crypto files. Not re-exported from `index.ts`.
 */
import { CryptoError, type CryptoErrorCode } from './errors.js';

/**
 * Asserts that `value` is a `Uint8Array` (a `Buffer` is one too).
 * @throws {CryptoError} `code` (default `error.crypto.invalidArgument`) otherwise
 */
export function assertBytes(
  value: unknown,
  name: string,
  code: CryptoErrorCode = 'error.crypto.invalidArgument',
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError(code, `${name} must be a Uint8Array`);
  }
}

/**
 * Asserts that `value` is a key of exactly `length` bytes.
 * @throws {CryptoError} `error.crypto.invalidKey` otherwise (the message names the lengths only)
 */
export function assertKey(value: unknown, length: number, name: string): asserts value is Uint8Array {
  assertBytes(value, name, 'error.crypto.invalidKey');
  if (value.length !== length) {
    throw new CryptoError('error.crypto.invalidKey', `${name} must be ${length} bytes, got ${value.length}`);
  }
}

/**
 * Returns the bytes of a node `Buffer` as a plain `Uint8Array` that owns its memory: zero-copy when
 * the buffer already owns a whole `ArrayBuffer`, a copy when it is a slice of node's shared pool
 * (so secrets never alias a pool other code can see through `.buffer`).
 */
export function ownBytes(view: Uint8Array): Uint8Array {
  if (
    view.byteOffset === 0 &&
    view.buffer.byteLength === view.byteLength &&
    view.buffer instanceof ArrayBuffer
  ) {
    return new Uint8Array(view.buffer);
  }
  const copy = new Uint8Array(view.byteLength);
  copy.set(view);
  return copy;
}

/** A fresh copy of `bytes` as a plain `Uint8Array` (the caller may then change or wipe its input). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** A node `Buffer` view of `bytes`, without copying. */
export function nodeView(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A `{ publicKey, privateKey }` object whose toString, toJSON and util.inspect show only the public
 * key (base64url) and `[redacted]`; the private key stays a normal, readable property.
 */
export function redactedKeyPair<T extends { publicKey: Uint8Array; privateKey: Uint8Array }>(
  label: string,
  publicKey: Uint8Array,
  privateKey: Uint8Array,
): T {
  const encodedPublic = nodeView(publicKey).toString('base64url');
  const text = () => `${label}(public=${encodedPublic}, private=[redacted])`;
  const pair = { publicKey, privateKey };
  Object.defineProperties(pair, {
    toString: { value: text, enumerable: false },
    toJSON: { value: () => ({ publicKey: encodedPublic }), enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: text, enumerable: false },
  });
  return pair as T;
}
