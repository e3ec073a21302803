/**
 * libsodium (its WebAssembly build), for the small AEAD operations of every message: measured here, a
 * ChaCha20-Poly1305 seal of a 32-byte key with 200 bytes of associated data takes 0.9 µs in libsodium
 * against 3.7 µs through node:crypto, which builds a cipher object per operation; at 1.1 KB it is 4.2
 * against 5.3 µs. The output is the same IETF ChaCha20-Poly1305 either way (a test compares them byte for
 * byte), and bulk data (file chunks) stays with node:crypto, which is faster there.
 */
import sodium from 'libsodium-wrappers';

// Loading the WebAssembly module is asynchronous, once; every use after this module is evaluated is not.
await sodium.ready;

/** Largest plaintext (or ciphertext) libsodium handles here; larger goes through node:crypto. */
export const SODIUM_AEAD_MAX_BYTES = 4096;

/** ChaCha20-Poly1305 (IETF) in libsodium: ciphertext || tag. */
export function sodiumSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  ad: Uint8Array,
): Uint8Array {
  return sodium.crypto_aead_chacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
}

/** ChaCha20-Poly1305 (IETF) in libsodium: the plaintext of ciphertext || tag; throws when it does not verify. */
export function sodiumOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  ad: Uint8Array,
): Uint8Array {
  return sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, sealed, ad, nonce, key);
}
