import { z } from 'zod';
import type { FieldKind } from './fields.js';
import {
  type RenderHints,
  RenderHintsEditType,
  RenderHintsTechnicalType,
  renderHints,
  type ValueHints,
  valueHints,
} from './hints.js';

/** An attribute value type: its schema and the hints Enmeshed publishes for it. */
export interface ValueTypeDefinition<S extends z.ZodType = z.ZodType> {
  schema: S;
  valueHints: ValueHints;
  renderHints: RenderHints;
}

/**
 * A value type whose JSON is `{"@type": name, "value": …}` (GivenName, PhoneNumber, …), with the hints of
 * its field kind.
 */
export function simpleValueType<const N extends string, S extends z.ZodType>(name: N, field: FieldKind<S>) {
  return {
    schema: z.strictObject({ '@type': z.literal(name), value: field.schema }),
    valueHints: field.valueHints,
    renderHints: field.renderHints,
  };
}

/**
 * The hints of a complex value (StreetAddress, BirthDate, …): an object rendered as a whole, whose
 * `propertyHints` carry the hints of each field.
 */
export function complexHints(fields: Readonly<Record<string, FieldKind>>): {
  valueHints: ValueHints;
  renderHints: RenderHints;
} {
  const entries = Object.entries(fields);
  return {
    valueHints: valueHints({ propertyHints: Object.fromEntries(entries.map(([k, f]) => [k, f.valueHints])) }),
    renderHints: renderHints(RenderHintsEditType.Complex, RenderHintsTechnicalType.Object, {
      propertyHints: Object.fromEntries(entries.map(([k, f]) => [k, f.renderHints])),
    }),
  };
}
