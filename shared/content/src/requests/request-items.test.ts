import { encodeReference } from '@enmesh/protocol';
import { describe, expect, it } from 'vitest';
import { expectFault, expectRoundTrip, testAddress, testId } from '../test-support.js';
import { requestItemSchema } from './request-items.js';

const owner = testAddress();
const fileReference = encodeReference({
  type: 'file',
  id: testId('FIL'),
  key: new Uint8Array(32).fill(7),
  host: 'enmesh.example',
});
const templateReference = encodeReference({
  type: 'template',
  id: testId('RLT'),
  key: new Uint8Array(32),
  host: 'a.example',
});
const givenName = { '@type': 'IdentityAttribute', owner, value: { '@type': 'GivenName', value: 'Anna' } };
const relationshipAttribute = {
  '@type': 'RelationshipAttribute',
  owner,
  key: 'customerNumber',
  confidentiality: 'public',
  value: { '@type': 'ProprietaryString', title: 'Customer number', value: 'K-4711' },
};
const relationshipQuery = {
  '@type': 'RelationshipAttributeQuery',
  key: 'customerNumber',
  owner,
  attributeCreationHints: {
    title: 'Customer number',
    valueType: 'ProprietaryString',
    confidentiality: 'public',
  },
};

type Case = { valid: Record<string, unknown>[]; invalid: [Record<string, unknown>, string][] };
const item = (type: string, fields: Record<string, unknown>) => ({
  '@type': type,
  mustBeAccepted: true,
  ...fields,
});

