/**
 * Evaluates IQL expressions against a list of attributes, with Enmeshed's semantics:
 *
 * - `Type` matches attributes whose value has that `@type`;
 * - `Type=x` compares the value's `value`, `Type.a.b=x` the field `value.a.b` (of values of that type only);
 * - `a.b=x` compares the field `a.b` of the attribute itself; `#tag` matches attributes carrying the tag;
 * - `=` compares as text, `>` / `<` as dates (not before / not after), `~` tests array membership, `?` tests
 *   that the field is set (non-empty for arrays and objects);
 * - `!` is the complement within the given list, `&&` the intersection, `||` the union.
 */
import type { IqlExpression, IqlPredicate } from './iql-parser.js';
import { parseIql } from './iql-parser.js';

/** What the evaluator reads of an attribute: its value (with `@type`), its tags and any other field. */
export type IqlAttribute = { readonly value: { readonly '@type': string } } & Readonly<
  Record<string, unknown>
>;

function resolve(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function holds(predicate: IqlPredicate, field: unknown): boolean {
  if (field === undefined || field === null) return false;
  switch (predicate.op) {
    case '=':
      return String(field) === predicate.value;
    case '>':
      return dateOf(field) >= dateOf(predicate.value);
    case '<':
      return dateOf(field) <= dateOf(predicate.value);
    case '~':
      return Array.isArray(field) && field.includes(predicate.value);
    case '?':
      if (Array.isArray(field)) return field.length > 0;
      if (typeof field === 'object') return Object.keys(field).length > 0;
      return true;
  }
}

/** Milliseconds since the epoch, NaN for anything that is not a date (so every comparison is false). */
function dateOf(value: unknown): number {
  return typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : Number.NaN;
}

function matches(expression: IqlExpression, attribute: IqlAttribute): boolean {
  switch (expression.kind) {
    case 'or':
      return expression.operands.some((operand) => matches(operand, attribute));
    case 'and':
      return expression.operands.every((operand) => matches(operand, attribute));
    case 'not':
      return !matches(expression.operand, attribute);
    case 'valueType':
      if (attribute.value['@type'] !== expression.valueType) return false;
      return (
        expression.predicate === undefined ||
        holds(expression.predicate, resolve(attribute.value, expression.path))
      );
    case 'field':
      return holds(expression.predicate, resolve(attribute, expression.path));
    case 'tag': {
      const tags = attribute.tags;
      return Array.isArray(tags) && tags.includes(expression.tag);
    }
  }
}

/**
 * Returns the attributes the query selects, in their original order.
 * @throws {ContentError} `error.content.iqlSyntax` when `query` is a string that is not valid IQL
 */
export function evaluateIql<A extends IqlAttribute>(
  query: string | IqlExpression,
  attributes: readonly A[],
): A[] {
  const expression = typeof query === 'string' ? parseIql(query) : query;
  return attributes.filter((attribute) => matches(expression, attribute));
}
