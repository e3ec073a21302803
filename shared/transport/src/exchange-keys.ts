import { type ExchangeKeyPair, exchangeKeyPairFromPrivate, hkdf } from '@enmesh/protocol';

/** What an exchange key is for; part of the derivation, so the two kinds never coincide. */
export type ExchangePurpose = 'template' | 'relationship-request';

/**
 * Derives an X25519 exchange key pair from the identity key and a public random nonce. Every device of an
 * identity holds the identity key, so every device can re-derive the exchange key of any template or request
 * the identity made from the nonce that travels with it, and so derive the relationship keys, without the
 * devices having to synchronise secrets. The price: whoever steals the identity key can derive them too; the
 * epoch ratchet (relationship key rotation) limits what old traffic such a thief can open only when devices
 * delete old epoch keys, which the device-sync work will add.
 */
export function deriveExchangeKeyPair(
  identityPrivateKey: Uint8Array,
  purpose: ExchangePurpose,
  nonce: Uint8Array,
): ExchangeKeyPair {
  return exchangeKeyPairFromPrivate(hkdf(identityPrivateKey, nonce, `enmesh/exchange/${purpose}/v1`, 32));
}

/**
 * The key an identity's devices share for what only they read (the copies of sent messages): derived from
 * the identity key, which every device of the identity holds.
 */
export function deriveSelfKey(identityPrivateKey: Uint8Array): Uint8Array {
  // Derived once per identity key object: it is needed for every sent message.
  let key = selfKeys.get(identityPrivateKey);
  if (!key) {
    key = hkdf(identityPrivateKey, new Uint8Array(0), 'enmesh/self/v1', 32);
    selfKeys.set(identityPrivateKey, key);
  }
  return key;
}

const selfKeys = new WeakMap<Uint8Array, Uint8Array>();
