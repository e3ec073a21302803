import { describe, expect, it } from 'vitest';
import { expectFault, expectRoundTrip } from '../test-support.js';
import { identityAttributeValueSchema, identityValueTypeNames, identityValueTypes } from './registry.js';

type Case = { valid: unknown[]; invalid: [unknown, string][] };
const v = (type: string, value: unknown) => ({ '@type': type, value });
const tooLong = (n: number) => 'a'.repeat(n + 1);

const personName = (type: string): Case => ({
  valid: [v(type, 'Anna'), v(type, "O'Brien-Łukasiewicz"), v(type, 'Zoë Müller'), v(type, 'K\u035fHan')],
  invalid: [
    [v(type, tooLong(100)), '$.value'],
    [v(type, ''), '$.value'],
    [v(type, 'Anna1'), '$.value'],
    [v(type, 'Иван'), '$.value'],
    [v(type, 42), '$.value'],
    [{ '@type': type }, '$.value'],
    [{ ...v(type, 'Anna'), extra: 1 }, '$.extra'],
  ],
});
const name = (type: string): Case => ({
  valid: [v(type, 'ACME GmbH & Co. KG'), v(type, 'Büro 42 – Nord'.replace('–', '-'))],
  invalid: [
    [v(type, tooLong(100)), '$.value'],
    [v(type, 'emoji 🙂'), '$.value'],
    [v(type, null), '$.value'],
  ],
});
const country = (type: string): Case => ({
  valid: [v(type, 'DE'), v(type, 'FR')],
  invalid: [
    [v(type, 'XX'), '$.value'],
    [v(type, 'de'), '$.value'],
    [v(type, 'DEU'), '$.value'],
    [v(type, 49), '$.value'],
  ],
});
const phone = (type: string): Case => ({
  valid: [v(type, '+49 (0)30 123-456'), v(type, '110')],
  invalid: [
    [v(type, '12'), '$.value'],
    [v(type, '+49 30 CALL-ME'), '$.value'],
    [v(type, tooLong(100).replaceAll('a', '1')), '$.value'],
  ],
});

