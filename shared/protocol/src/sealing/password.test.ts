import { scryptSync } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hkdf } from '../crypto/kdf.js';
import {
  contentKey,
  derivePasswordSecrets,
  derivePasswordSecretsAsync,
  MAX_PASSWORD_BYTES,
  SCRYPT_MAX_MEMORY,
  SCRYPT_PARAMETERS,
} from './password.js';
import {
  expectCryptoError,
  expectCryptoRejection,
  hex,
  loadSealingVectors,
  toHexString,
} from './test-support.js';

interface PasswordVectors {
  passwords: {
    name: string;
    password: string;
    salt: string;
    passwordUtf8Nfc: string;
    scrypt: string;
    keyPart: string;
    verifier: string;
  }[];
  contentKeys: { name: string; referenceKey: string; passwordKeyPart?: string; contentKey: string }[];
}
const vectors = loadSealingVectors<PasswordVectors>('password');
const salt = hex('000102030405060708090a0b0c0d0e0f');

describe('password known answers', () => {
  for (const v of vectors.passwords) {
    it(`${v.name}: scrypt, key part and verifier`, async () => {
      expect(Buffer.from(v.password.normalize('NFC'), 'utf8').toString('hex')).toBe(v.passwordUtf8Nfc);
      const scrypt = scryptSync(hex(v.passwordUtf8Nfc), hex(v.salt), 32, {
        N: 32768,
        r: 8,
        p: 1,
        maxmem: 64 * 1024 * 1024,
      });
      expect(scrypt.toString('hex')).toBe(v.scrypt);
      expect(toHexString(hkdf(hex(v.scrypt), new Uint8Array(0), 'enmesh/password/key-part/v1', 32))).toBe(
        v.keyPart,
      );
      expect(toHexString(hkdf(hex(v.scrypt), new Uint8Array(0), 'enmesh/password/verifier/v1', 32))).toBe(
        v.verifier,
      );
      const secrets = derivePasswordSecrets(v.password, hex(v.salt));
      expect(toHexString(secrets.keyPart)).toBe(v.keyPart);
      expect(toHexString(secrets.verifier)).toBe(v.verifier);
      const async = await derivePasswordSecretsAsync(v.password, hex(v.salt));
      expect(toHexString(async.keyPart)).toBe(v.keyPart);
      expect(toHexString(async.verifier)).toBe(v.verifier);
    });
  }

  for (const v of vectors.contentKeys) {
    it(`content key: ${v.name}`, () => {
      const part = v.passwordKeyPart === undefined ? undefined : hex(v.passwordKeyPart);
      expect(toHexString(contentKey(hex(v.referenceKey), part))).toBe(v.contentKey);
    });
  }

  it('uses the documented scrypt cost', () => {
    expect(SCRYPT_PARAMETERS).toEqual({ N: 2 ** 15, r: 8, p: 1 });
    expect(SCRYPT_MAX_MEMORY).toBe(64 * 1024 * 1024);
  });
});

describe('derivePasswordSecrets', () => {
  const a = derivePasswordSecrets('correct horse', salt);

  it('is deterministic for the same password and salt', () => {
    const b = derivePasswordSecrets('correct horse', new Uint8Array(salt));
    expect(b.keyPart).toEqual(a.keyPart);
    expect(b.verifier).toEqual(a.verifier);
  });

  it('differs for another password or another salt, and never gives the key part as verifier', () => {
    const otherPassword = derivePasswordSecrets('correct horsf', salt);
    const otherSalt = derivePasswordSecrets('correct horse', hex('000102030405060708090a0b0c0d0e0e'));
    const all = [a, otherPassword, otherSalt].flatMap((s) => [
      toHexString(s.keyPart),
      toHexString(s.verifier),
    ]);
    expect(new Set(all).size).toBe(6);
    expect(a.keyPart).toHaveLength(32);
    expect(a.verifier).toHaveLength(32);
  });

  it('treats canonically equivalent passwords alike (NFC)', () => {
    const pairs = [
      ['caf\u00e9', 'cafe\u0301'],
      ['\u00c5ngstr\u00f6m', '\u212bngstro\u0308m'],
      ['\u1e9b\u0323', '\u017f\u0323\u0307'],
    ] as const;
    for (const [composed, decomposed] of pairs) {
      expect(derivePasswordSecrets(decomposed, salt).verifier).toEqual(
        derivePasswordSecrets(composed, salt).verifier,
      );
    }
    // Compatibility forms are different passwords (NFC, not NFKC).
    expect(derivePasswordSecrets('\ufb01', salt).verifier).not.toEqual(
      derivePasswordSecrets('fi', salt).verifier,
    );
  });

  it('refuses bad input', () => {
    expectCryptoError(() => derivePasswordSecrets('', salt), 'error.crypto.invalidArgument');
    expectCryptoError(
      () => derivePasswordSecrets(42 as unknown as string, salt),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(() => derivePasswordSecrets('pw', new Uint8Array(15)), 'error.crypto.invalidArgument');
    expectCryptoError(
      () => derivePasswordSecrets('pw', 'salt' as unknown as Uint8Array),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(
      () => derivePasswordSecrets('x'.repeat(MAX_PASSWORD_BYTES + 1), salt),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(
      () => derivePasswordSecrets('\u00e9'.repeat(513), salt),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(() => derivePasswordSecrets('a\ud800b', salt), 'error.crypto.invalidEncoding');
  });

  it('rejects the same bad input asynchronously', async () => {
    await expectCryptoRejection(derivePasswordSecretsAsync('', salt), 'error.crypto.invalidArgument');
    await expectCryptoRejection(
      derivePasswordSecretsAsync('pw', new Uint8Array(17)),
      'error.crypto.invalidArgument',
    );
    await expectCryptoRejection(derivePasswordSecretsAsync('a\udc00', salt), 'error.crypto.invalidEncoding');
  });

  it('prints without its secrets', () => {
    for (const text of [String(a), JSON.stringify(a), inspect(a)]) {
      expect(text).not.toContain(toHexString(a.keyPart));
      expect(text).not.toContain(Buffer.from(a.verifier).toString('base64url'));
      expect(text).not.toMatch(/\d+, \d+, \d+/);
    }
  });
});

describe('contentKey', () => {
  const referenceKey = hex('404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f');

  it('depends on the reference key and on the password key part', () => {
    const part = derivePasswordSecrets('1234', salt).keyPart;
    const keys = [
      contentKey(referenceKey),
      contentKey(referenceKey, part),
      contentKey(referenceKey, derivePasswordSecrets('1235', salt).keyPart),
      contentKey(new Uint8Array(32), part),
    ].map(toHexString);
    expect(new Set(keys).size).toBe(4);
    expect(keys).not.toContain(toHexString(referenceKey));
    expect(keys).not.toContain(toHexString(part));
  });

  it('refuses keys of the wrong length', () => {
    expectCryptoError(() => contentKey(new Uint8Array(31)), 'error.crypto.invalidKey');
    expectCryptoError(() => contentKey(referenceKey, new Uint8Array(33)), 'error.crypto.invalidKey');
  });
});
