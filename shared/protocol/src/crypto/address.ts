/**
 * Identity addresses, in Enmeshed's form `did:e:<host>:dids:<hash><checksum>` and with Enmeshed's
 * construction (nmshd/transport `IdentityUtil.createAddress` / `checkAddress`):
 *
 *   hash     = lower-hex( SHA-256( SHA-512( identityPublicKey ) )[0..10] )            20 chars
 *   checksum = lower-hex( SHA-256( UTF-8("did:e:" + host + ":dids:" + hash) )[0..1] )  2 chars
 *
 * so the `<hash><checksum>` part is 22 lower-case hex chars, usable as a NATS subject token.
 * enmesh is stricter than Enmeshed about the host (a lower-case DNS name, no port).
 */
import { CryptoError } from './errors.js';
import { assertKey, nodeView } from './internal.js';
import { sha256, sha512 } from './kdf.js';
import { SIGNING_PUBLIC_KEY_LENGTH } from './signing.js';

/** Every address starts with this. */
export const ADDRESS_PREFIX = 'did:e:';
/** Separates the host from `<hash><checksum>`. */
export const ADDRESS_SEPARATOR = ':dids:';
/** Hex chars of the hash part (10 bytes). */
export const ADDRESS_HASH_LENGTH = 20;
/** Hex chars of the checksum part (1 byte). */
export const ADDRESS_CHECKSUM_LENGTH = 2;
const MAX_HOST_LENGTH = 253;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const TAIL = new RegExp(`^[0-9a-f]{${ADDRESS_HASH_LENGTH + ADDRESS_CHECKSUM_LENGTH}}$`);

/** The parts of a valid address. */
export interface ParsedAddress {
  /** The backbone host, e.g. `enmesh.example`. */
  host: string;
  /** 20 lower-case hex chars derived from the identity public key. */
  hash: string;
  /** 2 lower-case hex chars over prefix, host and hash. */
  checksum: string;
}

/**
 * True when `host` is a lower-case DNS name: 1..253 chars, dot-separated labels of 1..63 chars from
 * `a-z 0-9 -`, not starting or ending with `-`; no port, no trailing dot.
 */
export function isValidHost(host: string): boolean {
  return typeof host === 'string' && host.length <= MAX_HOST_LENGTH && HOST.test(host);
}

function hexPrefix(bytes: Uint8Array, length: number): string {
  return nodeView(bytes).toString('hex', 0, length);
}

function checksumOf(host: string, hash: string): string {
  return hexPrefix(sha256(Buffer.from(`${ADDRESS_PREFIX}${host}${ADDRESS_SEPARATOR}${hash}`, 'utf8')), 1);
}

function hashOf(identityPublicKey: Uint8Array): string {
  return hexPrefix(sha256(sha512(identityPublicKey)), ADDRESS_HASH_LENGTH / 2);
}

/**
 * Derives the address of an identity from its Ed25519 public key and its backbone host.
 * @throws {CryptoError} `error.crypto.invalidKey` when the key is not 32 bytes,
 *   `error.crypto.invalidAddress` when `host` is not a valid host (see `isValidHost`)
 */
export function deriveAddress(identityPublicKey: Uint8Array, host: string): string {
  assertKey(identityPublicKey, SIGNING_PUBLIC_KEY_LENGTH, 'identity public key');
  if (!isValidHost(host)) {
    throw new CryptoError('error.crypto.invalidAddress', 'host is not a lower-case DNS name');
  }
  const hash = hashOf(identityPublicKey);
  return `${ADDRESS_PREFIX}${host}${ADDRESS_SEPARATOR}${hash}${checksumOf(host, hash)}`;
}

/**
 * Splits and checks an address: prefix, host, 22 lower-case hex chars and the checksum.
 * @throws {CryptoError} `error.crypto.invalidAddress` (the message says which part is wrong)
 */
export function parseAddress(address: string): ParsedAddress {
  const fail = (reason: string): never => {
    throw new CryptoError('error.crypto.invalidAddress', `invalid address: ${reason}`);
  };
  if (typeof address !== 'string') return fail('not a string');
  if (!address.startsWith(ADDRESS_PREFIX)) return fail(`does not start with "${ADDRESS_PREFIX}"`);
  const rest = address.slice(ADDRESS_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return fail(`missing "${ADDRESS_SEPARATOR}"`);
  const host = rest.slice(0, colon);
  if (!isValidHost(host)) return fail('host is not a lower-case DNS name');
  if (!rest.startsWith(ADDRESS_SEPARATOR, colon)) return fail(`missing "${ADDRESS_SEPARATOR}"`);
  const tail = rest.slice(colon + ADDRESS_SEPARATOR.length);
  if (!TAIL.test(tail)) return fail('identity part is not 22 lower-case hex chars');
  const hash = tail.slice(0, ADDRESS_HASH_LENGTH);
  const checksum = tail.slice(ADDRESS_HASH_LENGTH);
  if (checksumOf(host, hash) !== checksum) return fail('checksum mismatch');
  return { host, hash, checksum };
}

/** True when `address` is well-formed and its checksum matches (see `parseAddress`). */
export function isValidAddress(address: string): boolean {
  try {
    parseAddress(address);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when `address` is valid and was derived from `identityPublicKey` (any host); `false` for an
 * invalid address or another key.
 * @throws {CryptoError} `error.crypto.invalidKey` when the key is not 32 bytes
 */
export function addressMatchesKey(address: string, identityPublicKey: Uint8Array): boolean {
  assertKey(identityPublicKey, SIGNING_PUBLIC_KEY_LENGTH, 'identity public key');
  let parsed: ParsedAddress;
  try {
    parsed = parseAddress(address);
  } catch {
    return false;
  }
  return parsed.hash === hashOf(identityPublicKey);
}
