import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { exchangeKeyPairFromPrivate, generateExchangeKeyPair, sharedSecret } from './exchange.js';
import { expectCryptoError, hex, loadVectors, toHexString } from './test-support.js';

interface X25519Vectors {
  keyPairs: { name: string; privateKey: string; publicKey: string }[];
  sharedSecrets: { name: string; privateKey: string; publicKey: string; sharedSecret: string }[];
  lowOrderPublicKeys: { name: string; publicKey: string }[];
}
const vectors = loadVectors<X25519Vectors>('x25519');

describe('X25519 known answers (RFC 7748 §5.2, §6.1 and enmesh)', () => {
  it('holds the RFC 7748 §6.1 Alice and Bob vectors', () => {
    expect(vectors.keyPairs.map((v) => v.name)).toEqual(
      expect.arrayContaining(['RFC 7748 §6.1 Alice', 'RFC 7748 §6.1 Bob']),
    );
  });

  for (const v of vectors.keyPairs) {
    it(`${v.name}: public key derivation, identical to tweetnacl`, () => {
      expect(toHexString(exchangeKeyPairFromPrivate(hex(v.privateKey)).publicKey)).toBe(v.publicKey);
      expect(toHexString(nacl.scalarMult.base(hex(v.privateKey)))).toBe(v.publicKey);
    });
  }

  for (const v of vectors.sharedSecrets) {
    it(`${v.name}: shared secret, identical to tweetnacl`, () => {
      expect(toHexString(sharedSecret(hex(v.privateKey), hex(v.publicKey)))).toBe(v.sharedSecret);
      expect(toHexString(nacl.scalarMult(hex(v.privateKey), hex(v.publicKey)))).toBe(v.sharedSecret);
    });
  }

  for (const v of vectors.lowOrderPublicKeys) {
    it(`rejects the low-order public key ${v.name}`, () => {
      const privateKey = new Uint8Array(nodeRandomBytes(32));
      expect(toHexString(nacl.scalarMult(privateKey, hex(v.publicKey)))).toBe('00'.repeat(32));
      expectCryptoError(() => sharedSecret(privateKey, hex(v.publicKey)), 'error.crypto.invalidKey');
    });
  }
});

describe('X25519 cross-check with tweetnacl over random keys', () => {
  it('agrees on public keys and shared secrets, both directions', () => {
    for (let i = 0; i < 64; i++) {
      const a = generateExchangeKeyPair();
      const b = exchangeKeyPairFromPrivate(new Uint8Array(nodeRandomBytes(32)));
      expect(toHexString(a.publicKey)).toBe(toHexString(nacl.scalarMult.base(a.privateKey)));
      expect(toHexString(b.publicKey)).toBe(toHexString(nacl.scalarMult.base(b.privateKey)));
      const ab = sharedSecret(a.privateKey, b.publicKey);
      expect(ab).toHaveLength(32);
      expect(toHexString(sharedSecret(b.privateKey, a.publicKey))).toBe(toHexString(ab));
      expect(toHexString(nacl.scalarMult(a.privateKey, b.publicKey))).toBe(toHexString(ab));
    }
  });

  it('generates distinct key pairs', () => {
    expect(generateExchangeKeyPair().publicKey).not.toEqual(generateExchangeKeyPair().publicKey);
  });
});

describe('X25519 invalid input', () => {
  it('throws error.crypto.invalidKey for malformed key lengths', () => {
    const good = generateExchangeKeyPair();
    for (const length of [0, 31, 33, 64]) {
      expectCryptoError(() => exchangeKeyPairFromPrivate(new Uint8Array(length)), 'error.crypto.invalidKey');
      expectCryptoError(
        () => sharedSecret(new Uint8Array(length), good.publicKey),
        'error.crypto.invalidKey',
      );
      expectCryptoError(
        () => sharedSecret(good.privateKey, new Uint8Array(length)),
        'error.crypto.invalidKey',
      );
    }
    expectCryptoError(
      () => sharedSecret(good.privateKey, 'pk' as unknown as Uint8Array),
      'error.crypto.invalidKey',
    );
  });

  it('never prints the private key', () => {
    const pair = generateExchangeKeyPair();
    const secret = Buffer.from(pair.privateKey);
    for (const printed of [String(pair), JSON.stringify(pair), inspect(pair)]) {
      expect(printed).not.toContain(secret.toString('hex'));
      expect(printed).not.toContain(secret.toString('base64url'));
    }
    expect(inspect(pair)).toContain(Buffer.from(pair.publicKey).toString('base64url'));
  });
});
