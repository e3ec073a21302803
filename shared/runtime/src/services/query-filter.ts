/**
 * The Connector's query filters over JSON objects: each key is a dotted path (arrays are looked into, so
 * `content.items.@type` names the type of any item), each value a filter text or a list of them:
 * `bar` equal, `!bar` not equal, `` present, `!` absent, `^bar` starts with, `$bar` ends with, `~re`
 * matches, `>x` `<x` `>=x` `<=x` compare (dates as ISO text, numbers as numbers); a list matches when any
 * of its positive filters matches and none of its negated ones does.
 */
import { z } from 'zod';
import { validationError } from '../errors.js';

/** A query: paths to filter texts (or lists of them). */
export type Query = Readonly<Record<string, string | readonly string[]>>;

/** The zod schema of a query with the given keys. */
export function querySchema(keys: readonly string[]) {
  const filter = z.union([z.string().max(500), z.array(z.string().max(500)).min(1).max(50)]);
  return z.strictObject(Object.fromEntries(keys.map((key) => [key, filter.optional()])));
}

/** The values at a dotted path (looking into arrays), as text; absent values are left out. */
function valuesAt(value: unknown, path: readonly string[]): string[] {
  if (Array.isArray(value)) return value.flatMap((element) => valuesAt(element, path));
  if (path.length === 0) {
    if (value === undefined || value === null) return [];
    return [typeof value === 'object' ? JSON.stringify(value) : String(value)];
  }
  if (typeof value !== 'object' || value === null) return [];
  const [head, ...rest] = path;
  return valuesAt((value as Record<string, unknown>)[head!], rest);
}

function compare(actual: string, expected: string): number {
  const a = Number(actual);
  const b = Number(expected);
  if (actual !== '' && expected !== '' && !Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}

/** Tells whether one positive filter text matches one of the values. */
function matchesOne(values: readonly string[], filter: string): boolean {
  if (filter === '') return values.length > 0;
  for (const [prefix, test] of [
    ['>=', (v: string, x: string) => compare(v, x) >= 0],
    ['<=', (v: string, x: string) => compare(v, x) <= 0],
    ['>', (v: string, x: string) => compare(v, x) > 0],
    ['<', (v: string, x: string) => compare(v, x) < 0],
    ['^', (v: string, x: string) => v.startsWith(x)],
    ['$', (v: string, x: string) => v.endsWith(x)],
    ['~', (v: string, x: string) => new RegExp(x).test(v)],
  ] as const) {
    if (filter.startsWith(prefix)) return values.some((value) => test(value, filter.slice(prefix.length)));
  }
  return values.includes(filter);
}

/** Tells whether an object passes every filter of a query. */
export function matchesQuery(object: unknown, query: Query): boolean {
  return Object.entries(query).every(([path, given]) => {
    const filters = typeof given === 'string' ? [given] : given;
    const values = valuesAt(object, path.split('.'));
    const negated = filters.filter((filter) => filter.startsWith('!')).map((filter) => filter.slice(1));
    const positive = filters.filter((filter) => !filter.startsWith('!'));
    if (negated.some((filter) => matchesOne(values, filter))) return false;
    return positive.length === 0 || positive.some((filter) => matchesOne(values, filter));
  });
}

/**
 * Checks the regular expressions of a query once, so a bad one is an input fault rather than a crash.
 * @throws RuntimeError `error.runtime.validation`.
 */
export function checkQuery(query: Query, field = 'query'): void {
  for (const [path, given] of Object.entries(query)) {
    for (const filter of typeof given === 'string' ? [given] : given) {
      const text = filter.replace(/^!/, '');
      if (!text.startsWith('~')) continue;
      try {
        new RegExp(text.slice(1));
      } catch {
        throw validationError([{ path: `$.${field}.${path}`, message: 'is not a valid regular expression' }]);
      }
    }
  }
}
