/**
 * The message envelope's byte form (docs/protocol.md, "Sealing" › Messages › Wire form): binary, so that the
 * body and the wrapped keys travel as bytes, not as base64 inside JSON that is base64 again inside a request.
 * All integers are big-endian; strings are ASCII (what the header check allows):
 *
 *   u8 version (1) | u16 n, id | u16 n, sender | createdAt (24) | u16 count, count × (u16 n, address)
 *   | contentHash (32) | u32 n, body | u16 count, count × (u16 recipient index, u32 epoch, wrapped (60))
 *
 * Nothing may follow. A key entry names its recipient by position in the header's list.
 */
import { toBase64Url } from '../crypto/encoding.js';
import { CryptoError } from '../crypto/errors.js';
import {
  type EnvelopeParts,
  envelopeOf,
  MAX_ENCODED_ENVELOPE_BYTES,
  MAX_MESSAGE_RECIPIENTS,
  MESSAGE_BODY_OVERHEAD,
  MESSAGE_ENVELOPE_VERSION,
  type MessageEnvelope,
  type MessageHeader,
  validateEnvelope,
  validateHeader,
  WRAPPED_KEY_LENGTH,
} from './message-format.js';

const CREATED_AT_LENGTH = 24;
const CONTENT_HASH_LENGTH = 32;

function invalid(what: string): never {
  throw new CryptoError('error.crypto.invalidEnvelope', `invalid message envelope: ${what}`);
}

/**
 * Writes checked envelope parts in the byte form. The parts must be valid (they come from `validateEnvelope`,
 * from `readEnvelope`, or from sealing, which checks its header and makes the rest).
 */
export function writeEnvelope(parts: EnvelopeParts): Uint8Array {
  const { header, body, wraps } = parts;
  const position = new Map(header.recipients.map((address, i) => [address, i]));
  let size = 1 + 2 + header.id.length + 2 + header.sender.length + CREATED_AT_LENGTH + 2;
  for (const address of header.recipients) size += 2 + address.length;
  size += CONTENT_HASH_LENGTH + 4 + body.length + 2 + wraps.size * (2 + 4 + WRAPPED_KEY_LENGTH);
  const bytes = Buffer.allocUnsafeSlow(size);
  let at = bytes.writeUInt8(MESSAGE_ENVELOPE_VERSION, 0);
  const text = (value: string) => {
    at = bytes.writeUInt16BE(value.length, at);
    at += bytes.write(value, at, 'latin1');
  };
  text(header.id);
  text(header.sender);
  at += bytes.write(header.createdAt, at, 'latin1');
  at = bytes.writeUInt16BE(header.recipients.length, at);
  for (const address of header.recipients) text(address);
  bytes.set(parts.contentHash, at);
  at += CONTENT_HASH_LENGTH;
  at = bytes.writeUInt32BE(body.length, at);
  bytes.set(body, at);
  at += body.length;
  at = bytes.writeUInt16BE(wraps.size, at);
  for (const [recipient, { epoch, wrapped }] of wraps) {
    at = bytes.writeUInt16BE(position.get(recipient)!, at);
    at = bytes.writeUInt32BE(epoch, at);
    bytes.set(wrapped, at);
    at += WRAPPED_KEY_LENGTH;
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, at);
}

/** Reads the byte form one field at a time, refusing anything that runs past the end. */
class Reader {
  readonly #bytes: Buffer;
  #at = 0;

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  take(length: number, what: string): Buffer {
    if (this.#at + length > this.#bytes.length) invalid(`${what} runs past the end`);
    const slice = this.#bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    return slice;
  }

  u8(what: string): number {
    return this.take(1, what)[0]!;
  }

  u16(what: string): number {
    return this.take(2, what).readUInt16BE(0);
  }

  u32(what: string): number {
    return this.take(4, what).readUInt32BE(0);
  }

  /** A string of `length` ASCII bytes (the header check then decides its shape). */
  ascii(length: number, what: string): string {
    const slice = this.take(length, what);
    for (const byte of slice) if (byte > 0x7f) invalid(`${what} is not ASCII`);
    return slice.toString('latin1');
  }

  text(what: string): string {
    return this.ascii(this.u16(what), what);
  }

  get done(): boolean {
    return this.#at === this.#bytes.length;
  }
}

/**
 * Reads and checks untrusted envelope bytes completely: the byte form, then the header (as `validateHeader`),
 * the body's size and hash field, and the key entries (1 to the number of recipients, each for a listed
 * recipient, none twice). Returned bytes are copies that share nothing with the input.
 * @throws {CryptoError} `error.crypto.invalidEnvelope` for anything malformed, including input that is not
 *   a Uint8Array or is longer than `MAX_ENCODED_ENVELOPE_BYTES`
 */
export function readEnvelope(input: Uint8Array): EnvelopeParts {
  if (!(input instanceof Uint8Array) || input.length > MAX_ENCODED_ENVELOPE_BYTES) invalid('size');
  const read = new Reader(Buffer.from(input.buffer, input.byteOffset, input.length));
  if (read.u8('version') !== MESSAGE_ENVELOPE_VERSION) invalid('unsupported version');
  const id = read.text('id');
  const sender = read.text('sender');
  const createdAt = read.ascii(CREATED_AT_LENGTH, 'createdAt');
  const count = read.u16('recipient count');
  if (count < 1 || count > MAX_MESSAGE_RECIPIENTS) invalid('recipients count');
  const recipients: string[] = [];
  for (let i = 0; i < count; i++) recipients.push(read.text('recipient'));
  const contentHash = new Uint8Array(read.take(CONTENT_HASH_LENGTH, 'content hash'));
  const header: MessageHeader = { id, sender, createdAt, recipients, contentHash: toBase64Url(contentHash) };
  validateHeader(header, 'error.crypto.invalidEnvelope');
  const body = new Uint8Array(read.take(read.u32('body length'), 'body'));
  if (body.length < MESSAGE_BODY_OVERHEAD) invalid('body too short');
  const keys = read.u16('key count');
  if (keys < 1 || keys > count) invalid('keys count');
  const wraps = new Map<string, { epoch: number; wrapped: Uint8Array }>();
  for (let i = 0; i < keys; i++) {
    const index = read.u16('key entry recipient');
    const recipient = recipients[index];
    if (recipient === undefined || wraps.has(recipient)) invalid('key entry recipient');
    const epoch = read.u32('key entry epoch');
    wraps.set(recipient, { epoch, wrapped: new Uint8Array(read.take(WRAPPED_KEY_LENGTH, 'key entry')) });
  }
  if (!read.done) invalid('bytes after the key entries');
  return { header, contentHash, body, wraps };
}

/**
 * The envelope as bytes (see the layout above).
 * @throws {CryptoError} `error.crypto.invalidEnvelope` when the envelope is not valid
 */
export function encodeEnvelope(envelope: MessageEnvelope): Uint8Array {
  return writeEnvelope(validateEnvelope(envelope));
}

/**
 * Reads and strictly checks untrusted envelope bytes (`readEnvelope`) into an envelope object that shares
 * nothing with the input, its fields in canonical order.
 * @throws {CryptoError} `error.crypto.invalidEnvelope` for anything malformed
 */
export function decodeEnvelope(bytes: Uint8Array): MessageEnvelope {
  // readEnvelope made every part afresh from the bytes: nothing is shared with the input.
  return envelopeOf(readEnvelope(bytes));
}
