/**
 * The registry of attribute value types: name → schema and hints, the identity and relationship lists,
 * and the unions an attribute's `value` is parsed with.
 */
import { z } from 'zod';
import {
  Affiliation,
  BankAccount,
  BirthDate,
  BirthPlace,
  DeliveryBoxAddress,
  PostOfficeBoxAddress,
  SchematizedJSON,
  SchematizedXML,
  StreetAddress,
  VerifiableCredential,
} from './identity-complex-values.js';
import {
  BirthName,
  Citizenship,
  CommunicationLanguage,
  DisplayName,
  EMailAddress,
  FaxNumber,
  GivenName,
  HonorificPrefix,
  HonorificSuffix,
  IdentityFileReference,
  JobTitle,
  MaritalStatus,
  MiddleName,
  Nationality,
  PhoneNumber,
  Pseudonym,
  Sex,
  Surname,
  Website,
} from './identity-simple-values.js';
import {
  Consent,
  ProprietaryBoolean,
  ProprietaryCountry,
  ProprietaryEMailAddress,
  ProprietaryFileReference,
  ProprietaryFloat,
  ProprietaryHEXColor,
  ProprietaryInteger,
  ProprietaryJSON,
  ProprietaryLanguage,
  ProprietaryPhoneNumber,
  ProprietaryString,
  ProprietaryURL,
  ProprietaryXML,
} from './relationship-values.js';
import type { ValueTypeDefinition } from './value-type.js';

/** The IdentityAttribute value types (Enmeshed v7: 28 editable ones and the uneditable SchematizedXML). */
export const identityValueTypes = {
  Affiliation,
  BankAccount,
  BirthDate,
  BirthName,
  BirthPlace,
  Citizenship,
  CommunicationLanguage,
  DeliveryBoxAddress,
  DisplayName,
  EMailAddress,
  FaxNumber,
  GivenName,
  HonorificPrefix,
  HonorificSuffix,
  IdentityFileReference,
  JobTitle,
  MaritalStatus,
  MiddleName,
  Nationality,
  PhoneNumber,
  PostOfficeBoxAddress,
  Pseudonym,
  SchematizedJSON,
  Sex,
  StreetAddress,
  Surname,
  VerifiableCredential,
  Website,
  SchematizedXML,
} as const;

/** The RelationshipAttribute value types. */
export const relationshipValueTypes = {
  ProprietaryBoolean,
  ProprietaryCountry,
  ProprietaryEMailAddress,
  ProprietaryFileReference,
  ProprietaryFloat,
  ProprietaryHEXColor,
  ProprietaryInteger,
  ProprietaryLanguage,
  ProprietaryPhoneNumber,
  ProprietaryString,
  ProprietaryURL,
  ProprietaryJSON,
  ProprietaryXML,
  Consent,
} as const;

/** The name of an IdentityAttribute value type. */
export type IdentityValueTypeName = keyof typeof identityValueTypes;
/** The name of a RelationshipAttribute value type. */
export type RelationshipValueTypeName = keyof typeof relationshipValueTypes;
/** The name of any attribute value type. */
export type ValueTypeName = IdentityValueTypeName | RelationshipValueTypeName;

/** The names of the IdentityAttribute value types, in registry order. */
export const identityValueTypeNames = Object.keys(identityValueTypes) as [
  IdentityValueTypeName,
  ...IdentityValueTypeName[],
];
/** The IdentityAttribute value types a user may edit (all but SchematizedXML). */
export const editableIdentityValueTypeNames: readonly IdentityValueTypeName[] = identityValueTypeNames.filter(
  (name) => name !== 'SchematizedXML',
);
/** The names of the RelationshipAttribute value types, in registry order. */
export const relationshipValueTypeNames = Object.keys(relationshipValueTypes) as [
  RelationshipValueTypeName,
  ...RelationshipValueTypeName[],
];

/** Every value type by name. */
export const valueTypes: Readonly<Record<ValueTypeName, ValueTypeDefinition>> = {
  ...identityValueTypes,
  ...relationshipValueTypes,
};

/** Tells whether `name` is an IdentityAttribute value type. */
export function isIdentityValueTypeName(name: string): name is IdentityValueTypeName {
  return Object.hasOwn(identityValueTypes, name);
}

/** Tells whether `name` is a RelationshipAttribute value type. */
export function isRelationshipValueTypeName(name: string): name is RelationshipValueTypeName {
  return Object.hasOwn(relationshipValueTypes, name);
}

/** The definition (schema, value hints, render hints) of a value type, or `undefined` for an unknown name. */
export function valueTypeOf(name: string): ValueTypeDefinition | undefined {
  return Object.hasOwn(valueTypes, name) ? valueTypes[name as ValueTypeName] : undefined;
}

/** The `value` of an IdentityAttribute: one of the identity value types, chosen by `@type`. */
export const identityAttributeValueSchema = z.discriminatedUnion('@type', [
  Affiliation.schema,
  BankAccount.schema,
  BirthDate.schema,
  BirthName.schema,
  BirthPlace.schema,
  Citizenship.schema,
  CommunicationLanguage.schema,
  DeliveryBoxAddress.schema,
  DisplayName.schema,
  EMailAddress.schema,
  FaxNumber.schema,
  GivenName.schema,
  HonorificPrefix.schema,
  HonorificSuffix.schema,
  IdentityFileReference.schema,
  JobTitle.schema,
  MaritalStatus.schema,
  MiddleName.schema,
  Nationality.schema,
  PhoneNumber.schema,
  PostOfficeBoxAddress.schema,
  Pseudonym.schema,
  SchematizedJSON.schema,
  Sex.schema,
  StreetAddress.schema,
  Surname.schema,
  VerifiableCredential.schema,
  Website.schema,
  SchematizedXML.schema,
]);
/** Any IdentityAttribute value. */
export type IdentityAttributeValue = z.infer<typeof identityAttributeValueSchema>;

/** The `value` of a RelationshipAttribute: one of the relationship value types, chosen by `@type`. */
export const relationshipAttributeValueSchema = z.discriminatedUnion('@type', [
  ProprietaryBoolean.schema,
  ProprietaryCountry.schema,
  ProprietaryEMailAddress.schema,
  ProprietaryFileReference.schema,
  ProprietaryFloat.schema,
  ProprietaryHEXColor.schema,
  ProprietaryInteger.schema,
  ProprietaryLanguage.schema,
  ProprietaryPhoneNumber.schema,
  ProprietaryString.schema,
  ProprietaryURL.schema,
  ProprietaryJSON.schema,
  ProprietaryXML.schema,
  Consent.schema,
]);
/** Any RelationshipAttribute value. */
export type RelationshipAttributeValue = z.infer<typeof relationshipAttributeValueSchema>;
