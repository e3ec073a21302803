/**
 * The message envelope's object form, limits, strict validation and canonical header bytes (docs/protocol.md,
 * "Sealing" › Messages). The byte form is in `message-wire.ts`, the cryptography in `message-envelope.ts`.
 */
import { isValidHost } from '../crypto/address.js';
import { fromBase64Url, toBase64Url, utf8 } from '../crypto/encoding.js';
import { CryptoError, type CryptoErrorCode } from '../crypto/errors.js';
import { hasExactKeys, isIntegerIn } from './internal.js';
import { MAX_EPOCH } from './relationship-keys.js';

/** What every recipient authenticates. All strings are ASCII. */
export interface MessageHeader {
  /** 1..128 characters `A-Z a-z 0-9 . _ -`. */
  id: string;
  /** The sender's identity address. */
  sender: string;
  /** Creation time, exactly as `Date.prototype.toISOString` writes it (`YYYY-MM-DDTHH:mm:ss.sssZ`). */
  createdAt: string;
  /** Every recipient's address, in the sender's order, without duplicates and without the sender. */
  recipients: string[];
  /** base64url of SHA-256 of the sealed body bytes (43 characters). */
  contentHash: string;
}

/** The content key wrapped for one recipient. */
export interface MessageKeyEntry {
  recipient: string;
  /** The epoch of the sender -> recipient relationship key that wraps it. */
  epoch: number;
  /** base64url of nonce(12) || wrapped content key(32) || tag(16). */
  wrapped: string;
}

/** A sealed message, JSON-able. */
export interface MessageEnvelope {
  v: 1;
  header: MessageHeader;
  /** base64url of the sealed body. */
  body: string;
  /** One entry per recipient (a relay may drop the entries of other recipients). */
  keys: MessageKeyEntry[];
}

/** A checked envelope as bytes: what sealing makes and opening reads, whatever the outer form. */
export interface EnvelopeParts {
  readonly header: MessageHeader;
  /** SHA-256 of the body (the header carries it as base64url). */
  readonly contentHash: Uint8Array;
  readonly body: Uint8Array;
  /** The wrapped content key per recipient, in the envelope's order. */
  readonly wraps: Map<string, { epoch: number; wrapped: Uint8Array }>;
}

/** Envelope format version. */
export const MESSAGE_ENVELOPE_VERSION = 1;
/** Most recipients of one message. */
export const MAX_MESSAGE_RECIPIENTS = 1000;
/** Largest message content (plaintext), in bytes. */
export const MAX_MESSAGE_CONTENT_BYTES = 16 * 1024 * 1024;
/** Body bytes besides the content: version(1), key commitment(32), nonce(12), tag(16). */
export const MESSAGE_BODY_OVERHEAD = 1 + 32 + 12 + 16;
/** Length of a wrapped content key: nonce(12) || key(32) || tag(16). */
export const WRAPPED_KEY_LENGTH = 12 + 32 + 16;
/** Largest encoded envelope `decodeEnvelope` reads. */
export const MAX_ENCODED_ENVELOPE_BYTES = 24 * 1024 * 1024;

const HEADER_LABEL = 'enmesh.message';
const HEADER_FIELDS = ['id', 'sender', 'createdAt', 'recipients', 'contentHash'] as const;
const KEY_FIELDS = ['recipient', 'epoch', 'wrapped'] as const;
const ID = /^[A-Za-z0-9._-]{1,128}$/;
const ADDRESS = /^did:e:([a-z0-9.-]{1,253}):dids:[0-9a-f]{22}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_BODY_CHARS = Math.ceil(((MAX_MESSAGE_CONTENT_BYTES + MESSAGE_BODY_OVERHEAD) * 4) / 3);

/** True for the shape of an identity address (the checksum is a typo check only and not verified). */
export function isAddressShape(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const host = ADDRESS.exec(value)?.[1];
  return host !== undefined && isValidHost(host);
}

/** True for `YYYY-MM-DDTHH:mm:ss.sssZ` naming a real instant, as `toISOString` writes it. */
export function isCanonicalTime(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) return false;
  // Checked by arithmetic rather than a Date round trip (which cost more than the rest of a header check):
  // the shape is fixed, so only the calendar remains (years 0000-9999; toISOString writes others otherwise).
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= monthDays &&
    digits(value, 11, 2) <= 23 &&
    digits(value, 14, 2) <= 59 &&
    digits(value, 17, 2) <= 59
  );
}

