/**
 * References: what a QR code or link carries to load a token, a relationship template or a file. The
 * text form is base64url of a small versioned binary layout (docs/protocol.md, "Sealing" › References):
 *
 *   version(1) type(1) flags(1) key(32) idLen(1) id hostLen(1) host
 *   [identity token(11) [identityHostLen(1) identityHost]] [kind(1) pinLength(1) salt(16)] check(4)
 *
 * `check` is SHA-256 of everything before it, truncated to 4 bytes: a typo and truncation check, not a
 * security property (the key is what protects the content).
 */
import { isValidHost, parseAddress } from '../crypto/address.js';
import { constantTimeEqual, fromBase64Url, toBase64Url } from '../crypto/encoding.js';
import { CryptoError } from '../crypto/errors.js';
import { copyBytes } from '../crypto/internal.js';
import { sha256 } from '../crypto/kdf.js';
import { redacted } from './internal.js';

/** What a reference points to. */
export type ReferenceType = 'token' | 'template' | 'file';

/** Password protection announced by a reference; the password itself never travels in it. */
export interface ReferencePassword {
  /** A free-form password, or a numeric PIN. */
  kind: 'password' | 'pin';
  /** The number of digits of a PIN (4..16), when the creator wants to show it; never for passwords. */
  length?: number;
  /** The scrypt salt (16 bytes). */
  salt: Uint8Array;
}

/** A decoded reference. Prints (toString, JSON, inspect) without its key. */
export interface Reference {
  type: ReferenceType;
  /** The object's backbone id: 1..64 characters `A-Z a-z 0-9`. */
  id: string;
  /** The 32-byte secret reference key (see `contentKey`). */
  key: Uint8Array;
  /** The backbone host (a lower-case DNS name). */
  host: string;
  /** The only identity allowed to load the object (a full address; it travels as its 22-hex token). */
  forIdentity?: string;
  password?: ReferencePassword;
}

/** Version byte of the layout. */
export const REFERENCE_VERSION = 1;
/** Length of a reference key. */
export const REFERENCE_KEY_LENGTH = 32;
/** Length of a password salt in a reference. */
export const REFERENCE_SALT_LENGTH = 16;
/** Longest reference text `decodeReference` reads (the longest possible reference is 855 characters). */
export const MAX_REFERENCE_TEXT_LENGTH = 1024;
/** Shortest and longest PIN length a reference may announce. */
export const PIN_LENGTH_RANGE = { min: 4, max: 16 } as const;

const TYPE_CODES: Readonly<Record<ReferenceType, number>> = { token: 1, template: 2, file: 3 };
const TYPES: readonly ReferenceType[] = ['token', 'template', 'file'];
const FLAG_FOR_IDENTITY = 0x01;
const FLAG_IDENTITY_HOST = 0x02;
const FLAG_PASSWORD = 0x04;
const KNOWN_FLAGS = FLAG_FOR_IDENTITY | FLAG_IDENTITY_HOST | FLAG_PASSWORD;
const KIND_CODES = { password: 1, pin: 2 } as const;
const CHECK_LENGTH = 4;
const TOKEN_BYTES = 11;
const ID = /^[A-Za-z0-9]{1,64}$/;

