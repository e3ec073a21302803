import { z } from 'zod';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';

/** The kinds of query filter of the Enmeshed Connector API (`IdFilter`, `TextFilter`, `DateFilter`, …). */
export type FilterKind = 'id' | 'text' | 'date' | 'number' | 'boolean' | 'partialBoolean' | 'existence';

/** One filterable query parameter: its kind and, when it is not the property path itself, how to read it. */
export type FilterSpec = FilterKind | { readonly kind: FilterKind; readonly read: (item: never) => unknown };

/** The filterable parameters of a list route, by name (`createdAt`, `content.@type`, …). */
export type FilterSpecs = Readonly<Record<string, FilterSpec>>;

const help: Record<FilterKind, string> = {
  id: 'IdFilter: `x` equal, `!x` not equal, empty exists, `!` does not exist; repeat for in / not in.',
  text: 'TextFilter: `x`, `!x`, `^x` starts with, `$x` ends with, `~regex`, empty exists, `!` does not exist; repeat for in / not in.',
  date: 'DateFilter (ISO text): `x`, `!x`, `>x`, `<x`, `>=x`, `<=x`, `~regex`, empty exists, `!` does not exist.',
  number: 'NumberFilter: `5`, `!5`, `>5`, `<5`, `>=5`, `<=5`, empty exists, `!` does not exist.',
  boolean: 'BooleanFilter: `true`, `!true`.',
  partialBoolean: 'PartialBooleanFilter: `true`, or `!` for not true.',
  existence: 'ExistenceFilter: empty exists, `!` does not exist.',
};

const maxValue = 500;
const maxRegex = 200;

/**
 * The query schema of a list route: each filter an optional text (documented with its operators); other
 * parameters are refused with 400, so a filter the connector does not support never silently matches all.
 */
export function filterQuery(specs: FilterSpecs) {
  const shape: Record<string, z.ZodOptional<z.ZodString>> = {};
  for (const [name, spec] of Object.entries(specs)) {
    shape[name] = z
      .string()
      .max(maxValue)
      .describe(help[typeof spec === 'string' ? spec : spec.kind])
      .optional();
  }
  return z.strictObject(shape);
}

type Test = (value: unknown) => boolean;

const bad = (name: string, message: string) =>
  new ConnectorError(ConnectorErrorCodes.invalidPropertyValue, `Invalid request: query.${name}: ${message}`);

/**
 * Filters a list by the query as the Enmeshed Connector does: values of one parameter combine as "in" (any
 * of the positive ones) and "not in" (none of the negated ones); parameters combine with "and". A property
 * that holds a list (`recipients.address`, `tags`) matches when any of its values does.
 * @throws ConnectorError `error.connector.validation.invalidPropertyValue` for a malformed filter value.
 */
export function applyFilters<T>(
  items: readonly T[],
  queries: Readonly<Record<string, readonly string[]>>,
  specs: FilterSpecs,
): T[] {
  const conditions: ((item: T) => boolean)[] = [];
  for (const [name, values] of Object.entries(queries)) {
    const spec = specs[name];
    if (spec === undefined) throw bad(name, 'is not a filter of this route');
    const kind = typeof spec === 'string' ? spec : spec.kind;
    const read =
      typeof spec === 'string'
        ? (item: T) => valuesAt(item, name)
        : (item: T) => flat(spec.read(item as never));
    const positive: Test[] = [];
    const negative: Test[] = [];
    for (const raw of values) {
      if (raw.length > maxValue) throw bad(name, `at most ${maxValue} characters`);
      if (raw === '') positive.push(exists);
      else if (raw === '!' && kind === 'partialBoolean') negative.push((value) => value === true);
      else if (raw === '!') negative.push(exists);
      else if (raw.startsWith('!')) negative.push(operation(kind, raw.slice(1), name));
      else positive.push(operation(kind, raw, name));
    }
    conditions.push((item) => {
      const found = read(item);
      const any = (test: Test) => (test === exists ? found.length > 0 : found.some(test));
      return (positive.length === 0 || positive.some(any)) && !negative.some(any);
    });
  }
  return items.filter((item) => conditions.every((condition) => condition(item)));
}

const exists: Test = () => true;

function operation(kind: FilterKind, raw: string, name: string): Test {
  switch (kind) {
    case 'boolean':
    case 'partialBoolean':
      if (raw !== 'true' && raw !== 'false') throw bad(name, 'must be true, !true or !');
      return (value) => value === (raw === 'true');
    case 'existence':
      throw bad(name, 'must be empty (exists) or ! (does not exist)');
    case 'number':
      return compare(raw, (text) => {
        const number = Number(text);
        if (text.trim() === '' || !Number.isFinite(number)) throw bad(name, 'must be a number');
        return number;
      });
    case 'date':
      if (raw.startsWith('~')) return regex(raw.slice(1), name);
      return compare(raw, (text) => text);
    case 'text':
      if (raw.startsWith('^')) return (value) => typeof value === 'string' && value.startsWith(raw.slice(1));
      if (raw.startsWith('$')) return (value) => typeof value === 'string' && value.endsWith(raw.slice(1));
      if (raw.startsWith('~')) return regex(raw.slice(1), name);
      return (value) => String(value) === raw;
    default:
      return (value) => String(value) === raw;
  }
}

function compare(raw: string, parse: (text: string) => string | number): Test {
  const match = /^(>=|<=|>|<)?(.*)$/s.exec(raw);
  const operator = match?.[1];
  const bound = parse(match?.[2] ?? '');
  return (value) => {
    if (value === undefined || value === null) return false;
    const actual = typeof bound === 'number' ? Number(value) : String(value);
    switch (operator) {
      case '>=':
        return actual >= bound;
      case '<=':
        return actual <= bound;
      case '>':
        return actual > bound;
      case '<':
        return actual < bound;
      default:
        return actual === bound;
    }
  };
}

function regex(source: string, name: string): Test {
  if (source.length > maxRegex) throw bad(name, `a pattern has at most ${maxRegex} characters`);
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch {
    throw bad(name, 'is not a valid regular expression');
  }
  return (value) => typeof value === 'string' && pattern.test(value);
}

/** The values at a dotted path (`content.@type`, `recipients.address`), lists flattened; never undefined. */
function valuesAt(item: unknown, path: string): unknown[] {
  let current: unknown[] = [item];
  for (const key of path.split('.')) {
    current = flat(
      current.map((value) =>
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined,
      ),
    );
  }
  return current;
}

function flat(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(flat);
  return value === undefined || value === null ? [] : [value];
}

/** A boolean query parameter that is not a filter (`onlyLatestVersions`, `hideTechnical`): `true` or `false`. */
export const booleanParam = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .optional();

/** The query's filter values, without the named parameters that are options rather than filters. */
export function filtersOf(
  queries: Readonly<Record<string, readonly string[]>>,
  options: readonly string[],
): Record<string, readonly string[]> {
  return Object.fromEntries(Object.entries(queries).filter(([name]) => !options.includes(name)));
}
