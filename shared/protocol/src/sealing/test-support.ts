/**
 * Helpers for the sealing unit tests only (imported by *.test.ts, never by library code, never
 * re-exported). Vectors are read and decoded with node's own JSON and hex, independent of the code
 * under test.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { deriveAddress } from '../crypto/address.js';
import { CryptoError, type CryptoErrorCode } from '../crypto/errors.js';

export { expectCryptoError, flipBit, hex, toHexString } from '../crypto/test-support.js';

/** Parses a committed vector file shared/protocol/test-vectors/sealing-<name>.json. */
export function loadSealingVectors<T>(
  name: 'reference' | 'password' | 'content' | 'relationship' | 'message' | 'file',
): T {
  const url = new URL(`../../test-vectors/sealing-${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/** Asserts that the promise rejects with a `CryptoError` carrying `code`. */
export async function expectCryptoRejection(promise: Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  const thrown = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown, `expected CryptoError ${code}`).toBeInstanceOf(CryptoError);
  expect((thrown as CryptoError).code).toBe(code);
}

/** Asserts that `fn` throws a `CryptoError` (any code) and nothing else, and returns its code. */
export function cryptoErrorCodeOf(fn: () => unknown): CryptoErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return (error as CryptoError).code;
  }
}

/** A valid address for a test identity numbered `n` on `host`. */
export function testAddress(n: number, host = 'enmesh.example'): string {
  return deriveAddress(new Uint8Array(32).fill(n), host);
}