const cases: Record<string, Case> = {
  ReadAttributeRequestItem: {
    valid: [
      item('ReadAttributeRequestItem', {
        query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
      }),
      item('ReadAttributeRequestItem', {
        query: relationshipQuery,
        description: 'We need it',
        metadata: { k: [1] },
      }),
      item('ReadAttributeRequestItem', {
        query: { '@type': 'IQLQuery', queryString: 'PhoneNumber && #emergency' },
      }),
      item('ReadAttributeRequestItem', {
        query: { '@type': 'ThirdPartyRelationshipAttributeQuery', key: 'k', owner: '', thirdParty: [owner] },
        title: 'v6 title',
        requireManualDecision: true,
      }),
    ],
    invalid: [
      [item('ReadAttributeRequestItem', {}), '$.query'],
      [
        item('ReadAttributeRequestItem', { query: { '@type': 'IQLQuery', queryString: '((' } }),
        '$.query.queryString',
      ],
      [
        item('ReadAttributeRequestItem', { query: { '@type': 'IdentityAttributeQuery' } }),
        '$.query.valueType',
      ],
    ],
  },
  ProposeAttributeRequestItem: {
    valid: [
      item('ProposeAttributeRequestItem', {
        query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
        attribute: givenName,
      }),
      item('ProposeAttributeRequestItem', { query: relationshipQuery, attribute: relationshipAttribute }),
      item('ProposeAttributeRequestItem', {
        query: { '@type': 'IQLQuery', queryString: 'GivenName' },
        attribute: givenName,
      }),
    ],
    invalid: [
      [
        item('ProposeAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'Surname' },
          attribute: givenName,
        }),
        '$.attribute.value["@type"]',
      ],
      [
        item('ProposeAttributeRequestItem', { query: relationshipQuery, attribute: givenName }),
        '$.attribute["@type"]',
      ],
      [
        item('ProposeAttributeRequestItem', {
          query: {
            '@type': 'IQLQuery',
            queryString: 'GivenName',
            attributeCreationHints: { valueType: 'Surname' },
          },
          attribute: givenName,
        }),
        '$.attribute.value["@type"]',
      ],
      [
        item('ProposeAttributeRequestItem', {
          query: {
            '@type': 'ThirdPartyRelationshipAttributeQuery',
            key: 'k',
            owner: '',
            thirdParty: [owner],
          },
          attribute: relationshipAttribute,
        }),
        '$.query["@type"]',
      ],
    ],
  },
  CreateAttributeRequestItem: {
    valid: [
      item('CreateAttributeRequestItem', { attribute: givenName }),
      item('CreateAttributeRequestItem', { attribute: relationshipAttribute, mustBeAccepted: false }),
    ],
    invalid: [
      [item('CreateAttributeRequestItem', { attribute: { ...givenName, owner: 'x' } }), '$.attribute.owner'],
      [{ '@type': 'CreateAttributeRequestItem', attribute: givenName }, '$.mustBeAccepted'],
    ],
  },
  ShareAttributeRequestItem: {
    valid: [
      item('ShareAttributeRequestItem', { attribute: givenName, attributeId: testId('ATT') }),
      item('ShareAttributeRequestItem', {
        attribute: relationshipAttribute,
        attributeId: testId('ATT'),
        initialAttributePeer: testAddress(3),
      }),
    ],
    invalid: [
      [item('ShareAttributeRequestItem', { attribute: givenName, attributeId: 'REQ123' }), '$.attributeId'],
      [item('ShareAttributeRequestItem', { attribute: givenName }), '$.attributeId'],
      [
        item('ShareAttributeRequestItem', {
          attribute: givenName,
          attributeId: testId('ATT'),
          sourceAttributeId: 'x',
        }),
        '$.sourceAttributeId',
      ],
    ],
  },
  DeleteAttributeRequestItem: {
    valid: [item('DeleteAttributeRequestItem', { attributeId: testId('ATT') })],
    invalid: [[item('DeleteAttributeRequestItem', { attributeId: 7 }), '$.attributeId']],
  },
  ConsentRequestItem: {
    valid: [
      item('ConsentRequestItem', { consent: 'I agree to the privacy policy.' }),
      item('ConsentRequestItem', {
        consent: 'I agree.',
        link: 'https://acme.example/privacy',
        linkDisplayText: 'Privacy policy',
        requiresInteraction: true,
      }),
    ],
    invalid: [
      [item('ConsentRequestItem', { consent: 'c'.repeat(2001) }), '$.consent'],
      [item('ConsentRequestItem', { consent: 'ok', link: 'privacy policy' }), '$.link'],
    ],
  },
  AuthenticationRequestItem: {
    valid: [item('AuthenticationRequestItem', { title: 'Log in to the ACME portal' })],
    invalid: [
      [item('AuthenticationRequestItem', {}), '$.title'],
      [item('AuthenticationRequestItem', { title: 't'.repeat(201) }), '$.title'],
    ],
  },
  FormFieldRequestItem: {
    valid: [
      item('FormFieldRequestItem', {
        title: 'Comment',
        settings: { '@type': 'StringFormFieldSettings', allowNewlines: true, max: 500 },
      }),
      item('FormFieldRequestItem', {
        title: 'Age',
        settings: { '@type': 'IntegerFormFieldSettings', unit: 'years', min: 0, max: 150 },
      }),
      item('FormFieldRequestItem', {
        title: 'Weight',
        settings: { '@type': 'DoubleFormFieldSettings', unit: 'kg' },
      }),
      item('FormFieldRequestItem', {
        title: 'Newsletter?',
        settings: { '@type': 'BooleanFormFieldSettings' },
      }),
      item('FormFieldRequestItem', { title: 'Start', settings: { '@type': 'DateFormFieldSettings' } }),
      item('FormFieldRequestItem', {
        title: 'Rate us',
        settings: { '@type': 'RatingFormFieldSettings', maxRating: 5 },
      }),
      item('FormFieldRequestItem', {
        title: 'Pick',
        settings: {
          '@type': 'SelectionFormFieldSettings',
          options: ['a', 'b'],
          allowMultipleSelection: true,
        },
      }),
    ],
    invalid: [
      [item('FormFieldRequestItem', { settings: { '@type': 'BooleanFormFieldSettings' } }), '$.title'],
      [
        item('FormFieldRequestItem', { title: 'x', settings: { '@type': 'ColorFormFieldSettings' } }),
        '$.settings["@type"]',
      ],
      [
        item('FormFieldRequestItem', {
          title: 'x',
          settings: { '@type': 'RatingFormFieldSettings', maxRating: 11 },
        }),
        '$.settings.maxRating',
      ],
      [
        item('FormFieldRequestItem', {
          title: 'x',
          settings: { '@type': 'IntegerFormFieldSettings', min: 5, max: 1 },
        }),
        '$.settings.max',
      ],
      [
        item('FormFieldRequestItem', {
          title: 'x',
          settings: { '@type': 'StringFormFieldSettings', max: 5000 },
        }),
        '$.settings.max',
      ],
      [
        item('FormFieldRequestItem', {
          title: 'x',
          settings: { '@type': 'StringFormFieldSettings', allowNewlines: false },
        }),
        '$.settings.allowNewlines',
      ],
      [
        item('FormFieldRequestItem', {
          title: 'x',
          settings: { '@type': 'SelectionFormFieldSettings', options: [] },
        }),
        '$.settings.options',
      ],
      [
        item('FormFieldRequestItem', {
          title: 'x',
          settings: { '@type': 'SelectionFormFieldSettings', options: ['a', 'a'] },
        }),
        '$.settings.options',
      ],
    ],
  },
  TransferFileOwnershipRequestItem: {
    valid: [item('TransferFileOwnershipRequestItem', { fileReference, ownershipToken: 'AbC123' })],
    invalid: [
      [
        item('TransferFileOwnershipRequestItem', { fileReference: templateReference, ownershipToken: 'x' }),
        '$.fileReference',
      ],
      [
        item('TransferFileOwnershipRequestItem', { fileReference: 'garbage', ownershipToken: 'x' }),
        '$.fileReference',
      ],
      [item('TransferFileOwnershipRequestItem', { fileReference }), '$.ownershipToken'],
    ],
  },
  ShareCredentialOfferRequestItem: {
    valid: [
      item('ShareCredentialOfferRequestItem', {
        credentialOfferUrl: 'openid-credential-offer://?credential_offer_uri=x',
      }),
    ],
    invalid: [[item('ShareCredentialOfferRequestItem', { credentialOfferUrl: '' }), '$.credentialOfferUrl']],
  },
  ShareAuthorizationRequestRequestItem: {
    valid: [
      item('ShareAuthorizationRequestRequestItem', { authorizationRequestUrl: 'openid4vp://?request_uri=x' }),
    ],
    invalid: [[item('ShareAuthorizationRequestRequestItem', {}), '$.authorizationRequestUrl']],
  },
};

