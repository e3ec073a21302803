import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows the burst, then the refill rate, per key', () => {
    let now = 0;
    const limiter = new RateLimiter({
      perKeyRate: 2,
      perKeyBurst: 3,
      globalRate: 100,
      globalBurst: 100,
      clock: () => now,
    });
    expect([1, 2, 3, 4].map(() => limiter.tryTake('a'))).toEqual([true, true, true, false]);
    expect(limiter.tryTake('b')).toBe(true);
    now += 500;
    expect([limiter.tryTake('a'), limiter.tryTake('a')]).toEqual([true, false]);
  });

  it('caps all keys together with the global bucket', () => {
    const limiter = new RateLimiter({
      perKeyRate: 10,
      perKeyBurst: 10,
      globalRate: 1,
      globalBurst: 2,
      clock: () => 0,
    });
    expect([limiter.tryTake('a'), limiter.tryTake('b'), limiter.tryTake('c')]).toEqual([true, true, false]);
  });

  it('stays bounded in memory under many distinct keys', () => {
    const limiter = new RateLimiter({
      perKeyRate: 1,
      perKeyBurst: 1,
      globalRate: 1e9,
      globalBurst: 1e9,
      clock: () => 0,
      maxKeys: 100,
    });
    for (let i = 0; i < 10_000; i++) limiter.tryTake(`host-${i}`);
    // A key seen long ago is forgotten and gets a fresh bucket, so this passes only if eviction ran.
    expect(limiter.tryTake('host-0')).toBe(true);
  });
});
