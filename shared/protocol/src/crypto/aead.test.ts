import { createCipheriv, randomBytes as nodeRandomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AEAD_OVERHEAD, open, openWithNonce, seal, sealWithNonce } from './aead.js';
import { SODIUM_AEAD_MAX_BYTES } from './sodium.js';
import { expectCryptoError, flipBit, hex, loadVectors, toHexString } from './test-support.js';

interface AeadVector {
  name: string;
  key: string;
  nonce: string;
  plaintext: string;
  aad: string;
  ciphertext: string;
  tag: string;
  sealed: string;
}
const { vectors } = loadVectors<{ vectors: AeadVector[] }>('aead');
const rfc = vectors.find((v) => v.name === 'RFC 8439 §2.8.2')!;

describe('ChaCha20-Poly1305 known answers (RFC 8439 §2.8.2, A.5 and enmesh)', () => {
  it('holds the RFC vector and empty-plaintext / empty-AAD vectors', () => {
    expect(rfc).toBeDefined();
    expect(vectors.some((v) => v.plaintext === '' && v.aad === '')).toBe(true);
    expect(vectors.some((v) => v.plaintext === '' && v.aad !== '')).toBe(true);
    expect(vectors.some((v) => v.plaintext !== '' && v.aad === '')).toBe(true);
  });

  for (const v of vectors) {
    it(`${v.name}: seal and open`, () => {
      expect(v.sealed).toBe(v.nonce + v.ciphertext + v.tag);
      expect(toHexString(sealWithNonce(hex(v.key), hex(v.nonce), hex(v.plaintext), hex(v.aad)))).toBe(
        v.sealed,
      );
      expect(toHexString(open(hex(v.key), hex(v.sealed), hex(v.aad)))).toBe(v.plaintext);
    });
  }

  it('treats a missing associatedData as empty', () => {
    const v = vectors.find((x) => x.aad === '' && x.plaintext !== '')!;
    expect(toHexString(sealWithNonce(hex(v.key), hex(v.nonce), hex(v.plaintext)))).toBe(v.sealed);
    expect(toHexString(open(hex(v.key), hex(v.sealed)))).toBe(v.plaintext);
  });
});

describe('seal / open', () => {
  const key = new Uint8Array(nodeRandomBytes(32));
  const plaintext = new TextEncoder().encode('a message for the mesh');
  const aad = new TextEncoder().encode('did:e:enmesh.example:dids:0123456789abcdef012345');

  it('round-trips with a fresh nonce every time', () => {
    const a = seal(key, plaintext, aad);
    const b = seal(key, plaintext, aad);
    expect(a).toHaveLength(plaintext.length + AEAD_OVERHEAD);
    expect(toHexString(a.subarray(0, 12))).not.toBe(toHexString(b.subarray(0, 12)));
    expect(open(key, a, aad)).toEqual(plaintext);
    expect(open(key, b, aad)).toEqual(plaintext);
    expect(open(key, seal(key, new Uint8Array(0)))).toEqual(new Uint8Array(0));
    expect(Object.getPrototypeOf(open(key, a, aad))).toBe(Uint8Array.prototype);
  });

  it('round-trips 1 MiB and Buffer inputs', () => {
    const big = new Uint8Array(nodeRandomBytes(1 << 20));
    expect(open(key, seal(key, big))).toEqual(big);
    expect(open(Buffer.from(key), Buffer.from(seal(Buffer.from(key), Buffer.from(plaintext))))).toEqual(
      plaintext,
    );
  });

  it('fails on a flipped bit anywhere in nonce, ciphertext or tag', () => {
    const sealed = hex(rfc.sealed);
    for (let i = 0; i < sealed.length; i++) {
      expectCryptoError(
        () => open(hex(rfc.key), flipBit(sealed, i, i % 8), hex(rfc.aad)),
        'error.crypto.decryptionFailed',
      );
    }
  });

  it('fails on changed, missing or extra associated data', () => {
    const sealed = seal(key, plaintext, aad);
    for (let i = 0; i < aad.length; i += 5) {
      expectCryptoError(() => open(key, sealed, flipBit(aad, i)), 'error.crypto.decryptionFailed');
    }
    expectCryptoError(() => open(key, sealed), 'error.crypto.decryptionFailed');
    expectCryptoError(() => open(key, seal(key, plaintext), aad), 'error.crypto.decryptionFailed');
    expectCryptoError(() => open(key, sealed, aad.subarray(1)), 'error.crypto.decryptionFailed');
  });

  it('fails with the wrong key', () => {
    const sealed = seal(key, plaintext, aad);
    expectCryptoError(
      () => open(new Uint8Array(nodeRandomBytes(32)), sealed, aad),
      'error.crypto.decryptionFailed',
    );
    expectCryptoError(() => open(flipBit(key, 31, 7), sealed, aad), 'error.crypto.decryptionFailed');
  });

  it('fails on truncated or extended input, never with a raw error', () => {
    const sealed = seal(key, plaintext, aad);
    for (let length = 0; length < sealed.length; length++) {
      expectCryptoError(() => open(key, sealed.subarray(0, length), aad), 'error.crypto.decryptionFailed');
    }
    expectCryptoError(() => open(key, sealed.subarray(1), aad), 'error.crypto.decryptionFailed');
    expectCryptoError(() => open(key, new Uint8Array([...sealed, 0]), aad), 'error.crypto.decryptionFailed');
    expectCryptoError(() => open(key, 'sealed' as unknown as Uint8Array), 'error.crypto.decryptionFailed');
    expectCryptoError(() => open(key, undefined as unknown as Uint8Array), 'error.crypto.decryptionFailed');
  });

  it('rejects malformed keys and nonces', () => {
    for (const length of [0, 16, 31, 33, 64]) {
      expectCryptoError(() => seal(new Uint8Array(length), plaintext), 'error.crypto.invalidKey');
      expectCryptoError(() => open(new Uint8Array(length), seal(key, plaintext)), 'error.crypto.invalidKey');
    }
    for (const length of [0, 8, 11, 13, 24]) {
      expectCryptoError(
        () => sealWithNonce(key, new Uint8Array(length), plaintext),
        'error.crypto.invalidNonce',
      );
    }
    expectCryptoError(() => seal(key, 'text' as unknown as Uint8Array), 'error.crypto.invalidArgument');
    expectCryptoError(
      () => seal(key, plaintext, 'aad' as unknown as Uint8Array),
      'error.crypto.invalidArgument',
    );
  });
});

