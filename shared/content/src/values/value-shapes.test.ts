import { describe, expect, it } from 'vitest';
import { expectFault } from '../test-support.js';
import { valueTypes } from './registry.js';

/** A valid example of each complex value type, with every optional field set. */
const samples: Record<string, Record<string, unknown>> = {
  Affiliation: { '@type': 'Affiliation', organization: 'ACME', role: 'CTO', unit: 'R&D' },
  BankAccount: {
    '@type': 'BankAccount',
    accountHolder: 'A',
    iban: 'DE89370400440532013000',
    bic: 'COBADEFFXXX',
  },
  BirthDate: { '@type': 'BirthDate', day: 1, month: 2, year: 1990 },
  BirthPlace: { '@type': 'BirthPlace', city: 'Köln', country: 'DE', state: 'NRW' },
  DeliveryBoxAddress: {
    '@type': 'DeliveryBoxAddress',
    recipient: 'A',
    userId: '1',
    deliveryBoxId: '2',
    zipCode: '10115',
    city: 'Berlin',
    country: 'DE',
    phoneNumber: '+49 1',
    state: 'BE',
  },
  PostOfficeBoxAddress: {
    '@type': 'PostOfficeBoxAddress',
    boxId: '1',
    zipCode: '1',
    city: 'B',
    country: 'DE',
  },
  StreetAddress: {
    '@type': 'StreetAddress',
    street: 'S',
    houseNo: '1',
    zipCode: '1',
    city: 'B',
    country: 'DE',
  },
  SchematizedXML: { '@type': 'SchematizedXML', value: '<a/>', schemaURL: 'https://a.example/a.xsd' },
  SchematizedJSON: { '@type': 'SchematizedJSON', value: { a: 1 }, schemaURL: 'https://a.example/a.json' },
  VerifiableCredential: {
    '@type': 'VerifiableCredential',
    value: 'x',
    type: 'vc+sd-jwt',
    displayInformation: [],
  },
  Consent: { '@type': 'Consent', consent: 'ok', link: 'https://a.example', linkDisplayText: 'Terms' },
  ProprietaryJSON: { '@type': 'ProprietaryJSON', title: 'T', description: 'D', value: { a: 1 } },
  ProprietaryXML: {
    '@type': 'ProprietaryXML',
    title: 'T',
    value: '<a/>',
    schemaURL: 'https://a.example/a.xsd',
  },
};
const simpleValues: Record<string, unknown> = {
  BirthName: 'Muster',
  Citizenship: 'DE',
  CommunicationLanguage: 'de',
  DisplayName: 'Anna',
  EMailAddress: 'a@b.example',
  FaxNumber: '+49 30 1',
  GivenName: 'Anna',
  HonorificPrefix: 'Dr.',
  HonorificSuffix: 'MBA',
  IdentityFileReference: 'F'.repeat(40),
  JobTitle: 'CTO',
  MaritalStatus: 'single',
  MiddleName: 'Lena',
  Nationality: 'DE',
  PhoneNumber: '+49 30 1',
  Pseudonym: 'Nina',
  Sex: 'male',
  Surname: 'Muster',
  Website: 'https://a.example',
  ProprietaryBoolean: true,
  ProprietaryCountry: 'DE',
  ProprietaryEMailAddress: 'a@b.example',
  ProprietaryFileReference: 'F'.repeat(40),
  ProprietaryFloat: 1.5,
  ProprietaryHEXColor: '#fff',
  ProprietaryInteger: 1,
  ProprietaryLanguage: 'de',
  ProprietaryPhoneNumber: '+49 1',
  ProprietaryString: 's',
  ProprietaryURL: 'https://a.example',
};

function sampleOf(name: string): Record<string, unknown> {
  const sample = samples[name];
  if (sample !== undefined) return sample;
  const value = simpleValues[name];
  return name.startsWith('Proprietary')
    ? { '@type': name, title: 'T', description: 'D', valueHintsOverride: { max: 1 }, value }
    : { '@type': name, value };
}

describe('every value type', () => {
  for (const [name, definition] of Object.entries(valueTypes)) {
    it(`${name}: a missing required field or a field of the wrong type is reported at its path`, () => {
      const sample = sampleOf(name);
      expect(definition.schema.safeParse(sample).success).toBe(true);
      for (const key of Object.keys(sample).filter((k) => k !== '@type')) {
        const { [key]: _, ...without } = sample;
        // Without its link, a Consent's linkDisplayText is the fault.
        const missingAt = name === 'Consent' && key === 'link' ? '$.linkDisplayText' : `$.${key}`;
        if (!definition.schema.safeParse(without).success) expectFault(definition.schema, without, missingAt);
        const wrong = { ...sample, [key]: [[]] };
        const result = definition.schema.safeParse(wrong);
        if (!result.success) {
          const paths = result.error.issues.map((issue) => issue.path.join('.'));
          expect(paths.some((path) => path === key || path.startsWith(`${key}.`))).toBe(true);
        }
      }
      expectFault(definition.schema, { ...sample, '@type': 'Other' }, '$["@type"]');
      expectFault(definition.schema, { ...sample, extra: 1 }, '$.extra');
    });
  }
});
