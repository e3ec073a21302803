import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  decodeReference,
  encodeReference,
  type Reference,
  type ReferencePassword,
  referenceFromUrl,
  referenceToUrl,
} from './reference.js';
import { expectCryptoError, hex, loadSealingVectors, testAddress, toHexString } from './test-support.js';

interface ReferenceVectors {
  valid: {
    name: string;
    reference: {
      type: Reference['type'];
      id: string;
      key: string;
      host: string;
      forIdentity?: string;
      password?: { kind: 'password' | 'pin'; length?: number; salt: string };
    };
    bytes: string;
    encoded: string;
  }[];
  invalid: { text: string; reason: string }[];
}
const vectors = loadSealingVectors<ReferenceVectors>('reference');

function fromVector(v: ReferenceVectors['valid'][number]['reference']): Reference {
  const { password, key, ...rest } = v;
  return {
    ...rest,
    key: hex(key),
    ...(password === undefined ? {} : { password: { ...password, salt: hex(password.salt) } }),
  };
}

/** The reference as plain data, for deep comparison (drops the redaction helpers). */
const plain = (ref: Reference) =>
  JSON.parse(
    JSON.stringify({
      ...ref,
      key: toHexString(ref.key),
      password: ref.password && { ...ref.password, salt: toHexString(ref.password.salt) },
    }),
  );

const key = () => new Uint8Array(nodeRandomBytes(32));
const base: Reference = { type: 'token', id: 'TOKa1B2c3D4e5F6g7H8i9J0', key: key(), host: 'enmesh.example' };

