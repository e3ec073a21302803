/**
 * Messages (docs/protocol.md, "Sealing" › Messages): one fresh content key per message, the body sealed
 * once with it, the content key wrapped per recipient with the sender -> recipient relationship key of
 * an epoch. The wrap is a ChaCha20-Poly1305 seal whose associated data is the canonical header, so each
 * recipient authenticates sender, recipient list, creation time, id and content hash with the pairwise
 * key: no signature per message. The body commits to the content key, so every recipient that accepts
 * a message reads the same content.
 *
 *   commitment = SHA-256(UTF-8("enmesh/message/key-commitment/v1") || contentKey)
 *   body       = 0x01 || commitment(32) || nonce(12) || ChaCha20-Poly1305(contentKey, nonce, content, "")
 *   wrapKey    = HKDF-Expand(epochKey, "enmesh/message/wrap/v1", 32)
 *              = HMAC-SHA256(epochKey, UTF-8("enmesh/message/wrap/v1") || 0x01)
 *   wrapped    = nonce(12) || ChaCha20-Poly1305(wrapKey, nonce, contentKey, canonicalHeaderBytes)
 */

import { AEAD_KEY_LENGTH, AEAD_NONCE_LENGTH, open, sealWithNonce } from '../crypto/aead.js';
import { constantTimeEqual, toBase64Url, utf8 } from '../crypto/encoding.js';
import { CryptoError } from '../crypto/errors.js';
import { assertBytes, assertKey } from '../crypto/internal.js';
import { hmacSha256, sha256 } from '../crypto/kdf.js';
import { randomBytes } from '../crypto/random.js';
import { ensure, isIntegerIn } from './internal.js';
import {
  canonicalHeaderBytes,
  type EnvelopeParts,
  envelopeOf,
  MAX_MESSAGE_CONTENT_BYTES,
  type MessageEnvelope,
  type MessageHeader,
  validateEnvelope,
  validateHeader,
} from './message-format.js';
import { readEnvelope, writeEnvelope } from './message-wire.js';
import { MAX_EPOCH, RELATIONSHIP_KEY_LENGTH } from './relationship-keys.js';

/** One recipient of `sealMessage`. */
export interface MessageRecipient {
  address: string;
  /** The sender -> recipient relationship key of `epoch` (see `deriveEpochKey`). */
  sendKey: Uint8Array;
  epoch: number;
}

/** Inputs of `sealMessage`. */
export interface SealMessageInput {
  id: string;
  sender: string;
  /** As `Date.prototype.toISOString` writes it. */
  createdAt: string;
  recipients: MessageRecipient[];
  content: Uint8Array;
}

/** The randomness of one `sealMessage` call, as a parameter for known-answer vectors. */
export interface MessageRandomness {
  contentKey: Uint8Array;
  bodyNonce: Uint8Array;
  /** One 12-byte nonce per recipient, in recipient order. */
  wrapNonces: Uint8Array[];
}

/** How a recipient opens a message. */
export interface OpenMessageOptions {
  /** The opening identity's address; it must be listed in the header and have a key entry. */
  ownAddress: string;
  /** The sender -> own relationship key of `epoch`, or undefined when there is none. */
  receiveKeyFor: (sender: string, epoch: number) => Uint8Array | undefined;
}

const BODY_VERSION = 1;
const COMMITMENT_LABEL = utf8('enmesh/message/key-commitment/v1');
const WRAP_INFO = utf8('enmesh/message/wrap/v1\u0001');
const COMMITMENT_LENGTH = 32;
const EMPTY = new Uint8Array(0);

function commitmentOf(contentKey: Uint8Array): Uint8Array {
  const input = new Uint8Array(COMMITMENT_LABEL.length + contentKey.length);
  input.set(COMMITMENT_LABEL, 0);
  input.set(contentKey, COMMITMENT_LABEL.length);
  return sha256(input);
}

/** Wrap keys already derived, by the epoch key object they came from, with a copy of that key's bytes. */
const wrapKeys = new WeakMap<Uint8Array, { readonly epochKey: Uint8Array; readonly wrapKey: Uint8Array }>();

/**
 * The key that wraps content keys for one direction and epoch (HKDF-Expand, one block). Every message of a
 * direction and epoch uses the same one, so it is derived once per epoch key and kept as long as that key
 * is; the kept copy of the epoch key's bytes notices a key object that was overwritten since.
 */