describe('request items', () => {
  it('covers every v7 request item', () => {
    expect(Object.keys(cases).sort()).toEqual(
      requestItemSchema.options.map((o) => o.shape['@type'].value).sort(),
    );
  });

  for (const [type, { valid, invalid }] of Object.entries(cases)) {
    describe(type, () => {
      it.each(valid.map((json) => [JSON.stringify(json).slice(0, 90), json]))('accepts %s', (_, json) => {
        expectRoundTrip(requestItemSchema, json);
      });
      it.each(invalid.map(([json, path]) => [path, JSON.stringify(json).slice(0, 90), json]))(
        'rejects at %s: %s',
        (path, _, json) => {
          expectFault(requestItemSchema, json, path);
        },
      );
      it('rejects wrong common fields', () => {
        const good = valid[0]!;
        expectFault(requestItemSchema, { ...good, mustBeAccepted: 'yes' }, '$.mustBeAccepted');
        expectFault(requestItemSchema, { ...good, description: 'd'.repeat(501) }, '$.description');
        expectFault(requestItemSchema, { ...good, metadata: 'm' }, '$.metadata');
        expectFault(requestItemSchema, { ...good, requireManualDecision: 1 }, '$.requireManualDecision');
        expectFault(requestItemSchema, { ...good, surprise: 1 }, '$.surprise');
      });
    });
  }
});