describe('openWithNonce (derived nonces)', () => {
  it('opens ciphertext || tag with the nonce given apart, and refuses every change', () => {
    for (const v of vectors) {
      const body = hex(v.ciphertext + v.tag);
      expect(toHexString(openWithNonce(hex(v.key), hex(v.nonce), body, hex(v.aad)))).toBe(v.plaintext);
      expectCryptoError(
        () => openWithNonce(hex(v.key), hex(v.nonce), flipBit(body, body.length - 1), hex(v.aad)),
        'error.crypto.decryptionFailed',
      );
      expectCryptoError(
        () => openWithNonce(hex(v.key), flipBit(hex(v.nonce), 0), body, hex(v.aad)),
        'error.crypto.decryptionFailed',
      );
    }
    expectCryptoError(
      () => openWithNonce(hex(rfc.key), hex(rfc.nonce), new Uint8Array(15)),
      'error.crypto.decryptionFailed',
    );
    expectCryptoError(
      () => openWithNonce(hex(rfc.key), new Uint8Array(8), hex(rfc.ciphertext + rfc.tag)),
      'error.crypto.invalidNonce',
    );
  });
});

describe('the two AEAD implementations', () => {
  const rnd = (size: number) => new Uint8Array(nodeRandomBytes(size));
  /** ChaCha20-Poly1305 straight through node:crypto, as the reference. */
  function nodeSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
    const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    cipher.setAAD(ad, { plaintextLength: plaintext.length });
    return new Uint8Array(
      Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]),
    );
  }

  it('agree byte for byte on every size up to and past the libsodium limit, and each opens the other', () => {
    const sizes = [0, 1, 16, 31, 32, 33, 60, 200, 1024, 1100, 4095, SODIUM_AEAD_MAX_BYTES, 4097, 10_000];
    for (const size of sizes) {
      for (const adSize of [0, 1, 200]) {
        const key = rnd(32);
        const nonce = rnd(12);
        const plaintext = rnd(size);
        const ad = rnd(adSize);
        const sealed = sealWithNonce(key, nonce, plaintext, ad);
        expect(sealed).toEqual(nodeSeal(key, nonce, plaintext, ad));
        expect(open(key, nodeSeal(key, nonce, plaintext, ad), ad)).toEqual(plaintext);
        const tampered = sealed.slice();
        tampered[tampered.length - 1]! ^= 1;
        expectCryptoError(() => open(key, tampered, ad), 'error.crypto.decryptionFailed');
        expectCryptoError(() => open(key, sealed, rnd(adSize + 1)), 'error.crypto.decryptionFailed');
      }
    }
  });
});
