/**
 * enmesh cryptography: the public surface of `shared/protocol/src/crypto`. See docs/protocol.md,
 * section "Cryptography", for every construction byte by byte.
 */
export {
  ADDRESS_CHECKSUM_LENGTH,
  ADDRESS_HASH_LENGTH,
  ADDRESS_PREFIX,
  ADDRESS_SEPARATOR,
  addressMatchesKey,
  deriveAddress,
  isValidAddress,
  isValidHost,
  type ParsedAddress,
  parseAddress,
} from './address.js';
export {
  AEAD_KEY_LENGTH,
  AEAD_NONCE_LENGTH,
  AEAD_OVERHEAD,
  AEAD_TAG_LENGTH,
  open,
  seal,
  sealWithNonce,
} from './aead.js';
export {
  concatBytes,
  constantTimeEqual,
  fromBase64Url,
  fromHex,
  fromUtf8,
  toBase64Url,
  toHex,
  utf8,
} from './encoding.js';
export { CRYPTO_ERROR_CODES, CryptoError, type CryptoErrorCode } from './errors.js';
export {
  EXCHANGE_PRIVATE_KEY_LENGTH,
  EXCHANGE_PUBLIC_KEY_LENGTH,
  type ExchangeKeyPair,
  exchangeKeyPairFromPrivate,
  generateExchangeKeyPair,
  SHARED_SECRET_LENGTH,
  sharedSecret,
} from './exchange.js';
export { HKDF_MAX_LENGTH, hkdf, hmacSha256, sha256, sha512 } from './kdf.js';
export { clearKeyCaches } from './key-cache.js';
export { DEFAULT_ID_LENGTH, ID_ALPHABET, randomBytes, randomId, timeOrderedId } from './random.js';
export {
  generateSigningKeyPair,
  SIGNATURE_LENGTH,
  SIGNING_PRIVATE_KEY_LENGTH,
  SIGNING_PUBLIC_KEY_LENGTH,
  type SigningKeyPair,
  sign,
  signingKeyPairFromSeed,
  verify,
} from './signing.js';