describe('reference known answers', () => {
  for (const v of vectors.valid) {
    it(`${v.name}: encodes and decodes`, () => {
      const ref = fromVector(v.reference);
      expect(encodeReference(ref)).toBe(v.encoded);
      expect(Buffer.from(v.encoded, 'base64url').toString('hex')).toBe(v.bytes);
      expect(plain(decodeReference(v.encoded))).toEqual(plain(ref));
    });
  }

  for (const v of vectors.invalid) {
    it(`refuses: ${v.reason}`, () => {
      expectCryptoError(() => decodeReference(v.text), 'error.crypto.invalidReference');
    });
  }

  it('keeps a plain token reference small enough for a QR code', () => {
    const plainVector = vectors.valid.find(
      (v) => v.reference.password === undefined && !v.reference.forIdentity,
    );
    expect(plainVector!.encoded.length).toBeLessThan(120);
    expect(plainVector!.encoded).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('reference round trips', () => {
  const identities = [undefined, testAddress(1), testAddress(2, 'other.example')];
  const passwords: (ReferencePassword | undefined)[] = [
    undefined,
    { kind: 'password', salt: key().subarray(0, 16) },
    { kind: 'pin', salt: key().subarray(0, 16) },
    { kind: 'pin', length: 4, salt: key().subarray(0, 16) },
    { kind: 'pin', length: 16, salt: key().subarray(0, 16) },
  ];
  it('round-trips every type with every combination of optional parts', () => {
    for (const type of ['token', 'template', 'file'] as const) {
      for (const forIdentity of identities) {
        for (const password of passwords) {
          const ref: Reference = { ...base, type, key: key() };
          if (forIdentity !== undefined) ref.forIdentity = forIdentity;
          if (password !== undefined) ref.password = password;
          const text = encodeReference(ref);
          expect(plain(decodeReference(text))).toEqual(plain(ref));
          expect(encodeReference(decodeReference(text))).toBe(text);
        }
      }
    }
  });

  it('accepts the longest ids and hosts', () => {
    const host = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    const ref: Reference = { ...base, id: 'Z'.repeat(64), host, forIdentity: testAddress(3, 'x.example') };
    expect(plain(decodeReference(encodeReference(ref)))).toEqual(plain(ref));
  });

  it('returns copies that do not alias the decoded text', () => {
    const ref = decodeReference(encodeReference(base));
    expect(ref.key).toEqual(base.key);
    expect(ref.key).not.toBe(base.key);
    expect(Object.getPrototypeOf(ref.key)).toBe(Uint8Array.prototype);
  });
});

describe('reference validation', () => {
  it('refuses to encode fields outside their domain', () => {
    const bad: Partial<Reference>[] = [
      { type: 'relationship' as Reference['type'] },
      { type: 'toString' as Reference['type'] },
      { id: '' },
      { id: 'TOK-with-dash' },
      { id: 'x'.repeat(65) },
      { key: new Uint8Array(31) },
      { host: 'Enmesh.example' },
      { host: 'enmesh.example:8080' },
      { forIdentity: `${testAddress(1).slice(0, -2)}00` },
      { forIdentity: 'did:e:enmesh.example:dids:0' },
      { password: { kind: 'password', length: 8, salt: new Uint8Array(16) } },
      { password: { kind: 'pin', length: 3, salt: new Uint8Array(16) } },
      { password: { kind: 'pin', length: 17, salt: new Uint8Array(16) } },
      { password: { kind: 'pin', salt: new Uint8Array(15) } },
      { password: { kind: 'secret' as 'pin', salt: new Uint8Array(16) } },
    ];
    for (const change of bad) {
      expectCryptoError(() => encodeReference({ ...base, ...change }), 'error.crypto.invalidReference');
    }
  });

  it('refuses every truncation, every extension and non-strings', () => {
    const text = encodeReference({ ...base, forIdentity: testAddress(1) });
    for (let n = 0; n < text.length; n++) {
      expectCryptoError(() => decodeReference(text.slice(0, n)), 'error.crypto.invalidReference');
    }
    for (const suffix of ['A', 'AA', 'AAA', 'AAAA']) {
      expectCryptoError(() => decodeReference(text + suffix), 'error.crypto.invalidReference');
    }
    for (const value of [undefined, null, 42, {}, ['x']]) {
      expectCryptoError(() => decodeReference(value as unknown as string), 'error.crypto.invalidReference');
    }
  });

  it('detects a changed character anywhere (check value)', () => {
    const text = encodeReference({ ...base, password: { kind: 'pin', length: 6, salt: new Uint8Array(16) } });
    for (let i = 0; i < text.length; i++) {
      const changed = text.slice(0, i) + (text[i] === 'Q' ? 'R' : 'Q') + text.slice(i + 1);
      expectCryptoError(() => decodeReference(changed), 'error.crypto.invalidReference');
    }
  });

  it('refuses random garbage with the one error code', () => {
    for (let i = 0; i < 500; i++) {
      const garbage = nodeRandomBytes(1 + (i % 120)).toString('base64url');
      expectCryptoError(() => decodeReference(garbage), 'error.crypto.invalidReference');
    }
  });
});

describe('reference URLs', () => {
  const ref: Reference = {
    ...base,
    forIdentity: testAddress(1),
    password: { kind: 'password', salt: new Uint8Array(16) },
  };

  it('puts the reference in the fragment, never in the path or query', () => {
    const url = referenceToUrl(ref, 'https://enmesh.example/r?lang=de');
    const encoded = encodeReference(ref);
    expect(url).toBe(`https://enmesh.example/r?lang=de#${encoded}`);
    const parsed = new URL(url);
    expect(parsed.hash).toBe(`#${encoded}`);
    expect(parsed.pathname).toBe('/r');
    expect(parsed.search).toBe('?lang=de');
    expect(`${parsed.origin}${parsed.pathname}${parsed.search}`).not.toContain(encoded.slice(0, 20));
    expect(plain(referenceFromUrl(url))).toEqual(plain(ref));
  });

  it('works with an app scheme', () => {
    expect(plain(referenceFromUrl(referenceToUrl(ref, 'nmshd://qr')))).toEqual(plain(ref));
  });

  it('refuses a base URL with a fragment or not absolute, and URLs without a valid fragment', () => {
    for (const baseUrl of ['https://enmesh.example/#x', '/relative', 'not a url', '']) {
      expectCryptoError(() => referenceToUrl(ref, baseUrl), 'error.crypto.invalidReference');
    }
    const encoded = encodeReference(ref);
    for (const url of [
      'https://enmesh.example/r',
      `https://enmesh.example/r?${encoded}`,
      'https://enmesh.example/#',
      `/r#${encoded}`,
    ]) {
      expectCryptoError(() => referenceFromUrl(url), 'error.crypto.invalidReference');
    }
    expectCryptoError(
      () => referenceFromUrl(`https://x.example/#${encoded}x`),
      'error.crypto.invalidReference',
    );
  });
});

describe('reference secrecy', () => {
  it('prints without the key', () => {
    const ref = decodeReference(encodeReference({ ...base, forIdentity: testAddress(1) }));
    const keyForms = [toHexString(ref.key), Buffer.from(ref.key).toString('base64url'), String(ref.key[0])];
    for (const text of [String(ref), JSON.stringify(ref), inspect(ref), `${ref}`]) {
      expect(text).not.toContain(keyForms[0]);
      expect(text).not.toContain(keyForms[1]);
      expect(text).toContain(ref.id);
    }
    expect(JSON.parse(JSON.stringify(ref))).not.toHaveProperty('key');
  });

  it('never puts the text or key in an error message', () => {
    const text = encodeReference(base);
    try {
      decodeReference(`${text.slice(0, -1)}x`);
    } catch (error) {
      expect(String(error)).not.toContain(text.slice(4, 40));
      expect(JSON.stringify(error)).not.toContain(text.slice(4, 40));
    }
  });
});
