/**
 * Raw 32-byte keys <-> node:crypto `KeyObject`s, through the bounded caches of `key-cache.ts`.
 *
 * Raw keys are wrapped in their fixed DER forms (RFC 8410): PKCS#8 for private keys
 * (`302e020100300506032b65XX04220420 || 32 bytes`) and SPKI for public keys
 * (`302a300506032b65XX032100 || 32 bytes`), where XX is 70 for Ed25519 and 6e for X25519.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { CryptoError } from './errors.js';
import { ownBytes } from './internal.js';
import { type BoundedKeyCache, keyCaches, privateKeyId, publicKeyId } from './key-cache.js';

/** The two curves of the module. */
export type Curve = 'ed25519' | 'x25519';

const OID_BYTE: Record<Curve, number> = { ed25519: 0x70, x25519: 0x6e };
const PKCS8_PREFIX = (curve: Curve) =>
  Uint8Array.of(
    0x30,
    0x2e,
    0x02,
    0x01,
    0x00,
    0x30,
    0x05,
    0x06,
    0x03,
    0x2b,
    0x65,
    OID_BYTE[curve],
    0x04,
    0x22,
    0x04,
    0x20,
  );
const SPKI_PREFIX = (curve: Curve) =>
  Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, OID_BYTE[curve], 0x03, 0x21, 0x00);
const SPKI_LENGTH = 44;

const privateCache: Record<Curve, BoundedKeyCache> = {
  ed25519: keyCaches.ed25519Private,
  x25519: keyCaches.x25519Private,
};
const publicCache: Record<Curve, BoundedKeyCache> = {
  ed25519: keyCaches.ed25519Public,
  x25519: keyCaches.x25519Public,
};

function wrap(prefix: Uint8Array, raw: Uint8Array): Buffer {
  const der = Buffer.allocUnsafeSlow(prefix.length + raw.length);
  der.set(prefix, 0);
  der.set(raw, prefix.length);
  return der;
}

/**
 * The cached private `KeyObject` of a raw 32-byte private key (caller checked the length).
 * @throws {CryptoError} `error.crypto.invalidKey` when node rejects the key
 */
export function privateKeyObject(curve: Curve, raw: Uint8Array): KeyObject {
  const id = privateKeyId(raw);
  const cache = privateCache[curve];
  let key = cache.get(id);
  if (key === undefined) {
    const der = wrap(PKCS8_PREFIX(curve), raw);
    try {
      key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch (cause) {
      throw new CryptoError('error.crypto.invalidKey', `not a valid ${curve} private key`, { cause });
    } finally {
      der.fill(0);
    }
    cache.set(id, key);
  }
  return key;
}

/**
 * The cached public `KeyObject` of a raw 32-byte public key (caller checked the length).
 * @throws {CryptoError} `error.crypto.invalidKey` when node rejects the key
 */
export function publicKeyObject(curve: Curve, raw: Uint8Array): KeyObject {
  const id = publicKeyId(raw);
  const cache = publicCache[curve];
  let key = cache.get(id);
  if (key === undefined) {
    try {
      key = createPublicKey({ key: wrap(SPKI_PREFIX(curve), raw), format: 'der', type: 'spki' });
    } catch (cause) {
      throw new CryptoError('error.crypto.invalidKey', `not a valid ${curve} public key`, { cause });
    }
    cache.set(id, key);
  }
  return key;
}

/** The raw 32-byte public key belonging to a private `KeyObject`. */
export function rawPublicKeyOf(privateKey: KeyObject): Uint8Array {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  if (spki.length !== SPKI_LENGTH) {
    throw new CryptoError('error.crypto.invalidKey', 'unexpected public key encoding');
  }
  return ownBytes(spki.subarray(SPKI_LENGTH - 32));
}
