/**
 * Helpers for the content unit tests only (imported by *.test.ts, never by library code, never
 * re-exported).
 */
import { deriveAddress, signingKeyPairFromSeed } from '@enmesh/protocol';
import { expect } from 'vitest';
import type { z } from 'zod';
import { ContentError, parseWith } from './errors.js';

/** A valid identity address derived from a fixed seed. */
export function testAddress(seedByte = 1, host = 'enmesh.example'): string {
  return deriveAddress(signingKeyPairFromSeed(new Uint8Array(32).fill(seedByte)).publicKey, host);
}

/** An id with the given prefix and 17 characters. */
export function testId(prefix: string, n = 1): string {
  return `${prefix}${String(n).padStart(17, 'a')}`;
}

/** Asserts that `json` parses and comes back unchanged (no field dropped, added or altered). */
export function expectRoundTrip(schema: z.ZodType, json: unknown): void {
  const copy = JSON.parse(JSON.stringify(json)) as unknown;
  const parsed = parseWith(schema, copy);
  expect(JSON.parse(JSON.stringify(parsed))).toEqual(json);
  expect(JSON.stringify(parsed)).toBe(JSON.stringify(json));
}

/** Asserts that parsing `json` fails with a fault at `path` (and returns the faults for more checks). */
export function expectFault(schema: z.ZodType, json: unknown, path: string): ContentError['faults'] {
  let thrown: unknown;
  try {
    parseWith(schema, json);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ContentError);
  const faults = (thrown as ContentError).faults;
  expect(faults.map((f) => f.path)).toContain(path);
  return faults;
}