const street = {
  '@type': 'StreetAddress',
  street: 'Hauptstraße',
  houseNo: '12a',
  zipCode: '10115',
  city: 'Berlin',
};
const cases: Record<string, Case> = {
  Affiliation: {
    valid: [
      { '@type': 'Affiliation', organization: 'ACME' },
      { '@type': 'Affiliation', organization: 'ACME', role: 'CTO', unit: 'Research' },
    ],
    invalid: [
      [{ '@type': 'Affiliation', role: 'CTO' }, '$.organization'],
      [{ '@type': 'Affiliation', organization: tooLong(100) }, '$.organization'],
      [{ '@type': 'Affiliation', organization: 'ACME', unit: 7 }, '$.unit'],
    ],
  },
  BankAccount: {
    valid: [
      { '@type': 'BankAccount', accountHolder: 'Anna Muster', iban: 'DE89370400440532013000' },
      { '@type': 'BankAccount', accountHolder: 'A', iban: 'GB82WEST12345698765432', bic: 'COBADEFFXXX' },
    ],
    invalid: [
      [{ '@type': 'BankAccount', accountHolder: 'A', iban: 'DE89370400440532013001' }, '$.iban'],
      [{ '@type': 'BankAccount', accountHolder: 'A', iban: 'DE8937040044053201300' }, '$.iban'],
      [{ '@type': 'BankAccount', accountHolder: 'A', iban: 'ZZ89370400440532013000' }, '$.iban'],
      [
        { '@type': 'BankAccount', accountHolder: 'A', iban: 'DE89370400440532013000', bic: 'COBAZZFF' },
        '$.bic',
      ],
      [{ '@type': 'BankAccount', iban: 'DE89370400440532013000' }, '$.accountHolder'],
    ],
  },
  BirthDate: {
    valid: [
      { '@type': 'BirthDate', day: 29, month: 2, year: 2000 },
      { '@type': 'BirthDate', day: 31, month: 12, year: 1 },
    ],
    invalid: [
      [{ '@type': 'BirthDate', day: 29, month: 2, year: 1900 }, '$.day'],
      [{ '@type': 'BirthDate', day: 31, month: 4, year: 2020 }, '$.day'],
      [{ '@type': 'BirthDate', day: 32, month: 1, year: 2020 }, '$.day'],
      [{ '@type': 'BirthDate', day: 1, month: 13, year: 2020 }, '$.month'],
      [{ '@type': 'BirthDate', day: 1, month: 1, year: 10000 }, '$.year'],
      [{ '@type': 'BirthDate', day: 1.5, month: 1, year: 2020 }, '$.day'],
      [{ '@type': 'BirthDate', day: 1, month: 1 }, '$.year'],
      [{ '@type': 'BirthDate', day: '1', month: 1, year: 2000 }, '$.day'],
    ],
  },
  BirthName: personName('BirthName'),
  BirthPlace: {
    valid: [
      { '@type': 'BirthPlace', city: 'Köln', country: 'DE' },
      { '@type': 'BirthPlace', city: 'Köln', country: 'DE', state: 'NRW' },
    ],
    invalid: [
      [{ '@type': 'BirthPlace', city: 'Köln', country: 'QQ' }, '$.country'],
      [{ '@type': 'BirthPlace', country: 'DE' }, '$.city'],
    ],
  },
  Citizenship: country('Citizenship'),
  CommunicationLanguage: {
    valid: [v('CommunicationLanguage', 'de'), v('CommunicationLanguage', 'zu')],
    invalid: [
      [v('CommunicationLanguage', 'xx'), '$.value'],
      [v('CommunicationLanguage', 'DE'), '$.value'],
      [v('CommunicationLanguage', 'deu'), '$.value'],
    ],
  },
  DeliveryBoxAddress: {
    valid: [
      {
        '@type': 'DeliveryBoxAddress',
        userId: '1234567',
        deliveryBoxId: 'Packstation 101',
        zipCode: '10115',
        city: 'Berlin',
        country: 'DE',
      },
      {
        '@type': 'DeliveryBoxAddress',
        recipient: 'Anna Muster',
        userId: '1234567',
        deliveryBoxId: '101',
        zipCode: '10115',
        city: 'Berlin',
        country: 'DE',
        phoneNumber: '+49 171 1234567',
        state: 'Berlin',
      },
    ],
    invalid: [
      [
        { '@type': 'DeliveryBoxAddress', userId: '1', zipCode: '1', city: 'B', country: 'DE' },
        '$.deliveryBoxId',
      ],
      [
        {
          '@type': 'DeliveryBoxAddress',
          userId: '1',
          deliveryBoxId: '2',
          zipCode: '1',
          city: 'B',
          country: 'DE',
          phoneNumber: 'x',
        },
        '$.phoneNumber',
      ],
    ],
  },
  DisplayName: name('DisplayName'),
  EMailAddress: {
    valid: [v('EMailAddress', 'anna@example.com'), v('EMailAddress', 'a.b+c@mail.müller.de')],
    invalid: [
      [v('EMailAddress', 'anna@localhost'), '$.value'],
      [v('EMailAddress', 'anna.example.com'), '$.value'],
      [v('EMailAddress', 'a@'), '$.value'],
      [v('EMailAddress', `${'a'.repeat(250)}@example.com`), '$.value'],
    ],
  },
  FaxNumber: phone('FaxNumber'),
  GivenName: personName('GivenName'),
  HonorificPrefix: personName('HonorificPrefix'),
  HonorificSuffix: name('HonorificSuffix'),
  IdentityFileReference: {
    valid: [v('IdentityFileReference', 'RklMeHh4eHh4eHh4eHh4eHh4eHh4fDN8a2V5a2V5a2V5')],
    invalid: [
      [v('IdentityFileReference', 'short'), '$.value'],
      [v('IdentityFileReference', 'x'.repeat(151)), '$.value'],
    ],
  },
  JobTitle: name('JobTitle'),
  MaritalStatus: {
    valid: [v('MaritalStatus', 'married'), v('MaritalStatus', 'civilPartnerDeceased')],
    invalid: [
      [v('MaritalStatus', 'complicated'), '$.value'],
      [v('MaritalStatus', 'Married'), '$.value'],
    ],
  },
  MiddleName: personName('MiddleName'),
  Nationality: country('Nationality'),
  PhoneNumber: phone('PhoneNumber'),
  PostOfficeBoxAddress: {
    valid: [
      {
        '@type': 'PostOfficeBoxAddress',
        boxId: 'Postfach 12 34',
        zipCode: '10115',
        city: 'Berlin',
        country: 'DE',
      },
    ],
    invalid: [
      [
        { '@type': 'PostOfficeBoxAddress', boxId: 'P', zipCode: '1', city: 'B', country: 'Germany' },
        '$.country',
      ],
      [{ '@type': 'PostOfficeBoxAddress', zipCode: '1', city: 'B', country: 'DE' }, '$.boxId'],
    ],
  },
  Pseudonym: personName('Pseudonym'),
  SchematizedJSON: {
    valid: [
      { '@type': 'SchematizedJSON', value: { a: [1, 2, { b: null }] } },
      { '@type': 'SchematizedJSON', value: 'text', schemaURL: 'https://example.com/schema.json' },
    ],
    invalid: [
      [{ '@type': 'SchematizedJSON', value: { big: 'x'.repeat(4100) } }, '$.value'],
      [{ '@type': 'SchematizedJSON', value: 1, schemaURL: 'not a url' }, '$.schemaURL'],
    ],
  },
  Sex: {
    valid: [v('Sex', 'female'), v('Sex', 'intersex')],
    invalid: [
      [v('Sex', 'F'), '$.value'],
      [v('Sex', true), '$.value'],
    ],
  },
  StreetAddress: {
    valid: [
      { ...street, country: 'DE' },
      { ...street, houseNo: '3/5', country: 'AT', recipient: 'Anna Muster', state: 'Wien' },
    ],
    invalid: [
      [{ ...street, country: 'DE', houseNo: '0' }, '$.houseNo'],
      [{ ...street, country: 'DE', houseNo: 'abc' }, '$.houseNo'],
      [{ ...street, country: 'XY' }, '$.country'],
      [{ ...street }, '$.country'],
      [{ ...street, country: 'DE', street: tooLong(100) }, '$.street'],
    ],
  },
  Surname: personName('Surname'),
  VerifiableCredential: {
    valid: [
      { '@type': 'VerifiableCredential', value: 'eyJhbGciOi...~', type: 'vc+sd-jwt' },
      {
        '@type': 'VerifiableCredential',
        value: { credentialSubject: { id: 'x' } },
        type: 'ldp_vc',
        displayInformation: [{ name: 'Card' }],
      },
    ],
    invalid: [
      [{ '@type': 'VerifiableCredential', value: 'x' }, '$.type'],
      [{ '@type': 'VerifiableCredential', value: 12, type: 'x' }, '$.value'],
    ],
  },
  Website: {
    valid: [v('Website', 'https://enmesh.example/about?x=1#top'), v('Website', 'www.example.com')],
    invalid: [
      [v('Website', 'no spaces allowed.com'), '$.value'],
      [v('Website', 'x'), '$.value'],
      [v('Website', `https://example.com/${'a'.repeat(1024)}`), '$.value'],
    ],
  },
  SchematizedXML: {
    valid: [
      { '@type': 'SchematizedXML', value: '<a>\n  <b>Grüße</b>\n</a>' },
      { '@type': 'SchematizedXML', value: '<a/>', schemaURL: 'https://example.com/a.xsd' },
    ],
    invalid: [
      [{ '@type': 'SchematizedXML', value: '<a>\u4e2d</a>' }, '$.value'],
      [{ '@type': 'SchematizedXML', value: 'x'.repeat(50_001) }, '$.value'],
    ],
  },
};

