/**
 * Byte encodings: base64url (RFC 4648 §5, no padding), hex, UTF-8, plus concatenation and
 * constant-time comparison. Decoders are strict: a string has exactly one accepted encoding.
 */
import { timingSafeEqual } from 'node:crypto';
import { CryptoError } from './errors.js';
import { assertBytes, nodeView, ownBytes } from './internal.js';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Encodes bytes as base64url (RFC 4648 §5) without `=` padding.
 * @throws {CryptoError} `error.crypto.invalidArgument` when `bytes` is not a Uint8Array
 */
export function toBase64Url(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  return nodeView(bytes).toString('base64url');
}

/**
 * Decodes unpadded base64url. Strict: only `A-Z a-z 0-9 - _`, no padding, no whitespace, a length
 * that is not 1 mod 4, and zero unused trailing bits (so each byte string has exactly one text form).
 * @throws {CryptoError} `error.crypto.invalidEncoding` on any other input
 */
export function fromBase64Url(text: string): Uint8Array {
  if (
    typeof text !== 'string' ||
    text.length % 4 === 1 ||
    // Node's decoder also takes the standard alphabet's two characters; the strict form must not.
    text.includes('+') ||
    text.includes('/') ||
    !zeroTrailingBits(text)
  ) {
    throw new CryptoError('error.crypto.invalidEncoding', 'not canonical unpadded base64url');
  }
  // Decoded into memory of its own (not Node's shared pool for small buffers), so no copy is needed after.
  const decoded = Buffer.allocUnsafeSlow((text.length * 3) >> 2);
  // Node's decoder skips any other character outside the alphabet (padding, whitespace) and stops at '=':
  // every such character leaves the output short of the length the text's length promises.
  if (decoded.write(text, 'base64url') !== decoded.length) {
    throw new CryptoError('error.crypto.invalidEncoding', 'not canonical unpadded base64url');
  }
  return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.length);
}

/** The value of a base64url character (the caller checked the alphabet). */
function base64UrlValue(code: number): number {
  if (code >= 97) return code - 71; // a-z: 26..51
  if (code >= 65) return code - 65; // A-Z: 0..25
  if (code >= 48) return code + 4; // 0-9: 52..61
  return code === 45 ? 62 : 63; // '-' or '_'
}

/**
 * Whether the bits the last character carries beyond the data are zero: only then is the text the one
 * encoding of its bytes (with 2 or 3 characters left over, the last one carries 4 or 2 unused bits).
 */
function zeroTrailingBits(text: string): boolean {
  const rest = text.length % 4;
  if (rest === 0) return true;
  const unused = rest === 2 ? 0x0f : 0x03;
  return (base64UrlValue(text.charCodeAt(text.length - 1)) & unused) === 0;
}

/**
 * Encodes bytes as lower-case hex.
 * @throws {CryptoError} `error.crypto.invalidArgument` when `bytes` is not a Uint8Array
 */
export function toHex(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  return nodeView(bytes).toString('hex');
}

/**
 * Decodes hex (either case, even length, nothing else).
 * @throws {CryptoError} `error.crypto.invalidEncoding` on any other input
 */
export function fromHex(text: string): Uint8Array {
  if (typeof text !== 'string' || !HEX.test(text)) {
    throw new CryptoError('error.crypto.invalidEncoding', 'not hex');
  }
  return ownBytes(Buffer.from(text, 'hex'));
}

/**
 * Encodes a string as UTF-8. A string holding a lone surrogate has no UTF-8 form; it is rejected
 * rather than silently replaced by U+FFFD (two different strings must never sign the same bytes).
 * @throws {CryptoError} `error.crypto.invalidEncoding` for a lone surrogate,
 *   `error.crypto.invalidArgument` when `text` is not a string
 */
export function utf8(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new CryptoError('error.crypto.invalidArgument', 'text must be a string');
  }
  if (LONE_SURROGATE.test(text)) {
    throw new CryptoError('error.crypto.invalidEncoding', 'text contains a lone surrogate');
  }
  return encoder.encode(text);
}

/**
 * Decodes UTF-8 strictly (malformed sequences are an error; a leading BOM is kept as U+FEFF).
 * @throws {CryptoError} `error.crypto.invalidEncoding` for malformed UTF-8
 */
export function fromUtf8(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new CryptoError('error.crypto.invalidEncoding', 'malformed UTF-8', { cause });
  }
}

/**
 * Concatenates byte arrays into a new array.
 * @throws {CryptoError} `error.crypto.invalidArgument` when a part is not a Uint8Array
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const [i, part] of parts.entries()) {
    assertBytes(part, `part ${i}`);
    length += part.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Compares two byte arrays in time independent of their contents. Arrays of different lengths are
 * unequal (the length is not treated as secret).
 * @throws {CryptoError} `error.crypto.invalidArgument` when an argument is not a Uint8Array
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  assertBytes(a, 'a');
  assertBytes(b, 'b');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
