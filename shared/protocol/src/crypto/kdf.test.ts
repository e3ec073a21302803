import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HKDF_MAX_LENGTH, hkdf, hmacSha256, sha256, sha512 } from './kdf.js';
import { expectCryptoError, hex, loadVectors, toHexString } from './test-support.js';

interface HkdfVector {
  name: string;
  ikm: string;
  salt: string;
  info: string;
  length: number;
  prk: string;
  okm: string;
}
const { vectors } = loadVectors<{ vectors: HkdfVector[] }>('hkdf');

/** RFC 5869 §2, written out with hmacSha256, to check both of hkdf's code paths against. */
function referenceHkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const prk = hmacSha256(salt, ikm);
  const okm: number[] = [];
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1; okm.length < length; i++) {
    t = hmacSha256(prk, new Uint8Array([...t, ...info, i]));
    okm.push(...t);
  }
  return new Uint8Array(okm.slice(0, length));
}

describe('HKDF-SHA256 known answers (RFC 5869 A.1-A.3 and enmesh)', () => {
  it('holds the three RFC 5869 SHA-256 cases', () => {
    expect(vectors.filter((v) => v.name.startsWith('RFC 5869'))).toHaveLength(3);
  });

  for (const v of vectors) {
    it(`${v.name}`, () => {
      expect(toHexString(hmacSha256(hex(v.salt), hex(v.ikm)))).toBe(v.prk);
      expect(toHexString(hkdf(hex(v.ikm), hex(v.salt), hex(v.info), v.length))).toBe(v.okm);
      expect(toHexString(referenceHkdf(hex(v.ikm), hex(v.salt), hex(v.info), v.length))).toBe(v.okm);
    });
  }
});

describe('hkdf', () => {
  it('encodes a string info as UTF-8', () => {
    const ikm = new Uint8Array(nodeRandomBytes(32));
    const salt = new Uint8Array(nodeRandomBytes(16));
    expect(hkdf(ikm, salt, 'enmesh/v1/ключ', 32)).toEqual(
      hkdf(ikm, salt, new TextEncoder().encode('enmesh/v1/ключ'), 32),
    );
  });

  it('matches the RFC construction on both sides of node’s 1024-byte info limit', () => {
    const ikm = new Uint8Array(nodeRandomBytes(32));
    const salt = new Uint8Array(nodeRandomBytes(32));
    for (const infoLength of [0, 1, 1024, 1025, 4000]) {
      const info = new Uint8Array(nodeRandomBytes(infoLength));
      for (const length of [1, 32, 33, 100]) {
        expect(toHexString(hkdf(ikm, salt, info, length))).toBe(
          toHexString(referenceHkdf(ikm, salt, info, length)),
        );
      }
    }
  });

  it('accepts an empty ikm and the maximum length', () => {
    expect(hkdf(new Uint8Array(0), new Uint8Array(0), '', 16)).toHaveLength(16);
    expect(hkdf(Uint8Array.of(1), new Uint8Array(0), new Uint8Array(2000), HKDF_MAX_LENGTH)).toHaveLength(
      8160,
    );
    expect(hkdf(Uint8Array.of(1), new Uint8Array(0), '', HKDF_MAX_LENGTH)).toHaveLength(8160);
  });

  it('rejects bad lengths and inputs', () => {
    for (const length of [0, -1, 1.5, HKDF_MAX_LENGTH + 1, Number.NaN]) {
      expectCryptoError(
        () => hkdf(Uint8Array.of(1), new Uint8Array(0), '', length),
        'error.crypto.invalidArgument',
      );
    }
    expectCryptoError(
      () => hkdf('k' as unknown as Uint8Array, new Uint8Array(0), '', 32),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(
      () => hkdf(Uint8Array.of(1), null as unknown as Uint8Array, '', 32),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(
      () => hkdf(Uint8Array.of(1), new Uint8Array(0), 5 as unknown as string, 32),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(
      () => hkdf(Uint8Array.of(1), new Uint8Array(0), '\uD800', 32),
      'error.crypto.invalidEncoding',
    );
  });
});

describe('hashes and HMAC', () => {
  const abc = new TextEncoder().encode('abc');

  it('SHA-256 (FIPS 180-2 examples)', () => {
    expect(toHexString(sha256(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHexString(sha256(new Uint8Array(0)))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('SHA-512 (FIPS 180-2 example)', () => {
    expect(toHexString(sha512(abc))).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
  });

  it('HMAC-SHA256 (RFC 4231 test cases 1 and 2)', () => {
    expect(toHexString(hmacSha256(new Uint8Array(20).fill(0x0b), new TextEncoder().encode('Hi There')))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(
      toHexString(
        hmacSha256(
          new TextEncoder().encode('Jefe'),
          new TextEncoder().encode('what do ya want for nothing?'),
        ),
      ),
    ).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('returns plain Uint8Arrays and rejects non-bytes', () => {
    expect(Object.getPrototypeOf(sha256(abc))).toBe(Uint8Array.prototype);
    expect(Object.getPrototypeOf(hkdf(abc, abc, '', 8))).toBe(Uint8Array.prototype);
    expectCryptoError(() => sha256('abc' as unknown as Uint8Array), 'error.crypto.invalidArgument');
    expectCryptoError(() => sha512('abc' as unknown as Uint8Array), 'error.crypto.invalidArgument');
    expectCryptoError(() => hmacSha256('k' as unknown as Uint8Array, abc), 'error.crypto.invalidArgument');
  });
});
