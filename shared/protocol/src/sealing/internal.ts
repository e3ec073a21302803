/**
 * Helpers shared by the sealing files. Not re-exported from `index.ts`.
 */
import { CryptoError, type CryptoErrorCode } from '../crypto/errors.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Throws a `CryptoError` with `code` and `message` unless `condition` holds. */
export function ensure(condition: boolean, code: CryptoErrorCode, message: string): asserts condition {
  if (!condition) throw new CryptoError(code, message);
}

/** True for a safe integer in [min, max]. */
export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** True for a plain object (`{}` or a JSON object), not an array, null or class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** True when `value` is a plain object whose own keys are exactly `keys` (in any order). */
export function hasExactKeys(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => Object.hasOwn(value, key));
}

/**
 * Gives `value` a `toString`, `toJSON` and `util.inspect` form that shows only `visible` (never the
 * secrets the object holds); the secret properties stay normal, readable properties.
 */
export function redacted<T extends object>(label: string, value: T, visible: Record<string, unknown>): T {
  const parts = Object.entries(visible)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  const text = () => `${label}(${[...parts, 'secrets=[redacted]'].join(', ')})`;
  Object.defineProperties(value, {
    toString: { value: text, enumerable: false },
    toJSON: { value: () => ({ ...visible }), enumerable: false },
    [INSPECT]: { value: text, enumerable: false },
  });
  return value;
}
