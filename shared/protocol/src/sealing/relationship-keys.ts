/**
 * Relationship keys (docs/protocol.md, "Sealing" › Relationship keys). The template carries the
 * templator's X25519 public key T, the relationship request the requestor's R. Both sides compute
 *
 *   okm = HKDF-SHA256(X25519(own, peer), salt = "",
 *                     info = "enmesh/relationship/v1" || 0x00 || T || R || UTF-8(relationshipId), 64)
 *   templator -> requestor key = okm[0..32]      requestor -> templator key = okm[32..64]
 *
 * These are the epoch-0 keys of each direction. Epochs advance by a one-way hash ratchet:
 *
 *   k(n+1) = HKDF-SHA256(k(n), salt = "", info = "enmesh/relationship/ratchet/v1", 32)
 */
import { constantTimeEqual, utf8 } from '../crypto/encoding.js';
import {
  EXCHANGE_PRIVATE_KEY_LENGTH,
  EXCHANGE_PUBLIC_KEY_LENGTH,
  exchangeKeyPairFromPrivate,
  sharedSecret,
} from '../crypto/exchange.js';
import { assertKey, copyBytes } from '../crypto/internal.js';
import { hkdf } from '../crypto/kdf.js';
import { ensure, isIntegerIn, redacted } from './internal.js';

/** Which side of the relationship the caller is. */
export type RelationshipRole = 'templator' | 'requestor';

/** Inputs of `deriveRelationshipSecrets`. */
export interface RelationshipKeyInput {
  role: RelationshipRole;
  /** The caller's X25519 private key (the one whose public key is its role's key below). */
  ownExchangePrivate: Uint8Array;
  /** The other side's X25519 public key: the same bytes as its role's key below. */
  peerExchangePublic: Uint8Array;
  /** From the template. */
  templatorExchangePublic: Uint8Array;
  /** From the relationship request. */
  requestorExchangePublic: Uint8Array;
  /** 1..128 characters `A-Z a-z 0-9 . _ -`. */
  relationshipId: string;
}

/** Per-direction epoch-0 keys. Prints (toString, JSON, inspect) without them. */
export interface RelationshipSecrets {
  /** Wraps what the caller sends; equals the peer's `receiveKey`. */
  sendKey: Uint8Array;
  /** Opens what the peer sends; equals the peer's `sendKey`. */
  receiveKey: Uint8Array;
}

/** Length of a relationship (epoch) key. */
export const RELATIONSHIP_KEY_LENGTH = 32;
/** The largest epoch number (epochs travel as unsigned 32-bit integers). */
export const MAX_EPOCH = 2 ** 32 - 1;
/** The most ratchet steps one `deriveEpochKey` call takes (bounds the work a claimed epoch can cause). */
export const MAX_RATCHET_STEPS = 10_000;

const RELATIONSHIP_INFO = 'enmesh/relationship/v1';
const RATCHET_INFO = 'enmesh/relationship/ratchet/v1';
const ID = /^[A-Za-z0-9._-]{1,128}$/;
const EMPTY = new Uint8Array(0);

/** The HKDF info of the relationship keys: label, a zero byte, T, R, then the relationship id. */
export function relationshipInfo(
  templatorPublic: Uint8Array,
  requestorPublic: Uint8Array,
  id: string,
): Uint8Array {
  const label = utf8(RELATIONSHIP_INFO);
  const idBytes = utf8(id);
  const info = new Uint8Array(label.length + 1 + 2 * EXCHANGE_PUBLIC_KEY_LENGTH + idBytes.length);
  info.set(label, 0);
  info.set(templatorPublic, label.length + 1);
  info.set(requestorPublic, label.length + 1 + EXCHANGE_PUBLIC_KEY_LENGTH);
  info.set(idBytes, label.length + 1 + 2 * EXCHANGE_PUBLIC_KEY_LENGTH);
  return info;
}

/**
 * Derives the caller's per-direction relationship keys (epoch 0). Both sides get the same two keys,
 * swapped: the templator's `sendKey` is the requestor's `receiveKey` and vice versa.
 * @throws {CryptoError} `error.crypto.invalidKey` for a key that is not 32 bytes, a peer key of small
 *   order, or an own private key whose public key is not the role's key;
 *   `error.crypto.invalidArgument` for an unknown role, a bad id, or a peer key that is not the other
 *   role's key
 */
