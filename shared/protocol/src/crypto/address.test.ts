import { describe, expect, it } from 'vitest';
import { addressMatchesKey, deriveAddress, isValidAddress, isValidHost, parseAddress } from './address.js';
import { generateSigningKeyPair } from './signing.js';
import { expectCryptoError, hex, loadVectors } from './test-support.js';

interface AddressVectors {
  valid: {
    source: string;
    publicKey: string;
    host: string;
    address: string;
    hash: string;
    checksum: string;
  }[];
  checksumOnly: { source: string; address: string }[];
  invalid: { address: string; reason: string }[];
}
const vectors = loadVectors<AddressVectors>('address');
const sample = vectors.valid[0]!;

describe('address known answers (nmshd/transport and enmesh)', () => {
  it('includes the vectors published with nmshd/transport', () => {
    expect(vectors.valid.filter((v) => v.source.startsWith('nmshd/transport')).length).toBeGreaterThanOrEqual(
      10,
    );
  });

  for (const v of vectors.valid) {
    it(`derives ${v.address}`, () => {
      expect(deriveAddress(hex(v.publicKey), v.host)).toBe(v.address);
      expect(parseAddress(v.address)).toEqual({ host: v.host, hash: v.hash, checksum: v.checksum });
      expect(isValidAddress(v.address)).toBe(true);
      expect(addressMatchesKey(v.address, hex(v.publicKey))).toBe(true);
    });
  }

  for (const v of vectors.checksumOnly) {
    it(`accepts ${v.address} (${v.source})`, () => {
      expect(isValidAddress(v.address)).toBe(true);
    });
  }

  for (const v of vectors.invalid) {
    it(`rejects ${JSON.stringify(v.address)}: ${v.reason}`, () => {
      expect(isValidAddress(v.address)).toBe(false);
      expectCryptoError(() => parseAddress(v.address), 'error.crypto.invalidAddress');
    });
  }
});

describe('address checks', () => {
  it('has a 22-char lower-case hex identity part usable as a NATS subject token', () => {
    for (let i = 0; i < 50; i++) {
      const address = deriveAddress(generateSigningKeyPair().publicKey, 'enmesh.example');
      const { hash, checksum } = parseAddress(address);
      expect(`${hash}${checksum}`).toMatch(/^[0-9a-f]{22}$/);
      expect(address).toBe(`did:e:enmesh.example:dids:${hash}${checksum}`);
    }
  });

  it('rejects every change of a checksum character, and nearly every change of a hash character', () => {
    const tailStart = sample.address.length - 22;
    let acceptedHashChanges = 0;
    let hashChanges = 0;
    for (let i = tailStart; i < sample.address.length; i++) {
      for (const char of '0123456789abcdef') {
        if (char === sample.address[i]) continue;
        const changed = sample.address.slice(0, i) + char + sample.address.slice(i + 1);
        if (i >= sample.address.length - 2) {
          expect(isValidAddress(changed)).toBe(false);
        } else {
          hashChanges++;
          if (isValidAddress(changed)) acceptedHashChanges++;
        }
      }
    }
    // An 8-bit checksum misses 1 in 256 random changes; over 300 changes expect about one.
    expect(hashChanges).toBe(300);
    expect(acceptedHashChanges).toBeLessThanOrEqual(6);
  });

  it('rejects upper case, a wrong prefix and a wrong host', () => {
    expect(isValidAddress(sample.address.toUpperCase())).toBe(false);
    expect(isValidAddress(sample.address.replace('did:e:', 'did:x:'))).toBe(false);
    expect(isValidAddress(sample.address.replace('did:e:', 'did:E:'))).toBe(false);
    expect(isValidAddress(sample.address.replace(sample.host, 'other.example'))).toBe(false);
    expect(isValidAddress(42 as unknown as string)).toBe(false);
    expectCryptoError(() => parseAddress(undefined as unknown as string), 'error.crypto.invalidAddress');
  });

  it('matches an address to its key only', () => {
    const other = generateSigningKeyPair().publicKey;
    expect(addressMatchesKey(sample.address, other)).toBe(false);
    expect(addressMatchesKey('did:e:example.com:dids:0000', hex(sample.publicKey))).toBe(false);
    expect(addressMatchesKey(deriveAddress(other, 'a.example'), other)).toBe(true);
    expectCryptoError(() => addressMatchesKey(sample.address, new Uint8Array(31)), 'error.crypto.invalidKey');
  });

  it('refuses to derive from a malformed key or host', () => {
    for (const length of [0, 31, 33, 64]) {
      expectCryptoError(() => deriveAddress(new Uint8Array(length), 'localhost'), 'error.crypto.invalidKey');
    }
    for (const host of [
      '',
      'Example.com',
      'localhost:4222',
      'a..b',
      '-a.example',
      'a-.example',
      'a_b.example',
      'ex ample',
    ]) {
      expectCryptoError(() => deriveAddress(hex(sample.publicKey), host), 'error.crypto.invalidAddress');
    }
  });
});

describe('isValidHost', () => {
  it('accepts lower-case DNS names', () => {
    for (const host of [
      'localhost',
      'a',
      'example.com',
      'backbone-1.enmesh.example',
      'xn--bcher-kva.example',
      '10.0.0.1',
    ]) {
      expect(isValidHost(host)).toBe(true);
    }
    expect(isValidHost(`${'a'.repeat(63)}.example`)).toBe(true);
    const longest = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(longest).toHaveLength(253);
    expect(isValidHost(longest)).toBe(true);
  });

  it('rejects everything else', () => {
    const tooLong = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`;
    for (const host of [
      '',
      'A',
      'Example.com',
      'host:4222',
      'a..b',
      '.a',
      'a.',
      '-a',
      'a-',
      'a_b',
      'é.example',
      tooLong,
    ]) {
      expect(isValidHost(host)).toBe(false);
    }
    expect(isValidHost(`${'a'.repeat(64)}.example`)).toBe(false);
    expect(isValidHost(null as unknown as string)).toBe(false);
  });
});