describe('IdentityAttribute value types', () => {
  it('covers exactly the 29 v7 value types', () => {
    expect(identityValueTypeNames).toHaveLength(29);
    expect(Object.keys(cases).sort()).toEqual([...identityValueTypeNames].sort());
  });

  for (const typeName of identityValueTypeNames) {
    const definition = identityValueTypes[typeName];
    const { valid, invalid } = cases[typeName]!;
    describe(typeName, () => {
      it.each(valid.map((json) => [JSON.stringify(json).slice(0, 80), json]))('accepts %s', (_, json) => {
        expectRoundTrip(definition.schema, json);
        expectRoundTrip(identityAttributeValueSchema, json);
      });
      it.each(invalid.map(([json, path]) => [path, JSON.stringify(json).slice(0, 80), json]))(
        'rejects at %s: %s',
        (path, _, json) => {
          expectFault(definition.schema, json, path);
          expectFault(identityAttributeValueSchema, json, path);
        },
      );
    });
  }

  it('rejects an unknown value type at @type', () => {
    expectFault(identityAttributeValueSchema, { '@type': 'ShoeSize', value: 42 }, '$["@type"]');
    expectFault(
      identityAttributeValueSchema,
      { '@type': 'ProprietaryString', title: 't', value: 'v' },
      '$["@type"]',
    );
  });
});
