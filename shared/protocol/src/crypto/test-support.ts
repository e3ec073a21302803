/**
 * Helpers for the crypto unit tests only (imported by *.test.ts, never by library code, never
 * re-exported). Vectors are read with node's own hex decoding so that loading them does not depend on
 * the code under test.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { CryptoError, type CryptoErrorCode } from './errors.js';

/** Parses a committed vector file of shared/protocol/test-vectors/. */
export function loadVectors<T>(name: 'ed25519' | 'x25519' | 'hkdf' | 'aead' | 'address'): T {
  return JSON.parse(readFileSync(new URL(`../../test-vectors/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** Hex to a plain Uint8Array, via Buffer (independent of `fromHex`). */
export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** Bytes to lower-case hex, via Buffer (independent of `toHex`). */
export function toHexString(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Asserts that `fn` throws a `CryptoError` carrying `code`. */
export function expectCryptoError(fn: () => unknown, code: CryptoErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected CryptoError ${code}`).toBeInstanceOf(CryptoError);
  expect((thrown as CryptoError).code).toBe(code);
}

/** A copy of `bytes` with bit `bit` of byte `index` flipped. */
export function flipBit(bytes: Uint8Array, index: number, bit = 0): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[index] = copy[index]! ^ (1 << bit);
  return copy;
}
