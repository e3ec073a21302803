/**
 * The IdentityAttribute value types that hold one `value` (names, contact data, codes), with Enmeshed's
 * rules: person names in DIN 91379 datatype A, other names in datatype B, codes from ISO tables.
 */
import type { z } from 'zod';
import { choiceKind, Fields } from './fields.js';
import { simpleValueType } from './value-type.js';

/** The values of the Sex value type. */
export const sexValues = ['intersex', 'female', 'male'] as const;
/** The values of the MaritalStatus value type. */
export const maritalStatusValues = [
  'single',
  'married',
  'separated',
  'divorced',
  'widowed',
  'civilPartnership',
  'civilPartnershipDissolved',
  'civilPartnerDeceased',
] as const;

/** BirthName: a person's name at birth. */
export const BirthName = simpleValueType('BirthName', Fields.personName);
/** Citizenship: an ISO 3166-1 alpha-2 country code. */
export const Citizenship = simpleValueType('Citizenship', Fields.country);
/** CommunicationLanguage: an ISO 639-1 language code. */
export const CommunicationLanguage = simpleValueType('CommunicationLanguage', Fields.language);
/** DisplayName: how an identity wants to be shown. */
export const DisplayName = simpleValueType('DisplayName', Fields.name);
/** EMailAddress. */
export const EMailAddress = simpleValueType('EMailAddress', Fields.email);
/** FaxNumber. */
export const FaxNumber = simpleValueType('FaxNumber', Fields.phone);
/** GivenName. */
export const GivenName = simpleValueType('GivenName', Fields.personName);
/** HonorificPrefix, e.g. `Dr.`. */
export const HonorificPrefix = simpleValueType('HonorificPrefix', Fields.personName);
/** HonorificSuffix, e.g. `MBA`. */
export const HonorificSuffix = simpleValueType('HonorificSuffix', Fields.name);
/** IdentityFileReference: a reference to a file that belongs to the identity (e.g. a scanned document). */
export const IdentityFileReference = simpleValueType('IdentityFileReference', Fields.fileReference);
/** JobTitle. */
export const JobTitle = simpleValueType('JobTitle', Fields.name);
/** MaritalStatus: one of `maritalStatusValues`. */
export const MaritalStatus = simpleValueType(
  'MaritalStatus',
  choiceKind(maritalStatusValues, 'maritalStatus'),
);
/** MiddleName. */
export const MiddleName = simpleValueType('MiddleName', Fields.personName);
/** Nationality: an ISO 3166-1 alpha-2 country code. */
export const Nationality = simpleValueType('Nationality', Fields.country);
/** PhoneNumber. */
export const PhoneNumber = simpleValueType('PhoneNumber', Fields.phone);
/** Pseudonym. */
export const Pseudonym = simpleValueType('Pseudonym', Fields.personName);
/** Sex: one of `sexValues`. */
export const Sex = simpleValueType('Sex', choiceKind(sexValues, 'sex'));
/** Surname. */
export const Surname = simpleValueType('Surname', Fields.personName);
/** Website: a URL. */
export const Website = simpleValueType('Website', Fields.url);

/** BirthName JSON. */
export type BirthName = z.infer<typeof BirthName.schema>;
/** Citizenship JSON. */
export type Citizenship = z.infer<typeof Citizenship.schema>;
/** CommunicationLanguage JSON. */
export type CommunicationLanguage = z.infer<typeof CommunicationLanguage.schema>;
/** DisplayName JSON. */
export type DisplayName = z.infer<typeof DisplayName.schema>;
/** EMailAddress JSON. */
export type EMailAddress = z.infer<typeof EMailAddress.schema>;
/** FaxNumber JSON. */
export type FaxNumber = z.infer<typeof FaxNumber.schema>;
/** GivenName JSON. */
export type GivenName = z.infer<typeof GivenName.schema>;
/** HonorificPrefix JSON. */
export type HonorificPrefix = z.infer<typeof HonorificPrefix.schema>;
/** HonorificSuffix JSON. */
export type HonorificSuffix = z.infer<typeof HonorificSuffix.schema>;
/** IdentityFileReference JSON. */
export type IdentityFileReference = z.infer<typeof IdentityFileReference.schema>;
/** JobTitle JSON. */
export type JobTitle = z.infer<typeof JobTitle.schema>;
/** MaritalStatus JSON. */
export type MaritalStatus = z.infer<typeof MaritalStatus.schema>;
/** MiddleName JSON. */
export type MiddleName = z.infer<typeof MiddleName.schema>;
/** Nationality JSON. */
export type Nationality = z.infer<typeof Nationality.schema>;
/** PhoneNumber JSON. */
export type PhoneNumber = z.infer<typeof PhoneNumber.schema>;
/** Pseudonym JSON. */
export type Pseudonym = z.infer<typeof Pseudonym.schema>;
/** Sex JSON. */
export type Sex = z.infer<typeof Sex.schema>;
/** Surname JSON. */
export type Surname = z.infer<typeof Surname.schema>;
/** Website JSON. */
export type Website = z.infer<typeof Website.schema>;
