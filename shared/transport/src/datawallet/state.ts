import { isStamp } from './clock.js';

/** One change of local state, as devices exchange them. */
export type Modification =
  | {
      readonly collection: string;
      readonly id: string;
      readonly type: 'set';
      /** The fields this change sets; others keep their values. */
      readonly fields: Readonly<Record<string, unknown>>;
      readonly at: string;
    }
  | { readonly collection: string; readonly id: string; readonly type: 'delete'; readonly at: string };

interface FieldValue {
  value: unknown;
  at: string;
}

interface ObjectRecord {
  fields: Map<string, FieldValue>;
  /** The latest delete of the object; fields set before it are gone. */
  deletedAt?: string;
}

/** Names of collections and fields, and object ids: short and plain, so they cannot smuggle structure. */
const NAME = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The datawallet: a device's synchronised local state, as collections of objects with fields.
 *
 * The rule for concurrent edits (docs/protocol.md › Datawallet): every field is a last-writer-wins register
 * ordered by hybrid-clock stamps; a delete hides every field set before it, and a field set after a delete
 * brings the object back with only the fields set since. Applying a modification is commutative, associative
 * and idempotent, so devices that applied the same modifications hold the same state, in whatever order and
 * however often each arrived.
 */
export class DatawalletState {
  readonly #collections = new Map<string, Map<string, ObjectRecord>>();

  /** Applies one modification (its own or another device's); returns false for a malformed one. */
  apply(modification: Modification): boolean {
    if (!isModification(modification)) return false;
    let objects = this.#collections.get(modification.collection);
    if (!objects) {
      objects = new Map();
      this.#collections.set(modification.collection, objects);
    }
    let record = objects.get(modification.id);
    if (!record) {
      record = { fields: new Map() };
      objects.set(modification.id, record);
    }
    if (modification.type === 'delete') {
      if (record.deletedAt === undefined || modification.at > record.deletedAt) {
        record.deletedAt = modification.at;
      }
      return true;
    }
    for (const [name, value] of Object.entries(modification.fields)) {
      const current = record.fields.get(name);
      if (!current || modification.at > current.at) record.fields.set(name, { value, at: modification.at });
    }
    return true;
  }

  /** The visible fields of an object, or undefined when it does not exist or was deleted. */
  get(collection: string, id: string): Record<string, unknown> | undefined {
    const record = this.#collections.get(collection)?.get(id);
    return record ? visible(record) : undefined;
  }

  /** Every visible object of a collection, by id in ascending order. */
  list(collection: string): { id: string; fields: Record<string, unknown> }[] {
    const objects = this.#collections.get(collection);
    if (!objects) return [];
    const result: { id: string; fields: Record<string, unknown> }[] = [];
    for (const id of [...objects.keys()].sort()) {
      const fields = visible(objects.get(id)!);
      if (fields) result.push({ id, fields });
    }
    return result;
  }

  /**
   * The whole state as modifications (one set per field stamp, one delete per tombstone): applied to an
   * empty state they rebuild it exactly. Used for snapshots and to compare devices.
   */
  toModifications(): Modification[] {
    const result: Modification[] = [];
    for (const collection of [...this.#collections.keys()].sort()) {
      const objects = this.#collections.get(collection)!;
      for (const id of [...objects.keys()].sort()) {
        const record = objects.get(id)!;
        if (record.deletedAt !== undefined)
          result.push({ collection, id, type: 'delete', at: record.deletedAt });
        for (const name of [...record.fields.keys()].sort()) {
          const field = record.fields.get(name)!;
          result.push({ collection, id, type: 'set', fields: { [name]: field.value }, at: field.at });
        }
      }
    }
    return result;
  }
}

/** The visible fields, by name in ascending order (the same on every device). */
function visible(record: ObjectRecord): Record<string, unknown> | undefined {
  const fields: Record<string, unknown> = {};
  let any = false;
  for (const name of [...record.fields.keys()].sort()) {
    const field = record.fields.get(name)!;
    if (record.deletedAt !== undefined && field.at <= record.deletedAt) continue;
    fields[name] = field.value;
    any = true;
  }
  return any ? fields : undefined;
}

/** Checks the shape of a modification that came from the wire (after it was opened and authenticated). */
export function isModification(value: unknown): value is Modification {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (typeof m.collection !== 'string' || !NAME.test(m.collection)) return false;
  if (typeof m.id !== 'string' || !NAME.test(m.id) || !isStamp(m.at)) return false;
  if (m.type === 'delete') return true;
  if (m.type !== 'set' || typeof m.fields !== 'object' || m.fields === null || Array.isArray(m.fields)) {
    return false;
  }
  return Object.keys(m.fields).every((name) => NAME.test(name));
}
