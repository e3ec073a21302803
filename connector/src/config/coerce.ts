import { z } from 'zod';

/*
 * Environment variables are strings. These wrappers turn a string into the type the setting expects and
 * leave every other value alone, so a wrong value still fails validation with its path. Only settings that
 * expect a list or an object accept JSON text, never every variable.
 */

const integerText = /^-?\d+$/;

/** An integer setting from `min` to `max`; accepts its decimal text from the environment. */
export function int(min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && integerText.test(value.trim()) ? Number(value) : value),
    z.number().int().min(min).max(max),
  );
}

/** A boolean setting; accepts `true`/`false`/`1`/`0` from the environment. */
export function bool() {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    return value;
  }, z.boolean());
}

/**
 * A list setting of at most `max` items: an array, a JSON array text, a comma-separated text, or an object
 * with index keys (`…__scopes__0=…`, `…__scopes__1=…` in the environment).
 */
export function list<T extends z.ZodType>(item: T, max: number) {
  return z.preprocess((value) => {
    if (typeof value === 'string') {
      const text = value.trim();
      if (text.startsWith('[')) return parseJson(text);
      return text === '' ? [] : text.split(',').map((part) => part.trim());
    }
    if (isIndexObject(value)) {
      return Object.entries(value)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([, v]) => v);
    }
    return value;
  }, z.array(item).max(max));
}

/** An object setting; also accepts JSON object text, for sections set in one environment variable. */
export function jsonObject<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim().startsWith('{') ? parseJson(value) : value),
    schema,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isIndexObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => /^\d+$/.test(key));
}
