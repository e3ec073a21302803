import { describe, expect, it } from 'vitest';
import { expectFault, expectRoundTrip, testAddress } from '../test-support.js';
import {
  attributeSchema,
  identityAttributeSchema,
  isWellFormedTag,
  relationshipAttributeSchema,
} from './attributes.js';

const owner = testAddress();
const identity = {
  '@type': 'IdentityAttribute',
  owner,
  value: { '@type': 'GivenName', value: 'Anna' },
};
const relationship = {
  '@type': 'RelationshipAttribute',
  owner,
  key: 'customerNumber',
  confidentiality: 'protected',
  value: { '@type': 'ProprietaryString', title: 'Customer number', value: 'K-4711' },
};

describe('IdentityAttribute', () => {
  it('accepts an attribute with and without tags and validity', () => {
    expectRoundTrip(identityAttributeSchema, identity);
    expectRoundTrip(identityAttributeSchema, { ...identity, tags: ['x:private', 'language:de'] });
    expectRoundTrip(identityAttributeSchema, {
      ...identity,
      validFrom: '2024-01-01T00:00:00.000Z',
      validTo: '2030-01-01T00:00:00.000Z',
    });
    expectRoundTrip(attributeSchema, identity);
  });

  it('checks the owner as an enmeshed address, with its checksum', () => {
    expectFault(identityAttributeSchema, { ...identity, owner: 'did:e:enmesh.example:dids:0123' }, '$.owner');
    const flipped = owner.slice(0, -1) + (owner.endsWith('0') ? '1' : '0');
    expectFault(identityAttributeSchema, { ...identity, owner: flipped }, '$.owner');
    expectFault(identityAttributeSchema, { ...identity, owner: undefined }, '$.owner');
  });

  it('points into the value when the value is wrong', () => {
    expectFault(
      identityAttributeSchema,
      { ...identity, value: { '@type': 'GivenName', value: 7 } },
      '$.value.value',
    );
    expectFault(
      identityAttributeSchema,
      { ...identity, value: { '@type': 'Consent', consent: 'x' } },
      '$.value["@type"]',
    );
  });

  it('limits tags', () => {
    expectFault(identityAttributeSchema, { ...identity, tags: Array(21).fill('x:t') }, '$.tags');
    expectFault(identityAttributeSchema, { ...identity, tags: ['x:ok', 'x'.repeat(251)] }, '$.tags[1]');
    expectFault(identityAttributeSchema, { ...identity, tags: ['x:ok', 'no-prefix'] }, '$.tags[1]');
    expectFault(identityAttributeSchema, { ...identity, tags: ['language:xx'] }, '$.tags[0]');
    expectFault(identityAttributeSchema, { ...identity, tags: 'x:t' }, '$.tags');
  });

  it('wants validity in order and knows no other fields', () => {
    expectFault(
      identityAttributeSchema,
      { ...identity, validFrom: '2030-01-01T00:00:00Z', validTo: '2024-01-01T00:00:00Z' },
      '$.validTo',
    );
    expectFault(identityAttributeSchema, { ...identity, validFrom: 'yesterday' }, '$.validFrom');
    expectFault(identityAttributeSchema, { ...identity, key: 'k' }, '$.key');
  });
});

describe('RelationshipAttribute', () => {
  it('accepts public, protected, private and technical attributes', () => {
    expectRoundTrip(relationshipAttributeSchema, relationship);
    for (const confidentiality of ['public', 'private']) {
      expectRoundTrip(relationshipAttributeSchema, { ...relationship, confidentiality, isTechnical: true });
    }
    expectRoundTrip(attributeSchema, relationship);
  });

  it('rejects a wrong confidentiality, key, owner or value', () => {
    expectFault(
      relationshipAttributeSchema,
      { ...relationship, confidentiality: 'secret' },
      '$.confidentiality',
    );
    expectFault(relationshipAttributeSchema, { ...relationship, key: 'k'.repeat(101) }, '$.key');
    expectFault(relationshipAttributeSchema, { ...relationship, key: undefined }, '$.key');
    expectFault(relationshipAttributeSchema, { ...relationship, owner: 'someone' }, '$.owner');
    expectFault(relationshipAttributeSchema, { ...relationship, isTechnical: 'yes' }, '$.isTechnical');
    expectFault(
      relationshipAttributeSchema,
      { ...relationship, value: { '@type': 'GivenName', value: 'Anna' } },
      '$.value["@type"]',
    );
  });

  it('tells the two kinds apart by @type', () => {
    expectFault(attributeSchema, { ...relationship, '@type': 'Attribute' }, '$["@type"]');
  });
});

describe('tags', () => {
  it('recognises the tag forms Enmeshed accepts', () => {
    for (const tag of ['bkb:emergency', 'x:mine', 'X:Mine', 'urn:a:b', 'language:de', 'mimetype:image/png']) {
      expect([tag, isWellFormedTag(tag)]).toEqual([tag, true]);
    }
    for (const tag of ['emergency', 'language:xx', 'mimetype:png', 'x:', 'bkb']) {
      expect([tag, isWellFormedTag(tag)]).toEqual([tag, false]);
    }
  });
});