function wrapKeyOf(epochKey: Uint8Array): Uint8Array {
  const known = wrapKeys.get(epochKey);
  if (known && constantTimeEqual(known.epochKey, epochKey)) return known.wrapKey;
  const wrapKey = hmacSha256(epochKey, WRAP_INFO);
  wrapKeys.set(epochKey, { epochKey: epochKey.slice(), wrapKey });
  return wrapKey;
}

/** The `i`th nonce of a random pool that starts with a content key. */
function nonceAt(pool: Uint8Array, i: number): Uint8Array {
  return pool.subarray(
    AEAD_KEY_LENGTH + AEAD_NONCE_LENGTH * i,
    AEAD_KEY_LENGTH + AEAD_NONCE_LENGTH * (i + 1),
  );
}

/**
 * Seals a message for its recipients with fresh randomness.
 * @throws {CryptoError} `error.crypto.invalidArgument` for a bad id, address (its shape: the checksum is
 *   a typo check and is not verified), time, recipient list (empty, over 1000, duplicates, the sender),
 *   epoch or content (over 16 MiB); `error.crypto.invalidKey` for a send key that is not 32 bytes
 */
export function sealMessage(input: SealMessageInput): MessageEnvelope {
  return envelopeOf(withFreshRandomness(input, sealParts));
}

/**
 * `sealMessage` in the byte form (`encodeEnvelope`): what a sender puts on the wire. Written straight from
 * the sealed parts, which are valid by construction (the header is checked, body and wraps made here).
 * @throws {CryptoError} as `sealMessage`
 */
export function sealMessageBytes(input: SealMessageInput): Uint8Array {
  return writeEnvelope(withFreshRandomness(input, sealParts));
}

/**
 * `sealMessage` with caller-chosen randomness, for known-answer vectors only.
 * @throws {CryptoError} as `sealMessage`; `error.crypto.invalidArgument` when the randomness does not fit
 */
export function sealMessageWithRandomness(
  input: SealMessageInput,
  randomness: MessageRandomness,
): MessageEnvelope {
  return envelopeOf(sealParts(input, randomness));
}

/** Runs `seal` with fresh randomness for the input's recipients, and wipes it afterwards. */
function withFreshRandomness<T>(
  input: SealMessageInput,
  seal: (input: SealMessageInput, randomness: MessageRandomness) => T,
): T {
  const count = Array.isArray(input?.recipients) ? input.recipients.length : 0;
  // One CSPRNG call for all of it: each call costs about as much as a small AEAD seal.
  const pool = randomBytes(AEAD_KEY_LENGTH + AEAD_NONCE_LENGTH * (1 + count));
  const wrapNonces: Uint8Array[] = [];
  for (let i = 1; i <= count; i++) wrapNonces.push(nonceAt(pool, i));
  try {
    return seal(input, {
      contentKey: pool.subarray(0, AEAD_KEY_LENGTH),
      bodyNonce: nonceAt(pool, 0),
      wrapNonces,
    });
  } finally {
    pool.fill(0);
  }
}

function sealParts(input: SealMessageInput, randomness: MessageRandomness): EnvelopeParts {
  ensure(
    typeof input === 'object' && input !== null,
    'error.crypto.invalidArgument',
    'input must be an object',
  );
  const { id, sender, createdAt, recipients, content } = input;
  ensure(Array.isArray(recipients), 'error.crypto.invalidArgument', 'recipients must be an array');
  assertBytes(content, 'content');
  ensure(
    content.length <= MAX_MESSAGE_CONTENT_BYTES,
    'error.crypto.invalidArgument',
    'content exceeds 16 MiB',
  );
  assertKey(randomness.contentKey, AEAD_KEY_LENGTH, 'content key');
  ensure(
    Array.isArray(randomness.wrapNonces) && randomness.wrapNonces.length === recipients.length,
    'error.crypto.invalidArgument',
    'one wrap nonce per recipient',
  );
  for (const recipient of recipients) {
    assertKey(recipient?.sendKey, RELATIONSHIP_KEY_LENGTH, 'send key');
    ensure(isIntegerIn(recipient.epoch, 0, MAX_EPOCH), 'error.crypto.invalidArgument', 'epoch out of range');
  }
  const { contentKey } = randomness;
  const sealed = sealWithNonce(contentKey, randomness.bodyNonce, content, EMPTY);
  const body = new Uint8Array(1 + COMMITMENT_LENGTH + sealed.length);
  body[0] = BODY_VERSION;
  body.set(commitmentOf(contentKey), 1);
  body.set(sealed, 1 + COMMITMENT_LENGTH);
  const contentHash = sha256(body);
  const header: MessageHeader = {
    id,
    sender,
    createdAt,
    recipients: recipients.map((r) => r.address),
    contentHash: toBase64Url(contentHash),
  };
  validateHeader(header, 'error.crypto.invalidArgument');
  const ad = canonicalHeaderBytes(header);
  const wraps = new Map<string, { epoch: number; wrapped: Uint8Array }>();
  recipients.forEach((recipient, i) => {
    const wrapped = sealWithNonce(wrapKeyOf(recipient.sendKey), randomness.wrapNonces[i]!, contentKey, ad);
    wraps.set(recipient.address, { epoch: recipient.epoch, wrapped });
  });
  return { header, contentHash, body, wraps };
}

