import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  BoundedKeyCache,
  clearKeyCaches,
  keyCaches,
  PUBLIC_KEY_CACHE_CAPACITY,
  privateKeyId,
  publicKeyId,
} from './key-cache.js';
import { randomBytes } from './random.js';
import { generateSigningKeyPair, sign, verify } from './signing.js';

const someKey: KeyObject = generateKeyPairSync('ed25519').publicKey;

describe('BoundedKeyCache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new BoundedKeyCache(3);
    cache.set('a', someKey);
    cache.set('b', someKey);
    cache.set('c', someKey);
    expect(cache.get('a')).toBe(someKey); // a is now the most recent
    cache.set('d', someKey);
    expect(cache.size).toBe(3);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('c')).toBe(true);
    expect(cache.has('d')).toBe(true);
    cache.set('d', someKey);
    expect(cache.size).toBe(3);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
  });

  it('prints only its size', () => {
    const cache = new BoundedKeyCache(2);
    cache.set('secret-id', someKey);
    for (const printed of [String(cache), JSON.stringify(cache), inspect(cache)]) {
      expect(printed).not.toContain('secret-id');
    }
    expect(String(cache)).toBe('BoundedKeyCache(1/2)');
  });

  it('refuses a capacity below 1', () => {
    expect(() => new BoundedKeyCache(0)).toThrow(RangeError);
  });
});

describe('key caches of the module', () => {
  it('keeps the Ed25519 public-key cache bounded while verification keeps working', () => {
    clearKeyCaches();
    const signer = generateSigningKeyPair();
    const message = Uint8Array.of(42);
    const signature = sign(signer.privateKey, message);
    for (let i = 0; i < PUBLIC_KEY_CACHE_CAPACITY + 50; i++) {
      verify(randomBytes(32), message, signature);
    }
    expect(keyCaches.ed25519Public.size).toBe(PUBLIC_KEY_CACHE_CAPACITY);
    expect(verify(signer.publicKey, message, signature)).toBe(true);
    expect(keyCaches.ed25519Public.size).toBe(PUBLIC_KEY_CACHE_CAPACITY);
  });

  it('is emptied by clearKeyCaches, after which keys are re-imported', () => {
    const signer = generateSigningKeyPair();
    const signature = sign(signer.privateKey, Uint8Array.of(1));
    expect(verify(signer.publicKey, Uint8Array.of(1), signature)).toBe(true);
    clearKeyCaches();
    for (const cache of Object.values(keyCaches)) expect(cache.size).toBe(0);
    expect(verify(signer.publicKey, Uint8Array.of(1), sign(signer.privateKey, Uint8Array.of(1)))).toBe(true);
    expect(keyCaches.ed25519Public.size).toBe(1);
    expect(keyCaches.ed25519Private.size).toBe(1);
  });

  it('keys public entries by base64url and private entries by a keyed hash, never by the secret', () => {
    const seed = randomBytes(32);
    expect(publicKeyId(seed)).toBe(Buffer.from(seed).toString('base64url'));
    const id = privateKeyId(seed);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(id).toBe(privateKeyId(seed));
    expect(id).not.toBe(Buffer.from(seed).toString('base64url'));
    expect(id).not.toContain(Buffer.from(seed).toString('hex').slice(0, 16));
  });
});
