import { describe, it } from 'vitest';
import { expectFault, expectRoundTrip, testAddress } from '../test-support.js';
import {
  attributeQuerySchema,
  identityAttributeQuerySchema,
  iqlQuerySchema,
  relationshipAttributeQuerySchema,
  thirdPartyRelationshipAttributeQuerySchema,
} from './queries.js';

const owner = testAddress();
const hints = { title: 'Customer number', valueType: 'ProprietaryString', confidentiality: 'public' };
const relationshipQuery = {
  '@type': 'RelationshipAttributeQuery',
  key: 'customerNumber',
  owner,
  attributeCreationHints: hints,
};
const thirdPartyQuery = {
  '@type': 'ThirdPartyRelationshipAttributeQuery',
  key: 'customerNumber',
  owner: 'thirdParty',
  thirdParty: [testAddress(2)],
};

describe('attribute queries', () => {
  it('accepts each kind of query', () => {
    for (const query of [
      { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
      { '@type': 'IdentityAttributeQuery', valueType: 'PhoneNumber', tags: ['x:mobile'] },
      relationshipQuery,
      { ...relationshipQuery, owner: '' },
      {
        ...relationshipQuery,
        attributeCreationHints: {
          ...hints,
          '@type': 'RelationshipAttributeCreationHints',
          description: 'Your number with us',
          valueHints: { '@type': 'ValueHints', max: 20, pattern: '^K-\\d+$', propertyHints: {} },
        },
      },
      thirdPartyQuery,
      { ...thirdPartyQuery, owner: '' },
      { '@type': 'IQLQuery', queryString: 'PhoneNumber && #emergency' },
      {
        '@type': 'IQLQuery',
        queryString: 'GivenName',
        attributeCreationHints: { valueType: 'GivenName', tags: ['x:a'] },
      },
    ]) {
      expectRoundTrip(attributeQuerySchema, query);
    }
  });

  it('rejects wrong queries at the offending field', () => {
    expectFault(
      identityAttributeQuerySchema,
      { '@type': 'IdentityAttributeQuery', valueType: 'Consent' },
      '$.valueType',
    );
    expectFault(identityAttributeQuerySchema, { '@type': 'IdentityAttributeQuery' }, '$.valueType');
    expectFault(relationshipAttributeQuerySchema, { ...relationshipQuery, owner: 'me' }, '$.owner');
    expectFault(
      relationshipAttributeQuerySchema,
      { ...relationshipQuery, attributeCreationHints: { ...hints, valueType: 'GivenName' } },
      '$.attributeCreationHints.valueType',
    );
    expectFault(
      relationshipAttributeQuerySchema,
      { ...relationshipQuery, attributeCreationHints: { ...hints, confidentiality: undefined } },
      '$.attributeCreationHints.confidentiality',
    );
    expectFault(
      relationshipAttributeQuerySchema,
      { ...relationshipQuery, attributeCreationHints: { ...hints, valueHints: { max: '20' } } },
      '$.attributeCreationHints.valueHints.max',
    );
    expectFault(
      thirdPartyRelationshipAttributeQuerySchema,
      { ...thirdPartyQuery, thirdParty: [] },
      '$.thirdParty',
    );
    expectFault(thirdPartyRelationshipAttributeQuerySchema, { ...thirdPartyQuery, owner: 'peer' }, '$.owner');
    expectFault(
      thirdPartyRelationshipAttributeQuerySchema,
      { ...thirdPartyQuery, thirdParty: [owner, 'x'] },
      '$.thirdParty[1]',
    );
    expectFault(iqlQuerySchema, { '@type': 'IQLQuery', queryString: 'PhoneNumber &&' }, '$.queryString');
    expectFault(
      iqlQuerySchema,
      { '@type': 'IQLQuery', queryString: `#${'x'.repeat(4096)}` },
      '$.queryString',
    );
    expectFault(
      iqlQuerySchema,
      { '@type': 'IQLQuery', queryString: 'GivenName', attributeCreationHints: { valueType: 'Nope' } },
      '$.attributeCreationHints.valueType',
    );
    expectFault(attributeQuerySchema, { '@type': 'SQLQuery', queryString: 'SELECT 1' }, '$["@type"]');
  });
});