function unauthentic(reason: string, cause?: unknown): never {
  throw new CryptoError('error.crypto.authenticationFailed', `message rejected: ${reason}`, { cause });
}

/**
 * Validates, authenticates and opens a message for `ownAddress`. Replays are the caller's to detect
 * (by header id); freshness of `createdAt` too.
 * @throws {CryptoError} `error.crypto.invalidEnvelope` for a malformed envelope;
 *   `error.crypto.invalidArgument` for malformed options; `error.crypto.notARecipient` when
 *   `ownAddress` is not listed or has no key entry; `error.crypto.authenticationFailed` when there is
 *   no key for the sender and epoch, or the wrap, content hash, key commitment or body does not
 *   verify; `error.crypto.invalidKey` when `receiveKeyFor` returns a key that is not 32 bytes
 */
export function openMessage(
  envelope: MessageEnvelope,
  options: OpenMessageOptions,
): { header: MessageHeader; content: Uint8Array } {
  return openValidated(validateEnvelope(envelope), options);
}

/**
 * `openMessage` of encoded envelope bytes as they arrive: parsed and checked once (`decodeEnvelope` and then
 * `openMessage` would check the envelope twice).
 * @throws {CryptoError} as `openMessage`, and as `decodeEnvelope` for bytes that are not an envelope
 */
export function openMessageBytes(
  bytes: Uint8Array,
  options: OpenMessageOptions,
): { header: MessageHeader; content: Uint8Array } {
  return openValidated(readEnvelope(bytes), options);
}

function openValidated(
  { header, contentHash, body, wraps }: EnvelopeParts,
  options: OpenMessageOptions,
): { header: MessageHeader; content: Uint8Array } {
  ensure(
    typeof options === 'object' && options !== null && typeof options.receiveKeyFor === 'function',
    'error.crypto.invalidArgument',
    'options must be { ownAddress, receiveKeyFor }',
  );
  const { ownAddress, receiveKeyFor } = options;
  if (typeof ownAddress !== 'string' || !header.recipients.includes(ownAddress)) {
    throw new CryptoError('error.crypto.notARecipient', 'this identity is not a recipient of the message');
  }
  const entry = wraps.get(ownAddress);
  if (entry === undefined) {
    throw new CryptoError('error.crypto.notARecipient', 'the message has no key entry for this identity');
  }
  const receiveKey = receiveKeyFor(header.sender, entry.epoch);
  if (receiveKey === undefined) unauthentic('no key for this sender and epoch');
  assertKey(receiveKey, RELATIONSHIP_KEY_LENGTH, 'receive key');
  if (!constantTimeEqual(sha256(body), contentHash)) unauthentic('content hash mismatch');
  const wrapKey = wrapKeyOf(receiveKey);
  let contentKey: Uint8Array;
  try {
    contentKey = open(wrapKey, entry.wrapped, canonicalHeaderBytes(header));
  } catch (cause) {
    return unauthentic('the key wrap does not verify', cause);
  }
  try {
    if (body[0] !== BODY_VERSION) unauthentic('unsupported body version');
    if (!constantTimeEqual(commitmentOf(contentKey), body.subarray(1, 1 + COMMITMENT_LENGTH))) {
      unauthentic('key commitment mismatch');
    }
    let content: Uint8Array;
    try {
      content = open(contentKey, body.subarray(1 + COMMITMENT_LENGTH), EMPTY);
    } catch (cause) {
      return unauthentic('the body does not verify', cause);
    }
    const { id, sender, createdAt, recipients, contentHash } = header;
    return { header: { id, sender, createdAt, recipients: [...recipients], contentHash }, content };
  } finally {
    contentKey.fill(0);
  }
}