/** The decimal number of `length` ASCII digits at `start` (the caller checked they are digits). */
function digits(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

/** Decodes base64url of exactly `length` bytes, or returns undefined. */
export function decodeFixed(value: unknown, length: number): Uint8Array | undefined {
  if (typeof value !== 'string' || value.length !== Math.ceil((length * 4) / 3)) return undefined;
  try {
    return fromBase64Url(value);
  } catch {
    return undefined;
  }
}

// The failures are module functions, not closures per call: the validators run for every message.
function invalidHeader(code: CryptoErrorCode, what: string): never {
  throw new CryptoError(code, `invalid message header: ${what}`);
}

function invalidEnvelope(what: string): never {
  throw new CryptoError('error.crypto.invalidEnvelope', `invalid message envelope: ${what}`);
}

/**
 * Checks every field of a header; throws `code` naming the first bad field. Returns the decoded
 * content hash.
 * @throws {CryptoError} with `code`
 */
export function validateHeader(header: unknown, code: CryptoErrorCode): Uint8Array {
  if (!hasExactKeys(header, HEADER_FIELDS)) return invalidHeader(code, 'fields');
  if (typeof header.id !== 'string' || !ID.test(header.id)) invalidHeader(code, 'id');
  if (!isAddressShape(header.sender)) invalidHeader(code, 'sender');
  if (!isCanonicalTime(header.createdAt)) invalidHeader(code, 'createdAt');
  const { recipients } = header;
  if (!Array.isArray(recipients) || recipients.length < 1 || recipients.length > MAX_MESSAGE_RECIPIENTS) {
    return invalidHeader(code, 'recipients count');
  }
  const seen = new Set<string>();
  for (const recipient of recipients) {
    if (!isAddressShape(recipient) || seen.has(recipient) || recipient === header.sender)
      invalidHeader(code, 'recipients');
    seen.add(recipient as string);
  }
  const contentHash = decodeFixed(header.contentHash, 32);
  return contentHash ?? invalidHeader(code, 'contentHash');
}

/**
 * Checks an untrusted envelope completely: exact fields, version, header, body size and encoding, and
 * key entries (1..recipients, each for a listed recipient, no recipient twice, epoch in range, a
 * 60-byte wrap). Returns the decoded body and wraps.
 * @throws {CryptoError} `error.crypto.invalidEnvelope`
 */
export function validateEnvelope(envelope: unknown): EnvelopeParts {
  if (!hasExactKeys(envelope, ['v', 'header', 'body', 'keys'])) return invalidEnvelope('fields');
  if (envelope.v !== MESSAGE_ENVELOPE_VERSION) invalidEnvelope('unsupported version');
  const contentHash = validateHeader(envelope.header, 'error.crypto.invalidEnvelope');
  const header = envelope.header as MessageHeader;
  const recipients = new Set(header.recipients);
  if (typeof envelope.body !== 'string' || envelope.body.length > MAX_BODY_CHARS)
    return invalidEnvelope('body');
  let body: Uint8Array;
  try {
    body = fromBase64Url(envelope.body);
  } catch {
    return invalidEnvelope('body encoding');
  }
  if (body.length < MESSAGE_BODY_OVERHEAD) invalidEnvelope('body too short');
  const { keys } = envelope;
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > recipients.size)
    return invalidEnvelope('keys count');
  const wraps = new Map<string, { epoch: number; wrapped: Uint8Array }>();
  for (const entry of keys as unknown[]) {
    if (!hasExactKeys(entry, KEY_FIELDS)) return invalidEnvelope('key entry fields');
    const { recipient, epoch, wrapped } = entry;
    if (typeof recipient !== 'string' || !recipients.has(recipient) || wraps.has(recipient)) {
      return invalidEnvelope('key entry recipient');
    }
    if (!isIntegerIn(epoch, 0, MAX_EPOCH)) return invalidEnvelope('key entry epoch');
    const bytes = decodeFixed(wrapped, WRAPPED_KEY_LENGTH);
    if (bytes === undefined) return invalidEnvelope('key entry wrapped');
    wraps.set(recipient, { epoch, wrapped: bytes });
  }
  return { header, contentHash, body, wraps };
}

/** The object form of envelope parts (base64url where the object has text), fields in canonical order. */
export function envelopeOf({ header, body, wraps }: EnvelopeParts): MessageEnvelope {
  return {
    v: MESSAGE_ENVELOPE_VERSION,
    header,
    body: toBase64Url(body),
    keys: [...wraps].map(([recipient, { epoch, wrapped }]) => ({
      recipient,
      epoch,
      wrapped: toBase64Url(wrapped),
    })),
  };
}

/**
 * The canonical header bytes, which every key wrap authenticates as associated data:
 * UTF-8(JSON.stringify(["enmesh.message", 1, id, sender, createdAt, [recipients...], contentHash])).
 * The header must be valid (all ASCII, nothing to escape).
 */
export function canonicalHeaderBytes(header: MessageHeader): Uint8Array {
  const { id, sender, createdAt, recipients, contentHash } = header;
  return utf8(
    JSON.stringify([HEADER_LABEL, MESSAGE_ENVELOPE_VERSION, id, sender, createdAt, recipients, contentHash]),
  );
}
