/**
 * The building blocks of attribute values: each field kind is a schema with the value hints and render
 * hints Enmeshed attaches to it. Value types (`identity-values.ts`, `relationship-values.ts`) are made of
 * these.
 */
import { z } from 'zod';
import { CharacterSet, characterSetPattern, conformsTo } from './charsets.js';
import { countryCodes, isCountryCode } from './countries.js';
import {
  type RenderHints,
  RenderHintsDataType,
  RenderHintsEditType,
  RenderHintsTechnicalType,
  renderHints,
  type ValueHints,
  valueHints,
} from './hints.js';
import { isLanguageCode, languageCodes } from './languages.js';

/** A schema with its hints. */
export interface FieldKind<S extends z.ZodType = z.ZodType> {
  schema: S;
  valueHints: ValueHints;
  renderHints: RenderHints;
}

const { InputLike, ButtonLike, SelectLike, TextArea } = RenderHintsEditType;
const {
  String: TString,
  Integer: TInteger,
  Float: TFloat,
  Boolean: TBoolean,
  Unknown,
} = RenderHintsTechnicalType;

/** A string of at most `max` characters that conforms to a DIN 91379 character set. */
export function textIn(set: CharacterSet, max: number, min = 1) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((value) => conformsTo(value, set), `must use only characters of DIN 91379 datatype ${set}`);
}

/** The text of a URL as Enmeshed accepts it: `scheme:[//][user@]host[/path][?query][#fragment]` or `www.…`. */
const URL_PATTERN =
  /^(?:[A-Za-z]{3,9}:(?:\/\/)?(?:[-;:&=+$,\w]+@)?|www\.|[-;:&=+$,\w]+@)[A-Za-z0-9.-]+(?:\/[-+~%/.\w]*)?(?:\??[-+=&;%@.\w]*)(?:#[.!/\\\w]*)?$/;
/** An e-mail address: dot-separated atoms, `@`, two or more DNS labels (German umlauts allowed). */
const EMAIL_PATTERN =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9ÄäÖöÜüß](?:[A-Za-z0-9ÄäÖöÜüß-]{0,61}[A-Za-z0-9ÄäÖöÜüß])?\.)+[A-Za-z0-9ÄäÖöÜüß](?:[A-Za-z0-9ÄäÖöÜüß-]{0,61}[A-Za-z0-9ÄäÖöÜüß])$/;
const PHONE_PATTERN = /^[\d+\-() ]{3,100}$/;
const HEX_COLOR_PATTERN = /^#(?:[0-9A-Fa-f]{3}){1,2}$/;
const HOUSE_NUMBER_PATTERN = /^[1-9]\d*(?:[/-][1-9]\d*)*[A-Za-z]*$/;

/** A URL, 3 to 1024 characters. */
export const urlSchema = z.string().min(3).max(1024).regex(URL_PATTERN, 'must be a URL');

function kind<S extends z.ZodType>(schema: S, hints: ValueHints, render: RenderHints): FieldKind<S> {
  return { schema, valueHints: hints, renderHints: render };
}

function dinKind(set: CharacterSet, max: number) {
  return kind(
    textIn(set, max),
    valueHints({ max, pattern: characterSetPattern(set) }),
    renderHints(InputLike, TString),
  );
}

function codeValues(codes: readonly string[], i18nGroup: string) {
  return codes.map((key) => ({ key, displayName: `i18n://attributes.values.${i18nGroup}.${key}` }));
}

