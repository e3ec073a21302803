/**
 * Bounded caches of imported node `KeyObject`s.
 *
 * Importing a raw key into node:crypto costs more than the operation itself (measured on node 20:
 * Ed25519 verify 8k/s with a fresh import vs 17k/s with a cached KeyObject; sign 3k/s vs 47k/s), so
 * every raw key is imported once and kept. Caches are LRU (a hit moves the entry to the back of the
 * Map's insertion order; an insert beyond capacity evicts the front).
 *
 * Public keys are keyed by their base64url form. Private keys are keyed by HMAC-SHA256 under a
 * per-process random key, so the cache's keys reveal nothing about the secrets; the KeyObjects
 * themselves live in native memory. `clearKeyCaches()` drops everything (e.g. after logout).
 */
import { createHmac, type KeyObject, randomFillSync } from 'node:crypto';
import { nodeView } from './internal.js';

/** Capacity of each public-key cache. */
export const PUBLIC_KEY_CACHE_CAPACITY = 10_000;
/** Capacity of each private-key cache. */
export const PRIVATE_KEY_CACHE_CAPACITY = 1_024;

/** A Map with a capacity and least-recently-used eviction. */
export class BoundedKeyCache {
  readonly #entries = new Map<string, KeyObject>();
  readonly capacity: number;

  /** @param capacity maximum number of entries, at least 1 */
  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('capacity must be >= 1');
    this.capacity = capacity;
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The entry for `id`, marking it most recently used; `undefined` when absent. */
  get(id: string): KeyObject | undefined {
    const key = this.#entries.get(id);
    if (key !== undefined) {
      this.#entries.delete(id);
      this.#entries.set(id, key);
    }
    return key;
  }

  /** Stores `key` under `id`, evicting the least recently used entry when full. */
  set(id: string, key: KeyObject): void {
    this.#entries.delete(id);
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(id, key);
  }

  /** True when `id` is present (does not touch recency). */
  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** Removes every entry. */
  clear(): void {
    this.#entries.clear();
  }

  /** Never prints the keys. */
  toString(): string {
    return `BoundedKeyCache(${this.#entries.size}/${this.capacity})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** The four caches: Ed25519 and X25519, public and private. */
export const keyCaches = {
  ed25519Public: new BoundedKeyCache(PUBLIC_KEY_CACHE_CAPACITY),
  ed25519Private: new BoundedKeyCache(PRIVATE_KEY_CACHE_CAPACITY),
  x25519Public: new BoundedKeyCache(PUBLIC_KEY_CACHE_CAPACITY),
  x25519Private: new BoundedKeyCache(PRIVATE_KEY_CACHE_CAPACITY),
} as const;

const privateIdKey = randomFillSync(new Uint8Array(32));

/** Cache id of a raw public key: its base64url. */
export function publicKeyId(raw: Uint8Array): string {
  return nodeView(raw).toString('base64url');
}

/** Cache id of a raw private key: HMAC-SHA256(per-process random key, raw), base64url. */
export function privateKeyId(raw: Uint8Array): string {
  return createHmac('sha256', privateIdKey).update(raw).digest('base64url');
}

/**
 * Drops every cached KeyObject (public and private). Later operations re-import keys as needed.
 */
export function clearKeyCaches(): void {
  for (const cache of Object.values(keyCaches)) cache.clear();
}
