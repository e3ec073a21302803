/** The zod pieces the use cases' inputs are built from. */
import { addressSchema, dateTimeSchema, prefixedIdSchema } from '@enmesh/content';
import { z } from 'zod';

export { addressSchema };

/** An id with a three-letter prefix (`REL…`, `RLT…`, `TOK…`, `MSG…`, `FIL…`). */
export const idOf = prefixedIdSchema;

/** An expiry: an ISO timestamp in the future (the backbone checks its upper bound). */
export const expiresAtSchema = dateTimeSchema.refine(
  (value) => Date.parse(value) > Date.now(),
  'must be in the future',
);

/** Password protection of a token or template: a password, or a PIN of 4..16 digits. */
export const passwordProtectionSchema = z
  .strictObject({
    password: z.string().min(1).max(200),
    passwordIsPin: z.literal(true).optional(),
    passwordLocationIndicator: z.union([z.string().max(50), z.number().int().min(0).max(99)]).optional(),
  })
  .refine((value) => !value.passwordIsPin || /^[0-9]{4,16}$/.test(value.password), {
    message: 'a PIN is 4 to 16 digits',
    path: ['password'],
  });
/** Password protection as given to a use case. */
export type PasswordProtectionInput = z.infer<typeof passwordProtectionSchema>;

/** A reference to load: compact text or link. */
export const referenceSchema = z.string().min(10).max(2000);

/** A value or a list of values to filter by (a list matches any of them). */
export function oneOrMany<S extends z.ZodType>(schema: S) {
  return z.union([schema, z.array(schema).min(1)]);
}

/** Tells whether `value` passes a one-or-many filter (an absent filter passes everything). */
export function matches<T>(filter: T | readonly T[] | undefined, value: T | undefined): boolean {
  if (filter === undefined) return true;
  return Array.isArray(filter) ? filter.includes(value as T) : filter === value;
}

/** Input naming an object by id. */
export function byId(prefix: string) {
  return z.strictObject({ id: idOf(prefix) });
}

/** The transport's form of password protection. */
export function sharePassword(protection: PasswordProtectionInput | undefined) {
  return protection
    ? {
        password: {
          secret: protection.password,
          kind: protection.passwordIsPin ? 'pin' : 'password',
        } as const,
      }
    : {};
}

/** Options of a use case that calls the backbone. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}
