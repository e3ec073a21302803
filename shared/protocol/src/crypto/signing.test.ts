import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { keyCaches } from './key-cache.js';
import { generateSigningKeyPair, sign, signingKeyPairFromSeed, verify } from './signing.js';
import { expectCryptoError, flipBit, hex, loadVectors, toHexString } from './test-support.js';

interface Ed25519Vector {
  name: string;
  seed: string;
  publicKey: string;
  message: string;
  signature: string;
}
const { vectors } = loadVectors<{ vectors: Ed25519Vector[] }>('ed25519');

describe('Ed25519 known answers (RFC 8032 §7.1 and enmesh)', () => {
  it('holds the three RFC 8032 vectors', () => {
    expect(vectors.filter((v) => v.name.startsWith('RFC 8032'))).toHaveLength(3);
  });

  for (const v of vectors) {
    it(`${v.name}: public key, signature and verification`, () => {
      const pair = signingKeyPairFromSeed(hex(v.seed));
      expect(toHexString(pair.publicKey)).toBe(v.publicKey);
      expect(toHexString(pair.privateKey)).toBe(v.seed);
      expect(toHexString(sign(hex(v.seed), hex(v.message)))).toBe(v.signature);
      expect(verify(hex(v.publicKey), hex(v.message), hex(v.signature))).toBe(true);
    });

    it(`${v.name}: tweetnacl gives the same bytes`, () => {
      const naclPair = nacl.sign.keyPair.fromSeed(hex(v.seed));
      expect(toHexString(naclPair.publicKey)).toBe(v.publicKey);
      expect(toHexString(nacl.sign.detached(hex(v.message), naclPair.secretKey))).toBe(v.signature);
    });
  }
});

describe('Ed25519 cross-check with tweetnacl over random keys', () => {
  it('derives identical public keys and identical signatures; each verifies the other', () => {
    for (let i = 0; i < 64; i++) {
      const seed = new Uint8Array(nodeRandomBytes(32));
      const message = new Uint8Array(nodeRandomBytes(i * 7));
      const ours = signingKeyPairFromSeed(seed);
      const theirs = nacl.sign.keyPair.fromSeed(seed);
      expect(toHexString(ours.publicKey)).toBe(toHexString(theirs.publicKey));
      const signature = sign(seed, message);
      const naclSignature = nacl.sign.detached(message, theirs.secretKey);
      expect(toHexString(signature)).toBe(toHexString(naclSignature));
      expect(nacl.sign.detached.verify(message, signature, theirs.publicKey)).toBe(true);
      expect(verify(ours.publicKey, message, naclSignature)).toBe(true);
    }
  });

  it('generates key pairs tweetnacl agrees with', () => {
    const pair = generateSigningKeyPair();
    expect(pair.publicKey).toHaveLength(32);
    expect(pair.privateKey).toHaveLength(32);
    expect(toHexString(nacl.sign.keyPair.fromSeed(pair.privateKey).publicKey)).toBe(
      toHexString(pair.publicKey),
    );
    expect(generateSigningKeyPair().publicKey).not.toEqual(pair.publicKey);
  });
});

describe('verify', () => {
  const pair = generateSigningKeyPair();
  const message = new TextEncoder().encode('enmesh signed message');
  const signature = sign(pair.privateKey, message);

  it('accepts the genuine signature', () => {
    expect(verify(pair.publicKey, message, signature)).toBe(true);
    expect(verify(Buffer.from(pair.publicKey), Buffer.from(message), Buffer.from(signature))).toBe(true);
  });

  it('returns false for a modified message', () => {
    for (let i = 0; i < message.length; i++)
      expect(verify(pair.publicKey, flipBit(message, i, i % 8), signature)).toBe(false);
    expect(verify(pair.publicKey, message.subarray(1), signature)).toBe(false);
    expect(verify(pair.publicKey, new Uint8Array(0), signature)).toBe(false);
  });

  it('returns false for a modified signature, never throws', () => {
    for (let i = 0; i < 64; i++)
      expect(verify(pair.publicKey, message, flipBit(signature, i, (i * 3) % 8))).toBe(false);
    expect(verify(pair.publicKey, message, new Uint8Array(64))).toBe(false);
    expect(verify(pair.publicKey, message, new Uint8Array(64).fill(0xff))).toBe(false);
  });

  it('returns false for a signature of the wrong length or type', () => {
    expect(verify(pair.publicKey, message, signature.subarray(0, 63))).toBe(false);
    expect(verify(pair.publicKey, message, new Uint8Array([...signature, 0]))).toBe(false);
    expect(verify(pair.publicKey, message, new Uint8Array(0))).toBe(false);
    expect(verify(pair.publicKey, message, 'sig' as unknown as Uint8Array)).toBe(false);
  });

  it('returns false for the malleable form S + L of a valid signature (strict RFC 8032 check)', () => {
    const order = 2n ** 252n + 27742317777372353535851937790883648493n;
    const scalar = signature.subarray(32).reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n) + order;
    const malleable = new Uint8Array(signature);
    for (let i = 0; i < 32; i++) malleable[32 + i] = Number((scalar >> BigInt(8 * i)) & 0xffn);
    expect(nacl.sign.detached.verify(message, malleable, pair.publicKey)).toBe(true); // tweetnacl is lax
    expect(verify(pair.publicKey, message, malleable)).toBe(false);
  });

  it('returns false for another public key, or 32 bytes that are not a curve point', () => {
    expect(verify(generateSigningKeyPair().publicKey, message, signature)).toBe(false);
    expect(verify(new Uint8Array(32).fill(0xff), message, signature)).toBe(false);
    expect(verify(new Uint8Array(32), message, signature)).toBe(false);
  });
});

