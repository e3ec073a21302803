import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  constantTimeEqual,
  fromBase64Url,
  fromHex,
  fromUtf8,
  toBase64Url,
  toHex,
  utf8,
} from './encoding.js';
import { expectCryptoError } from './test-support.js';

describe('base64url', () => {
  it('round-trips every length from 0 to 100 and matches RFC 4648 §5 without padding', () => {
    for (let length = 0; length <= 100; length++) {
      const bytes = new Uint8Array(nodeRandomBytes(length));
      const text = toBase64Url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(text).toBe(
        Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
      );
      expect(fromBase64Url(text)).toEqual(bytes);
    }
  });

  it('encodes the RFC 4648 examples', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of cases) {
      expect(toBase64Url(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(fromBase64Url(encoded))).toBe(plain);
    }
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
  });

  it('rejects padding, the standard alphabet, whitespace, impossible lengths and non-canonical forms', () => {
    for (const bad of ['Zg==', 'Zm8=', '+/8', 'Zm9v Yg', ' Zg', 'Zg\n', 'A', 'AAAAA', 'Zh', 'Zm9', '%%%%']) {
      expectCryptoError(() => fromBase64Url(bad), 'error.crypto.invalidEncoding');
    }
    expectCryptoError(() => fromBase64Url(42 as unknown as string), 'error.crypto.invalidEncoding');
  });

  it('accepts exactly the strict form on random text, over both alphabets, padding, whitespace and non-ASCII', () => {
    // The decoder relies on node skipping foreign characters; this pins it to the strict definition.
    const strict = (text: string) =>
      /^[A-Za-z0-9_-]*$/.test(text) &&
      text.length % 4 !== 1 &&
      Buffer.from(text, 'base64url').toString('base64url') === text;
    const alphabet = [
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
      ...'+/= *\n\té.\u0000\ud83d',
    ];
    const random = nodeRandomBytes(20_000 * 16);
    for (let i = 0; i < 20_000; i++) {
      const span = i % 3 === 0 ? alphabet.length : 64;
      let text = '';
      for (let j = 0; j < i % 17; j++) text += alphabet[random[i * 16 + j]! % span];
      let accepted = true;
      try {
        expect(fromBase64Url(text)).toEqual(new Uint8Array(Buffer.from(text, 'base64url')));
      } catch {
        accepted = false;
      }
      if (accepted !== strict(text)) expect.fail(`${JSON.stringify(text)}: accepted ${accepted}`);
    }
  });

  it('returns a plain Uint8Array that owns its memory', () => {
    const bytes = fromBase64Url('Zm9vYmFy');
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(6);
  });
});

describe('hex', () => {
  it('round-trips and encodes lower case', () => {
    const bytes = Uint8Array.of(0x00, 0x0f, 0xa0, 0xff);
    expect(toHex(bytes)).toBe('000fa0ff');
    expect(fromHex('000fa0ff')).toEqual(bytes);
    expect(fromHex('000FA0FF')).toEqual(bytes);
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it('rejects odd lengths and non-hex characters', () => {
    for (const bad of ['0', 'abc', 'zz', '0x00', '00 ', 'g0']) {
      expectCryptoError(() => fromHex(bad), 'error.crypto.invalidEncoding');
    }
  });
});

describe('utf8', () => {
  it('encodes and decodes UTF-8', () => {
    expect(toHex(utf8('héllo'))).toBe('68c3a96c6c6f');
    expect(toHex(utf8('😀'))).toBe('f09f9880');
    expect(utf8('')).toEqual(new Uint8Array(0));
    expect(fromUtf8(utf8('grüße 😀'))).toBe('grüße 😀');
  });

  it('rejects lone surrogates instead of replacing them', () => {
    expectCryptoError(() => utf8('a\uD800b'), 'error.crypto.invalidEncoding');
    expectCryptoError(() => utf8('\uDC00'), 'error.crypto.invalidEncoding');
    expectCryptoError(() => utf8('end\uD83D'), 'error.crypto.invalidEncoding');
    expectCryptoError(() => utf8(7 as unknown as string), 'error.crypto.invalidArgument');
  });

  it('decodes strictly and keeps a BOM', () => {
    expectCryptoError(() => fromUtf8(Uint8Array.of(0xff)), 'error.crypto.invalidEncoding');
    expectCryptoError(() => fromUtf8(Uint8Array.of(0xc3)), 'error.crypto.invalidEncoding');
    expectCryptoError(() => fromUtf8(Uint8Array.of(0xed, 0xa0, 0x80)), 'error.crypto.invalidEncoding');
    expect(fromUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\uFEFFa');
  });
});

describe('concatBytes', () => {
  it('concatenates into a new array', () => {
    const a = Uint8Array.of(1, 2);
    const b = Uint8Array.of(3);
    const joined = concatBytes(a, new Uint8Array(0), b, Buffer.from([4, 5]));
    expect(joined).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
    a[0] = 9;
    expect(joined[0]).toBe(1);
    expect(concatBytes()).toEqual(new Uint8Array(0));
  });

  it('rejects non-byte parts', () => {
    expectCryptoError(
      () => concatBytes(Uint8Array.of(1), [2] as unknown as Uint8Array),
      'error.crypto.invalidArgument',
    );
  });
});

describe('constantTimeEqual', () => {
  it('compares contents and lengths', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(constantTimeEqual(Buffer.from([7]), Uint8Array.of(7))).toBe(true);
  });

  it('rejects non-byte arguments', () => {
    expectCryptoError(
      () => constantTimeEqual('a' as unknown as Uint8Array, Uint8Array.of(1)),
      'error.crypto.invalidArgument',
    );
  });
});
