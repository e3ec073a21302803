import { describe, expect, it } from 'vitest';
import { CRYPTO_ERROR_CODES, CryptoError } from './errors.js';

describe('CryptoError', () => {
  it('is an Error with a stable code', () => {
    const error = new CryptoError('error.crypto.invalidKey', 'bad key');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CryptoError');
    expect(error.code).toBe('error.crypto.invalidKey');
    expect(error.message).toBe('bad key');
    expect(error.is('error.crypto.invalidKey')).toBe(true);
    expect(error.is('error.crypto.decryptionFailed')).toBe(false);
  });

  it('recognises itself and its code', () => {
    const error = new CryptoError('error.crypto.decryptionFailed', 'x', { cause: new Error('inner') });
    expect(CryptoError.isCryptoError(error)).toBe(true);
    expect(CryptoError.isCryptoError(error, 'error.crypto.decryptionFailed')).toBe(true);
    expect(CryptoError.isCryptoError(error, 'error.crypto.invalidKey')).toBe(false);
    expect(CryptoError.isCryptoError(new Error('plain'))).toBe(false);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('serialises to name, code and message only', () => {
    const error = new CryptoError('error.crypto.invalidAddress', 'invalid address: checksum mismatch');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'CryptoError',
      code: 'error.crypto.invalidAddress',
      message: 'invalid address: checksum mismatch',
    });
  });

  it('uses dotted error.crypto.* codes', () => {
    for (const code of CRYPTO_ERROR_CODES) expect(code).toMatch(/^error\.crypto\.[a-zA-Z]+$/);
  });
});
