/**
 * The IdentityAttribute value types made of several fields (addresses, birth data, affiliation, bank
 * account) and the ones that carry documents (SchematizedXML, SchematizedJSON, VerifiableCredential).
 */
import { z } from 'zod';
import { jsonFits } from '../primitives.js';
import { isValidBic, isValidIban } from './bank.js';
import { Fields, urlSchema } from './fields.js';
import {
  type RenderHints,
  RenderHintsEditType,
  RenderHintsTechnicalType,
  renderHints,
  type ValueHints,
  valueHints,
} from './hints.js';
import { complexHints } from './value-type.js';

const { name, country, phone } = Fields;

/** Affiliation: an organisation the identity belongs to, with an optional role and unit. */
export const Affiliation = {
  schema: z.strictObject({
    '@type': z.literal('Affiliation'),
    organization: name.schema,
    role: name.schema.optional(),
    unit: name.schema.optional(),
  }),
  ...complexHints({ organization: name, role: name, unit: name }),
};

const accountHolder = Fields.name;
const iban = {
  schema: z.string().min(14).max(34).refine(isValidIban, 'must be an IBAN (country, length, check digits)'),
  valueHints: valueHints({ min: 14, max: 34 }),
  renderHints: renderHints(RenderHintsEditType.InputLike, RenderHintsTechnicalType.String),
};
const bic = {
  schema: z.string().min(8).max(11).refine(isValidBic, 'must be a BIC (8 or 11 characters, known country)'),
  valueHints: valueHints({ min: 8, max: 11 }),
  renderHints: renderHints(RenderHintsEditType.InputLike, RenderHintsTechnicalType.String),
};

/** BankAccount: holder, IBAN and an optional BIC. */
export const BankAccount = {
  schema: z.strictObject({
    '@type': z.literal('BankAccount'),
    accountHolder: accountHolder.schema,
    iban: iban.schema,
    bic: bic.schema.optional(),
  }),
  ...complexHints({ accountHolder, iban, bic }),
};

/** Tells whether day, month and year name a day of the proleptic Gregorian calendar (no 31 April). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** BirthDate: day, month and year, together a real calendar day. */
export const BirthDate = {
  schema: z
    .strictObject({
      '@type': z.literal('BirthDate'),
      day: Fields.day.schema,
      month: Fields.month.schema,
      year: Fields.year.schema,
    })
    .refine((d) => isCalendarDate(d.year, d.month, d.day), {
      message: 'is not a calendar date',
      path: ['day'],
    }),
  ...complexHints({ day: Fields.day, month: Fields.month, year: Fields.year }),
};

/** BirthPlace: city, country and an optional state. */
export const BirthPlace = {
  schema: z.strictObject({
    '@type': z.literal('BirthPlace'),
    city: name.schema,
    country: country.schema,
    state: name.schema.optional(),
  }),
  ...complexHints({ city: name, country, state: name }),
};

/** DeliveryBoxAddress: a parcel station box (user and box id) with its place. */
export const DeliveryBoxAddress = {
  schema: z.strictObject({
    '@type': z.literal('DeliveryBoxAddress'),
    recipient: name.schema.optional(),
    userId: name.schema,
    deliveryBoxId: name.schema,
    zipCode: name.schema,
    city: name.schema,
    country: country.schema,
    phoneNumber: phone.schema.optional(),
    state: name.schema.optional(),
  }),
  ...complexHints({
    recipient: name,
    userId: name,
    deliveryBoxId: name,
    zipCode: name,
    city: name,
    country,
    phoneNumber: phone,
    state: name,
  }),
};

/** PostOfficeBoxAddress: a post office box with its place. */
export const PostOfficeBoxAddress = {
  schema: z.strictObject({
    '@type': z.literal('PostOfficeBoxAddress'),
    recipient: name.schema.optional(),
    boxId: name.schema,
    zipCode: name.schema,
    city: name.schema,
    country: country.schema,
    state: name.schema.optional(),
  }),
  ...complexHints({ recipient: name, boxId: name, zipCode: name, city: name, country, state: name }),
};

/** StreetAddress: street, house number and place. */
export const StreetAddress = {
  schema: z.strictObject({
    '@type': z.literal('StreetAddress'),
    recipient: name.schema.optional(),
    street: name.schema,
    houseNo: Fields.houseNumber.schema,
    zipCode: name.schema,
    city: name.schema,
    country: country.schema,
    state: name.schema.optional(),
  }),
  ...complexHints({
    recipient: name,
    street: name,
    houseNo: Fields.houseNumber,
    zipCode: name,
    city: name,
    country,
    state: name,
  }),
};

/** SchematizedXML: an XML document (DIN 91379 datatype C, up to 50 000 characters) and its schema URL. */
export const SchematizedXML = {
  schema: z.strictObject({
    '@type': z.literal('SchematizedXML'),
    value: Fields.xml.schema,
    schemaURL: urlSchema.optional(),
  }),
  valueHints: Fields.xml.valueHints,
  renderHints: Fields.xml.renderHints,
};

/** SchematizedJSON: a JSON value (at most 4096 characters as text) and its schema URL. */
export const SchematizedJSON = {
  schema: z.strictObject({
    '@type': z.literal('SchematizedJSON'),
    value: Fields.json.schema,
    schemaURL: urlSchema.optional(),
  }),
  valueHints: valueHints() as ValueHints,
  renderHints: renderHints(RenderHintsEditType.TextArea, RenderHintsTechnicalType.Json) as RenderHints,
};

/** The largest VerifiableCredential, as JSON text (50 MiB). */
const MAX_CREDENTIAL_CHARACTERS = 52_428_800;

/** VerifiableCredential: an issued credential (a string such as an SD-JWT, or a JSON object) and its type. */
export const VerifiableCredential = {
  schema: z.strictObject({
    '@type': z.literal('VerifiableCredential'),
    value: z
      .union([z.string().min(1), z.record(z.string(), z.json())])
      .refine((v) => jsonFits(v, MAX_CREDENTIAL_CHARACTERS), 'must be at most 50 MiB as JSON'),
    type: z.string().min(1).max(100),
    displayInformation: z.array(z.record(z.string(), z.json())).max(1000).optional(),
    displayInformationCachedImages: z.json().optional(),
  }),
  valueHints: valueHints() as ValueHints,
  renderHints: renderHints(RenderHintsEditType.TextArea, RenderHintsTechnicalType.Unknown) as RenderHints,
};

/** Affiliation JSON. */
export type Affiliation = z.infer<typeof Affiliation.schema>;
/** BankAccount JSON. */
export type BankAccount = z.infer<typeof BankAccount.schema>;
/** BirthDate JSON. */
export type BirthDate = z.infer<typeof BirthDate.schema>;
/** BirthPlace JSON. */
export type BirthPlace = z.infer<typeof BirthPlace.schema>;
/** DeliveryBoxAddress JSON. */
export type DeliveryBoxAddress = z.infer<typeof DeliveryBoxAddress.schema>;
/** PostOfficeBoxAddress JSON. */
export type PostOfficeBoxAddress = z.infer<typeof PostOfficeBoxAddress.schema>;
/** StreetAddress JSON. */
export type StreetAddress = z.infer<typeof StreetAddress.schema>;
/** SchematizedXML JSON. */
export type SchematizedXML = z.infer<typeof SchematizedXML.schema>;
/** SchematizedJSON JSON. */
export type SchematizedJSON = z.infer<typeof SchematizedJSON.schema>;
/** VerifiableCredential JSON. */
export type VerifiableCredential = z.infer<typeof VerifiableCredential.schema>;