describe('invalid keys', () => {
  it('throws error.crypto.invalidKey for malformed key lengths', () => {
    const message = Uint8Array.of(1);
    for (const length of [0, 31, 33, 64]) {
      expectCryptoError(() => sign(new Uint8Array(length), message), 'error.crypto.invalidKey');
      expectCryptoError(
        () => verify(new Uint8Array(length), message, new Uint8Array(64)),
        'error.crypto.invalidKey',
      );
      expectCryptoError(() => signingKeyPairFromSeed(new Uint8Array(length)), 'error.crypto.invalidKey');
    }
    expectCryptoError(() => sign('seed' as unknown as Uint8Array, message), 'error.crypto.invalidKey');
  });

  it('throws error.crypto.invalidArgument for a message that is not bytes', () => {
    const pair = generateSigningKeyPair();
    expectCryptoError(
      () => sign(pair.privateKey, 'text' as unknown as Uint8Array),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(
      () => verify(pair.publicKey, 'text' as unknown as Uint8Array, new Uint8Array(64)),
      'error.crypto.invalidArgument',
    );
  });
});

describe('key pairs never print their private key', () => {
  it('redacts toString, JSON and util.inspect, yet keeps privateKey readable', () => {
    const pair = signingKeyPairFromSeed(hex(vectors[0]!.seed));
    const secretForms = [vectors[0]!.seed, Buffer.from(pair.privateKey).toString('base64url')];
    for (const printed of [String(pair), JSON.stringify(pair), inspect(pair), `${pair}`]) {
      for (const secret of secretForms) expect(printed).not.toContain(secret);
    }
    expect(inspect(pair)).toContain('[redacted]');
    expect(JSON.parse(JSON.stringify(pair))).toEqual({
      publicKey: Buffer.from(pair.publicKey).toString('base64url'),
    });
    expect(toHexString(pair.privateKey)).toBe(vectors[0]!.seed);
    const { privateKey } = pair;
    expect(privateKey).toHaveLength(32);
  });

  it('copies the seed it was given', () => {
    const seed = new Uint8Array(nodeRandomBytes(32));
    const pair = signingKeyPairFromSeed(seed);
    const before = toHexString(pair.privateKey);
    seed.fill(0);
    expect(toHexString(pair.privateKey)).toBe(before);
  });
});

describe('KeyObject cache', () => {
  it('imports a public key once and verifies with it many times', () => {
    const pair = generateSigningKeyPair();
    const message = Uint8Array.of(1, 2, 3);
    const signature = sign(pair.privateKey, message);
    const before = keyCaches.ed25519Public.size;
    for (let i = 0; i < 1000; i++) expect(verify(pair.publicKey, message, signature)).toBe(true);
    expect(keyCaches.ed25519Public.size - before).toBeLessThanOrEqual(1);
    expect(keyCaches.ed25519Public.has(Buffer.from(pair.publicKey).toString('base64url'))).toBe(true);
  });

  it('signs with a cached private key and still produces the RFC answer', () => {
    const v = vectors[1]!;
    for (let i = 0; i < 100; i++) expect(toHexString(sign(hex(v.seed), hex(v.message)))).toBe(v.signature);
  });
});