export function deriveRelationshipSecrets(input: RelationshipKeyInput): RelationshipSecrets {
  const { role, ownExchangePrivate, peerExchangePublic, relationshipId } = input;
  const { templatorExchangePublic: templator, requestorExchangePublic: requestor } = input;
  ensure(role === 'templator' || role === 'requestor', 'error.crypto.invalidArgument', 'unknown role');
  assertKey(ownExchangePrivate, EXCHANGE_PRIVATE_KEY_LENGTH, 'own X25519 private key');
  assertKey(peerExchangePublic, EXCHANGE_PUBLIC_KEY_LENGTH, 'peer X25519 public key');
  assertKey(templator, EXCHANGE_PUBLIC_KEY_LENGTH, 'templator X25519 public key');
  assertKey(requestor, EXCHANGE_PUBLIC_KEY_LENGTH, 'requestor X25519 public key');
  ensure(
    typeof relationshipId === 'string' && ID.test(relationshipId),
    'error.crypto.invalidArgument',
    'relationship id must be 1..128 characters A-Z a-z 0-9 . _ -',
  );
  const [ownRoleKey, peerRoleKey] = role === 'templator' ? [templator, requestor] : [requestor, templator];
  ensure(
    constantTimeEqual(peerExchangePublic, peerRoleKey),
    'error.crypto.invalidArgument',
    "peer public key is not the other role's key",
  );
  const own = exchangeKeyPairFromPrivate(ownExchangePrivate);
  ensure(
    constantTimeEqual(own.publicKey, ownRoleKey),
    'error.crypto.invalidKey',
    "own private key does not belong to the role's public key",
  );
  own.privateKey.fill(0);
  const secret = sharedSecret(ownExchangePrivate, peerExchangePublic);
  const okm = hkdf(secret, EMPTY, relationshipInfo(templator, requestor, relationshipId), 64);
  secret.fill(0);
  const templatorToRequestor = copyBytes(okm.subarray(0, RELATIONSHIP_KEY_LENGTH));
  const requestorToTemplator = copyBytes(okm.subarray(RELATIONSHIP_KEY_LENGTH));
  okm.fill(0);
  const secrets =
    role === 'templator'
      ? { sendKey: templatorToRequestor, receiveKey: requestorToTemplator }
      : { sendKey: requestorToTemplator, receiveKey: templatorToRequestor };
  return redacted('RelationshipSecrets', secrets, { role });
}

/**
 * One step of the epoch ratchet: the key of epoch n+1 from the key of epoch n. One-way: the key of
 * epoch n cannot be computed from the key of epoch n+1.
 * @throws {CryptoError} `error.crypto.invalidKey` when `key` is not 32 bytes
 */
export function ratchetKey(key: Uint8Array): Uint8Array {
  assertKey(key, RELATIONSHIP_KEY_LENGTH, 'epoch key');
  return hkdf(key, EMPTY, RATCHET_INFO, RELATIONSHIP_KEY_LENGTH);
}

/**
 * The key of `epoch` from the key of `fromEpoch` (default 0, i.e. from the keys of
 * `deriveRelationshipSecrets`) by `epoch - fromEpoch` ratchet steps. Returns a copy when equal.
 * @throws {CryptoError} `error.crypto.invalidKey` when `key` is not 32 bytes;
 *   `error.crypto.invalidArgument` when an epoch is not an integer in [0, 2^32 - 1], `epoch` is before
 *   `fromEpoch` (the ratchet only goes forward), or the distance exceeds `MAX_RATCHET_STEPS`
 */
export function deriveEpochKey(key: Uint8Array, epoch: number, fromEpoch = 0): Uint8Array {
  assertKey(key, RELATIONSHIP_KEY_LENGTH, 'epoch key');
  ensure(isIntegerIn(epoch, 0, MAX_EPOCH), 'error.crypto.invalidArgument', 'epoch must be in [0, 2^32 - 1]');
  ensure(
    isIntegerIn(fromEpoch, 0, MAX_EPOCH),
    'error.crypto.invalidArgument',
    'fromEpoch must be in [0, 2^32 - 1]',
  );
  ensure(
    epoch >= fromEpoch,
    'error.crypto.invalidArgument',
    'the ratchet cannot go back to an earlier epoch',
  );
  ensure(
    epoch - fromEpoch <= MAX_RATCHET_STEPS,
    'error.crypto.invalidArgument',
    `at most ${MAX_RATCHET_STEPS} ratchet steps per call`,
  );
  let current = copyBytes(key);
  for (let n = fromEpoch; n < epoch; n++) {
    const next = ratchetKey(current);
    current.fill(0);
    current = next;
  }
  return current;
}