function invalid(reason: string): never {
  throw new CryptoError('error.crypto.invalidReference', `invalid reference: ${reason}`);
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** The identity token and, when it differs from the reference host, the identity's own host. */
function identityParts(forIdentity: string, host: string): { token: Uint8Array; host?: string } {
  let parsed: ReturnType<typeof parseAddress>;
  try {
    parsed = parseAddress(forIdentity);
  } catch {
    return invalid('forIdentity is not a valid address');
  }
  const token = Uint8Array.from(Buffer.from(parsed.hash + parsed.checksum, 'hex'));
  return parsed.host === host ? { token } : { token, host: parsed.host };
}

/**
 * Encodes a reference as compact base64url text (no padding), e.g. 104 characters for a token with a
 * 23-character id on `enmesh.example`, without password or identity.
 * @throws {CryptoError} `error.crypto.invalidReference` when a field is out of its domain
 */
export function encodeReference(ref: Reference): string {
  if (typeof ref !== 'object' || ref === null) invalid('not an object');
  const type = TYPE_CODES[ref.type];
  if (!TYPES.includes(ref.type) || type === undefined) invalid('unknown type');
  if (typeof ref.id !== 'string' || !ID.test(ref.id)) invalid('id must be 1..64 characters A-Z a-z 0-9');
  if (!(ref.key instanceof Uint8Array) || ref.key.length !== REFERENCE_KEY_LENGTH) {
    invalid('key must be 32 bytes');
  }
  if (!isValidHost(ref.host)) invalid('host is not a lower-case DNS name');
  const parts: (number | Uint8Array)[] = [];
  let flags = 0;
  if (ref.forIdentity !== undefined) {
    const identity = identityParts(ref.forIdentity, ref.host);
    flags |= FLAG_FOR_IDENTITY;
    parts.push(identity.token);
    if (identity.host !== undefined) {
      flags |= FLAG_IDENTITY_HOST;
      parts.push(identity.host.length, asciiBytes(identity.host));
    }
  }
  if (ref.password !== undefined) {
    const { kind, length, salt } = ref.password;
    if (kind !== 'password' && kind !== 'pin') invalid('password kind must be password or pin');
    if (kind === 'password' && length !== undefined) invalid('only a PIN announces its length');
    if (length !== undefined && !(Number.isInteger(length) && length >= 4 && length <= 16)) {
      invalid('PIN length must be an integer in [4, 16]');
    }
    if (!(salt instanceof Uint8Array) || salt.length !== REFERENCE_SALT_LENGTH) {
      invalid('salt must be 16 bytes');
    }
    flags |= FLAG_PASSWORD;
    parts.push(KIND_CODES[kind], length ?? 0, salt);
  }
  const head = [REFERENCE_VERSION, type, flags, ref.key, ref.id.length, asciiBytes(ref.id)];
  const body = assemble([...head, ref.host.length, asciiBytes(ref.host), ...parts]);
  const out = new Uint8Array(body.length + CHECK_LENGTH);
  out.set(body, 0);
  out.set(sha256(body).subarray(0, CHECK_LENGTH), body.length);
  return toBase64Url(out);
}

function assemble(parts: (number | Uint8Array)[]): Uint8Array {
  const length = parts.reduce<number>((n, p) => n + (typeof p === 'number' ? 1 : p.length), 0);
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    if (typeof part === 'number') out[offset++] = part;
    else {
      out.set(part, offset);
      offset += part.length;
    }
  }
  return out;
}

