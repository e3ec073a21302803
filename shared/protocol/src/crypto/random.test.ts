import { describe, expect, it } from 'vitest';
import { CryptoError } from './errors.js';
import { DEFAULT_ID_LENGTH, ID_ALPHABET, randomBytes, randomId, timeOrderedId } from './random.js';
import { expectCryptoError } from './test-support.js';

describe('randomBytes', () => {
  it('returns the requested number of fresh bytes', () => {
    expect(randomBytes(0)).toEqual(new Uint8Array(0));
    const a = randomBytes(32);
    const b = randomBytes(32);
    expect(a).toHaveLength(32);
    expect(Object.getPrototypeOf(a)).toBe(Uint8Array.prototype);
    expect(a).not.toEqual(b);
    expect(randomBytes(100_000)).toHaveLength(100_000);
  });

  it('never hands out the same pooled bytes twice, across many refills of the pool', () => {
    // 20,000 draws of 32 bytes cross the 8 KiB pool about eighty times; a byte reused or a refill skipped
    // would repeat a value, which for 256-bit values never happens by chance.
    const seen = new Set<string>();
    let zeroBytes = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = randomBytes(32);
      zeroBytes += bytes.filter((byte) => byte === 0).length;
      seen.add(Buffer.from(bytes).toString('hex'));
    }
    expect(seen.size).toBe(20_000);
    // Wiped pool bytes handed out again would show as runs of zeros: the count stays near 1/256 of the bytes.
    expect(zeroBytes).toBeLessThan((20_000 * 32) / 128);
    // Sizes around the pool's threshold are fresh too.
    expect(randomBytes(256)).not.toEqual(randomBytes(256));
    expect(randomBytes(257)).not.toEqual(randomBytes(257));
  });

  it('rejects lengths that are not non-negative integers', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '3' as unknown as number]) {
      expectCryptoError(() => randomBytes(bad), 'error.crypto.invalidArgument');
    }
  });
});

describe('randomId', () => {
  it('is the prefix followed by 20 base62 characters by default', () => {
    const id = randomId('CHL');
    expect(DEFAULT_ID_LENGTH).toBe(20);
    expect(id).toMatch(/^CHL[0-9A-Za-z]{20}$/);
    expect(randomId('')).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(randomId('MSG', 5)).toMatch(/^MSG[0-9A-Za-z]{5}$/);
    expect(randomId('X', 1024)).toHaveLength(1025);
  });

  it('draws 10,000 distinct ids of the right shape', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = randomId('REL');
      expect(id).toHaveLength(23);
      ids.add(id);
    }
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(id.slice(3)).toMatch(/^[0-9A-Za-z]+$/);
  });

  it('uses all 62 characters uniformly (chi-square over 200,000 characters)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      for (const char of randomId('')) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(ID_ALPHABET).toHaveLength(62);
    expect(counts.size).toBe(62);
    const expected = 200_000 / 62;
    let chiSquare = 0;
    for (const char of ID_ALPHABET) chiSquare += ((counts.get(char) ?? 0) - expected) ** 2 / expected;
    // 61 degrees of freedom: mean 61; P(chi2 > 140) is about 1e-8. A modulo bias (no rejection)
    // would put the first 8 characters 25% above the rest: chi2 in the thousands.
    expect(chiSquare).toBeLessThan(140);
  });

  it('rejects bad arguments', () => {
    expectCryptoError(() => randomId(3 as unknown as string), 'error.crypto.invalidArgument');
    for (const bad of [0, -1, 2.5, 1025])
      expectCryptoError(() => randomId('A', bad), 'error.crypto.invalidArgument');
  });
});

describe('timeOrderedId', () => {
  it('puts the time first, so that later ids sort after earlier ones, and draws the rest at random', () => {
    const at = Date.UTC(2026, 10, 26, 12, 0, 0);
    const id = timeOrderedId('MSG', 20, at);
    expect(id).toMatch(/^MSG[0-9A-Z]{8}[0-9A-Za-z]{12}$/);
    expect(id.slice(3, 11)).toBe(at.toString(36).toUpperCase().padStart(8, '0'));
    const times = [0, 1, 35, 36, at - 1, at, at + 1, 36 ** 8 - 1];
    const ids = times.map((time) => timeOrderedId('MSG', 20, time));
    // Byte order and a case-insensitive order both follow time.
    expect([...ids].sort()).toEqual(ids);
    expect([...ids].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase()))).toEqual(ids);
    const same = new Set(Array.from({ length: 10_000 }, () => timeOrderedId('MSG', 20, at)));
    expect(same.size).toBe(10_000);
  });

  it('refuses a length without room for randomness, and a time outside the id range', () => {
    for (const length of [8, 0, 1025, 1.5]) {
      expect(() => timeOrderedId('MSG', length)).toThrow(CryptoError);
    }
    for (const now of [-1, 36 ** 8, Number.NaN, 1.5]) {
      expect(() => timeOrderedId('MSG', 20, now)).toThrow(CryptoError);
    }
  });
});
