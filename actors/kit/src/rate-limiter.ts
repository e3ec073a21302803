/** A clock in milliseconds; passed in so that tests control time. */
export type Clock = () => number;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token-bucket rate limits per key plus one global bucket. Keys idle long enough to be full again are
 * forgotten, so memory stays bounded by the number of keys active within one refill period (and a hard cap).
 */
export class RateLimiter {
  readonly #perKeyRate: number;
  readonly #perKeyBurst: number;
  readonly #global: Bucket;
  readonly #globalRate: number;
  readonly #globalBurst: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #clock: Clock;
  readonly #maxKeys: number;

  /** Creates a limiter; rates are per second. */
  constructor(options: {
    perKeyRate: number;
    perKeyBurst: number;
    globalRate: number;
    globalBurst: number;
    clock?: Clock;
    maxKeys?: number;
  }) {
    this.#perKeyRate = options.perKeyRate;
    this.#perKeyBurst = options.perKeyBurst;
    this.#globalRate = options.globalRate;
    this.#globalBurst = options.globalBurst;
    this.#clock = options.clock ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#global = { tokens: options.globalBurst, updatedAt: this.#clock() };
  }

  /** Takes one token for `key`; returns false (and takes nothing) when the key or the whole is over its rate. */
  tryTake(key: string): boolean {
    const now = this.#clock();
    refill(this.#global, now, this.#globalRate, this.#globalBurst);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) this.#evictFull(now);
      bucket = { tokens: this.#perKeyBurst, updatedAt: now };
      this.#buckets.set(key, bucket);
    }
    refill(bucket, now, this.#perKeyRate, this.#perKeyBurst);
    if (bucket.tokens < 1 || this.#global.tokens < 1) return false;
    bucket.tokens -= 1;
    this.#global.tokens -= 1;
    return true;
  }

  #evictFull(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      refill(bucket, now, this.#perKeyRate, this.#perKeyBurst);
      if (bucket.tokens >= this.#perKeyBurst) this.#buckets.delete(key);
    }
    // Still full of busy keys: drop the oldest half rather than grow without bound.
    if (this.#buckets.size >= this.#maxKeys) {
      let drop = Math.floor(this.#buckets.size / 2);
      for (const key of this.#buckets.keys()) {
        if (drop-- <= 0) break;
        this.#buckets.delete(key);
      }
    }
  }
}

function refill(bucket: Bucket, now: number, rate: number, burst: number): void {
  const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
  bucket.tokens = Math.min(burst, bucket.tokens + elapsed * rate);
  bucket.updatedAt = now;
}