/** A bounds-checked reader over the decoded bytes; every overrun is an invalid reference. */
class Reader {
  #offset = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    const value = this.bytes[this.#offset];
    if (value === undefined) invalid('truncated');
    this.#offset += 1;
    return value;
  }
  take(length: number): Uint8Array {
    if (this.#offset + length > this.bytes.length) invalid('truncated');
    const out = copyBytes(this.bytes.subarray(this.#offset, this.#offset + length));
    this.#offset += length;
    return out;
  }
  ascii(length: number): string {
    return String.fromCharCode(...this.take(length));
  }
  get remaining(): number {
    return this.bytes.length - this.#offset;
  }
}

/**
 * Decodes and strictly checks reference text: canonical base64url, version 1, a known type, no unknown
 * flags, every length, the id and host syntax, the identity checksum, the PIN length, no trailing bytes
 * and the 4-byte check value.
 * @throws {CryptoError} `error.crypto.invalidReference` for anything else
 */
export function decodeReference(text: string): Reference {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_REFERENCE_TEXT_LENGTH) {
    invalid('not a reference text');
  }
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text);
  } catch {
    return invalid('not canonical base64url');
  }
  if (bytes.length <= CHECK_LENGTH) invalid('truncated');
  const body = bytes.subarray(0, bytes.length - CHECK_LENGTH);
  if (bytes[0] !== REFERENCE_VERSION) invalid('unsupported version');
  if (!constantTimeEqual(sha256(body).subarray(0, CHECK_LENGTH), bytes.subarray(body.length))) {
    invalid('check value mismatch');
  }
  const reader = new Reader(body);
  reader.byte();
  const type = TYPES[reader.byte() - 1];
  if (type === undefined) invalid('unknown type');
  const flags = reader.byte();
  if ((flags & ~KNOWN_FLAGS) !== 0) invalid('unknown flags');
  if ((flags & FLAG_IDENTITY_HOST) !== 0 && (flags & FLAG_FOR_IDENTITY) === 0) invalid('inconsistent flags');
  const key = reader.take(REFERENCE_KEY_LENGTH);
  const id = reader.ascii(reader.byte());
  if (!ID.test(id)) invalid('bad id');
  const host = reader.ascii(reader.byte());
  if (!isValidHost(host)) invalid('bad host');
  const ref: Reference = { type, id, key, host };
  if ((flags & FLAG_FOR_IDENTITY) !== 0) {
    const token = Buffer.from(reader.take(TOKEN_BYTES)).toString('hex');
    const identityHost = (flags & FLAG_IDENTITY_HOST) !== 0 ? reader.ascii(reader.byte()) : host;
    // Encoders omit the identity host when it equals the reference host; one reference, one text.
    if ((flags & FLAG_IDENTITY_HOST) !== 0 && identityHost === host) invalid('redundant identity host');
    ref.forIdentity = `did:e:${identityHost}:dids:${token}`;
    identityParts(ref.forIdentity, host);
  }
  if ((flags & FLAG_PASSWORD) !== 0) {
    const kindCode = reader.byte();
    const length = reader.byte();
    const salt = reader.take(REFERENCE_SALT_LENGTH);
    if (kindCode === KIND_CODES.password && length === 0) ref.password = { kind: 'password', salt };
    else if (kindCode === KIND_CODES.pin && length === 0) ref.password = { kind: 'pin', salt };
    else if (kindCode === KIND_CODES.pin && length >= 4 && length <= 16) {
      ref.password = { kind: 'pin', length, salt };
    } else invalid('bad password kind or PIN length');
  }
  if (reader.remaining !== 0) invalid('trailing bytes');
  return redactReference(ref);
}

/** Makes `ref` print without its key (toString, JSON.stringify, util.inspect). */
function redactReference(ref: Reference): Reference {
  return redacted('Reference', ref, {
    type: ref.type,
    id: ref.id,
    host: ref.host,
    forIdentity: ref.forIdentity,
    password: ref.password?.kind,
  });
}

/**
 * The reference as a link: `${baseUrl}#${encodeReference(ref)}`. The reference (with its key) sits in
 * the fragment, which browsers never send to a web server.
 * @throws {CryptoError} `error.crypto.invalidReference` for an invalid reference, or a `baseUrl` that is
 *   not an absolute URL or already has a fragment
 */
export function referenceToUrl(ref: Reference, baseUrl: string): string {
  if (typeof baseUrl !== 'string' || baseUrl.includes('#') || !URL.canParse(baseUrl)) {
    invalid('base URL must be an absolute URL without a fragment');
  }
  return `${baseUrl}#${encodeReference(ref)}`;
}

/**
 * Reads the reference from the fragment of a link made by `referenceToUrl`.
 * @throws {CryptoError} `error.crypto.invalidReference` when the URL has no fragment or the fragment
 *   is not a valid reference
 */
export function referenceFromUrl(url: string): Reference {
  if (typeof url !== 'string' || url.length > 8192) invalid('not a URL');
  const hash = url.indexOf('#');
  if (hash < 0) invalid('the URL has no fragment');
  if (!URL.canParse(url.slice(0, hash))) invalid('not an absolute URL');
  return decodeReference(url.slice(hash + 1));
}
