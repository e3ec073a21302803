import { ProtocolError } from '../errors.js';

/**
 * The crypto module's error: a ProtocolError (the package's one error type) with a crypto code.
 *
 * Every function of `crypto/` throws `CryptoError` for bad input or a failed operation, never a raw
 * node error. Codes are stable, dotted strings; callers branch on `code` (or `is(code)`), never on
 * `message`. Messages never contain key material or plaintext.
 */

/** Every code a `CryptoError` can carry. */
export const CRYPTO_ERROR_CODES = [
  'error.crypto.invalidArgument',
  'error.crypto.invalidKey',
  'error.crypto.invalidNonce',
  'error.crypto.invalidEncoding',
  'error.crypto.decryptionFailed',
  'error.crypto.invalidAddress',
  'error.crypto.invalidReference',
  'error.crypto.invalidEnvelope',
  'error.crypto.authenticationFailed',
  'error.crypto.notARecipient',
] as const;

/** A stable, dotted error code of the crypto module. */
export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

/** Error thrown by the crypto module; `code` is stable, `message` is for humans. */
export class CryptoError extends ProtocolError {
  override readonly name = 'CryptoError';
  declare readonly code: CryptoErrorCode;

  /**
   * @param code one of `CRYPTO_ERROR_CODES`
   * @param message a human-readable explanation, free of secrets
   * @param options.cause the underlying error, when there is one
   */
  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options?.cause === undefined ? {} : { cause: options.cause });
  }

  /** True when `value` is a `CryptoError`, and, if `code` is given, carries that code. */
  static isCryptoError(value: unknown, code?: CryptoErrorCode): value is CryptoError {
    return value instanceof CryptoError && (code === undefined || value.code === code);
  }

  /** A plain, loggable form: name, code and message only. */
  toJSON(): { name: string; code: string; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}