/** The field kinds of attribute values. */
export const Fields = {
  /** Free text up to 100 characters. */
  string: kind(z.string().min(1).max(100), valueHints({ max: 100 }), renderHints(InputLike, TString)),
  /** A name of a natural person (DIN 91379 datatype A), up to 100 characters. */
  personName: dinKind(CharacterSet.A, 100),
  /** Any other name (DIN 91379 datatype B), up to 100 characters: places, organisations, display names. */
  name: dinKind(CharacterSet.B, 100),
  /** A house number: digits, `/` or `-` separated parts, trailing letters (`12`, `3/5`, `7a`). */
  houseNumber: kind(
    z.string().min(1).max(100).regex(HOUSE_NUMBER_PATTERN, 'must be a house number like 12, 3-5 or 7a'),
    valueHints({ max: 100, pattern: HOUSE_NUMBER_PATTERN.source }),
    renderHints(InputLike, TString, { dataType: RenderHintsDataType.HouseNumber }),
  ),
  /** An ISO 3166-1 alpha-2 country code. */
  country: kind(
    z.string().refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code'),
    valueHints({ min: 2, max: 2, values: codeValues(countryCodes, 'countries') }),
    renderHints(SelectLike, TString, { dataType: RenderHintsDataType.Country }),
  ),
  /** An ISO 639-1 language code. */
  language: kind(
    z.string().refine(isLanguageCode, 'must be an ISO 639-1 language code'),
    valueHints({ min: 2, max: 2, values: codeValues(languageCodes, 'languages') }),
    renderHints(SelectLike, TString, { dataType: RenderHintsDataType.Language }),
  ),
  /** An e-mail address, 3 to 254 characters. */
  email: kind(
    z.string().min(3).max(254).regex(EMAIL_PATTERN, 'must be an e-mail address'),
    valueHints({ min: 3, max: 254, pattern: EMAIL_PATTERN.source }),
    renderHints(InputLike, TString, { dataType: RenderHintsDataType.EMailAddress }),
  ),
  /** A phone or fax number: digits, spaces, `+ - ( )`, 3 to 100 characters. */
  phone: kind(
    z.string().min(3).max(100).regex(PHONE_PATTERN, 'must be a phone number (digits, spaces, + - ( ))'),
    valueHints({ min: 3, max: 100, pattern: PHONE_PATTERN.source }),
    renderHints(InputLike, TString, { dataType: RenderHintsDataType.PhoneNumber }),
  ),
  /** A URL, 3 to 1024 characters. */
  url: kind(
    urlSchema,
    valueHints({ min: 3, max: 1024, pattern: URL_PATTERN.source }),
    renderHints(InputLike, TString, { dataType: RenderHintsDataType.URL }),
  ),
  /** A colour `#rgb` or `#rrggbb`. */
  hexColor: kind(
    z.string().min(4).max(9).regex(HEX_COLOR_PATTERN, 'must be a colour #rgb or #rrggbb'),
    valueHints({ min: 4, max: 9, pattern: HEX_COLOR_PATTERN.source }),
    renderHints(InputLike, TString, { dataType: RenderHintsDataType.HEXColor }),
  ),
  /** A (truncated) file reference, 30 to 150 characters. */
  fileReference: kind(
    z.string().min(30).max(150),
    valueHints({ min: 30, max: 150 }),
    renderHints(SelectLike, TString, { dataType: RenderHintsDataType.FileReference }),
  ),
  /** An XML document, up to 50 000 characters of DIN 91379 datatype C. */
  xml: kind(
    textIn(CharacterSet.C, 50_000),
    valueHints({ max: 50_000 }),
    renderHints(InputLike, TString, { dataType: RenderHintsDataType.XML }),
  ),
  /** A day of a month, 1 to 31. */
  day: kind(
    z.number().int().min(1).max(31),
    valueHints({ min: 1, max: 31 }),
    renderHints(SelectLike, TInteger, { dataType: RenderHintsDataType.Day }),
  ),
  /** A month, 1 (January) to 12 (December). */
  month: kind(
    z.number().int().min(1).max(12),
    valueHints({ min: 1, max: 12 }),
    renderHints(SelectLike, TInteger, { dataType: RenderHintsDataType.Month }),
  ),
  /** A year, 1 to 9999. */
  year: kind(
    z.number().int().min(1).max(9999),
    valueHints({ min: 1, max: 9999 }),
    renderHints(SelectLike, TInteger, { dataType: RenderHintsDataType.Year }),
  ),
  /** A boolean. */
  boolean: kind(z.boolean(), valueHints(), renderHints(InputLike, TBoolean)),
  /** A whole number (a safe integer). */
  integer: kind(z.number().int(), valueHints(), renderHints(ButtonLike, TInteger)),
  /** A finite number. */
  float: kind(z.number(), valueHints(), renderHints(ButtonLike, TFloat)),
  /** Any JSON whose text is at most 4096 characters. */
  json: kind(
    z
      .json()
      .refine(
        (value) => (JSON.stringify(value)?.length ?? 0) <= 4096,
        'must be at most 4096 characters as JSON',
      ),
    valueHints(),
    renderHints(TextArea, Unknown),
  ),
} as const;

/** A string with a fixed set of values, shown as buttons with `i18n://attributes.values.<group>.<value>`. */
export function choiceKind<const V extends readonly [string, ...string[]]>(values: V, i18nGroup: string) {
  return kind(
    z.enum(values),
    valueHints({ max: 100, values: codeValues(values, i18nGroup) }),
    renderHints(ButtonLike, TString),
  );
}
