/**
 * Form fields: a FormFieldRequestItem asks the recipient to fill in one field, whose kind and limits its
 * `settings` give; the recipient answers with a FormFieldAcceptResponseItem.
 */
import { z } from 'zod';

/** Longest answer text and largest `min`/`max` of a string field. */
export const maxFormFieldTextLength = 4096;

function minNotAboveMax(s: { min?: number | undefined; max?: number | undefined }): boolean {
  return s.min === undefined || s.max === undefined || s.min <= s.max;
}
const minAboveMax = { message: 'max must not be smaller than min', path: ['max'] };

/** A text field; newlines only when `allowNewlines`; length limits `min`/`max` (0..4096). */
export const stringFormFieldSettingsSchema = z
  .strictObject({
    '@type': z.literal('StringFormFieldSettings'),
    allowNewlines: z.literal(true).optional(),
    min: z.number().int().min(0).max(maxFormFieldTextLength).optional(),
    max: z.number().int().min(0).max(maxFormFieldTextLength).optional(),
  })
  .refine(minNotAboveMax, minAboveMax);

/** A whole-number field with an optional unit and range. */
export const integerFormFieldSettingsSchema = z
  .strictObject({
    '@type': z.literal('IntegerFormFieldSettings'),
    unit: z.string().min(1).max(100).optional(),
    min: z.number().int().optional(),
    max: z.number().int().optional(),
  })
  .refine(minNotAboveMax, minAboveMax);

/** A decimal-number field with an optional unit and range. */
export const doubleFormFieldSettingsSchema = z
  .strictObject({
    '@type': z.literal('DoubleFormFieldSettings'),
    unit: z.string().min(1).max(100).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine(minNotAboveMax, minAboveMax);

/** A yes/no field. */
export const booleanFormFieldSettingsSchema = z.strictObject({
  '@type': z.literal('BooleanFormFieldSettings'),
});

/** A calendar date field; the answer is `YYYY-MM-DD`. */
export const dateFormFieldSettingsSchema = z.strictObject({ '@type': z.literal('DateFormFieldSettings') });

/** A rating from 1 to `maxRating` (5 to 10). */
export const ratingFormFieldSettingsSchema = z.strictObject({
  '@type': z.literal('RatingFormFieldSettings'),
  maxRating: z.number().int().min(5).max(10),
});

/** A choice among `options`, of one or (with `allowMultipleSelection`) several. */
export const selectionFormFieldSettingsSchema = z
  .strictObject({
    '@type': z.literal('SelectionFormFieldSettings'),
    options: z.array(z.string().min(1).max(maxFormFieldTextLength)).min(1),
    allowMultipleSelection: z.literal(true).optional(),
  })
  .refine((s) => new Set(s.options).size === s.options.length, {
    message: 'options must be distinct',
    path: ['options'],
  });

/** The settings of a form field, chosen by `@type`. */
export const formFieldSettingsSchema = z.discriminatedUnion('@type', [
  stringFormFieldSettingsSchema,
  integerFormFieldSettingsSchema,
  doubleFormFieldSettingsSchema,
  booleanFormFieldSettingsSchema,
  dateFormFieldSettingsSchema,
  ratingFormFieldSettingsSchema,
  selectionFormFieldSettingsSchema,
]);
/** The settings of a form field. */
export type FormFieldSettings = z.infer<typeof formFieldSettingsSchema>;

/** An answer to a form field: text (1..4096 characters), a number, a boolean or a list of texts. */
export const formFieldResponseSchema = z.union([
  z.string().min(1).max(maxFormFieldTextLength),
  z.number(),
  z.boolean(),
  z.array(z.string()),
]);
/** An answer to a form field. */
export type FormFieldResponse = z.infer<typeof formFieldResponseSchema>;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isIsoDate(text: string): boolean {
  const parts = ISO_DATE.exec(text);
  if (parts === null) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function textFault(
  s: z.infer<typeof stringFormFieldSettingsSchema>,
  answer: FormFieldResponse,
): string | undefined {
  if (typeof answer !== 'string') return 'a string field takes a string';
  if (s.max !== undefined && answer.length > s.max) return `the answer must be at most ${s.max} characters`;
  if (s.min !== undefined && answer.length < s.min) return `the answer must be at least ${s.min} characters`;
  if (s.allowNewlines !== true && /[\r\n]/.test(answer)) return 'the answer must be a single line';
  return undefined;
}

function rangeFault(
  s: { min?: number | undefined; max?: number | undefined },
  answer: number,
): string | undefined {
  if (s.max !== undefined && answer > s.max) return `the answer must be at most ${s.max}`;
  if (s.min !== undefined && answer < s.min) return `the answer must be at least ${s.min}`;
  return undefined;
}

function selectionFault(s: z.infer<typeof selectionFormFieldSettingsSchema>, answer: FormFieldResponse) {
  const chosen = Array.isArray(answer) ? answer : typeof answer === 'string' ? [answer] : undefined;
  if (chosen === undefined) return 'a selection field takes an option or a list of options';
  if (Array.isArray(answer) && s.allowMultipleSelection !== true) return 'only one option may be selected';
  if (chosen.length === 0) return 'at least one option must be selected';
  if (new Set(chosen).size !== chosen.length) return 'an option must not be selected twice';
  const unknown = chosen.find((option) => !s.options.includes(option));
  return unknown === undefined ? undefined : `${JSON.stringify(unknown)} is not one of the options`;
}

/** Why `answer` does not fit the form field's `settings`, or undefined when it does. */
export function formFieldResponseFault(
  settings: FormFieldSettings,
  answer: FormFieldResponse,
): string | undefined {
  switch (settings['@type']) {
    case 'StringFormFieldSettings':
      return textFault(settings, answer);
    case 'IntegerFormFieldSettings':
      if (typeof answer !== 'number' || !Number.isInteger(answer)) return 'an integer field takes an integer';
      return rangeFault(settings, answer);
    case 'DoubleFormFieldSettings':
      if (typeof answer !== 'number' || !Number.isFinite(answer)) return 'a double field takes a number';
      return rangeFault(settings, answer);
    case 'BooleanFormFieldSettings':
      return typeof answer === 'boolean' ? undefined : 'a boolean field takes true or false';
    case 'DateFormFieldSettings':
      return typeof answer === 'string' && isIsoDate(answer)
        ? undefined
        : 'a date field takes a date YYYY-MM-DD';
    case 'RatingFormFieldSettings':
      return typeof answer === 'number' &&
        Number.isInteger(answer) &&
        answer >= 1 &&
        answer <= settings.maxRating
        ? undefined
        : `a rating is a whole number from 1 to ${settings.maxRating}`;
    case 'SelectionFormFieldSettings':
      return selectionFault(settings, answer);
  }
}
