/**
 * One valid example of every content type, for the unit tests only (never re-exported).
 */
import type { ContentType } from './parse.js';
import { testAddress, testId } from './test-support.js';

const alice = testAddress(1);
const bob = testAddress(2);
const givenName = { '@type': 'IdentityAttribute', owner: bob, value: { '@type': 'GivenName', value: 'Bob' } };
const request = {
  '@type': 'Request',
  id: testId('REQ'),
  items: [
    {
      '@type': 'ReadAttributeRequestItem',
      mustBeAccepted: true,
      query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
    },
    {
      '@type': 'RequestItemGroup',
      title: 'Terms',
      items: [{ '@type': 'ConsentRequestItem', mustBeAccepted: true, consent: 'I accept the terms.' }],
    },
  ],
};
const response = {
  '@type': 'Response',
  result: 'Accepted',
  requestId: testId('REQ'),
  items: [
    {
      '@type': 'ReadAttributeAcceptResponseItem',
      result: 'Accepted',
      attributeId: testId('ATT'),
      attribute: givenName,
    },
    { '@type': 'ResponseItemGroup', items: [{ '@type': 'AcceptResponseItem', result: 'Accepted' }] },
  ],
};
const secretKey = { key: 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE', alg: 3 };

/** A valid example of each content type. */
export const examples: Record<ContentType, Record<string, unknown>> = {
  Mail: {
    '@type': 'Mail',
    to: [bob],
    cc: [alice],
    subject: 'Hello',
    body: '**Hi** Bob',
    bodyFormat: 'Markdown',
  },
  ArbitraryMessageContent: {
    '@type': 'ArbitraryMessageContent',
    value: { orderId: 42, lines: [{ sku: 'A-1' }] },
  },
  Request: request,
  Response: response,
  ResponseWrapper: {
    '@type': 'ResponseWrapper',
    requestId: testId('REQ'),
    requestSourceReference: testId('RLT'),
    requestSourceType: 'RelationshipTemplate',
    response,
  },
  Notification: {
    '@type': 'Notification',
    id: testId('NOT'),
    items: [
      {
        '@type': 'PeerAttributeSucceededNotificationItem',
        predecessorId: testId('ATT', 1),
        successorId: testId('ATT', 2),
        successorContent: givenName,
      },
      { '@type': 'OwnAttributeDeletedByOwnerNotificationItem', attributeId: testId('ATT', 3) },
      { '@type': 'PeerRelationshipAttributeDeletedByPeerNotificationItem', attributeId: testId('ATT', 4) },
      { '@type': 'ForwardedAttributeDeletedByPeerNotificationItem', attributeId: testId('ATT', 5) },
    ],
  },
  RelationshipTemplateContent: {
    '@type': 'RelationshipTemplateContent',
    title: 'Become a customer',
    metadata: { campaign: 'spring' },
    onNewRelationship: request,
    onExistingRelationship: { '@type': 'Request', items: [request.items[0]] },
  },
  ArbitraryRelationshipTemplateContent: { '@type': 'ArbitraryRelationshipTemplateContent', value: 'hello' },
  RelationshipCreationContent: { '@type': 'RelationshipCreationContent', response },
  ArbitraryRelationshipCreationContent: { '@type': 'ArbitraryRelationshipCreationContent', value: [1, 2, 3] },
  TokenContentRelationshipTemplate: {
    '@type': 'TokenContentRelationshipTemplate',
    templateId: testId('RLT'),
    secretKey,
    forIdentity: bob,
    passwordProtection: {
      passwordType: 'pin6',
      salt: 'c2FsdHNhbHRzYWx0c2FsdA',
      passwordLocationIndicator: 4,
    },
  },
  TokenContentFile: { '@type': 'TokenContentFile', fileId: testId('FIL'), secretKey },
  TokenContentDeviceSharedSecret: {
    '@type': 'TokenContentDeviceSharedSecret',
    sharedSecret: { id: 'DVC1', identity: { address: alice } },
  },
  TokenContentVerifiablePresentation: {
    '@type': 'TokenContentVerifiablePresentation',
    value: 'eyJ0eXAiOiJ2cCtzZC1qd3QifQ...',
    type: 'vp+sd-jwt',
    displayInformation: [{ name: 'Student card' }],
  },
  IdentityAttribute: { ...givenName, tags: ['x:official'] },
  RelationshipAttribute: {
    '@type': 'RelationshipAttribute',
    owner: alice,
    key: 'newsletter',
    isTechnical: false,
    confidentiality: 'private',
    value: { '@type': 'Consent', consent: 'Send me the newsletter', link: 'https://acme.example/newsletter' },
  },
  IdentityAttributeQuery: { '@type': 'IdentityAttributeQuery', valueType: 'StreetAddress', tags: ['x:home'] },
  RelationshipAttributeQuery: {
    '@type': 'RelationshipAttributeQuery',
    key: 'newsletter',
    owner: '',
    attributeCreationHints: { title: 'Newsletter', valueType: 'Consent', confidentiality: 'private' },
  },
  ThirdPartyRelationshipAttributeQuery: {
    '@type': 'ThirdPartyRelationshipAttributeQuery',
    key: 'memberId',
    owner: 'thirdParty',
    thirdParty: [alice],
  },
  IQLQuery: { '@type': 'IQLQuery', queryString: "StreetAddress.country=DE && #'x:home'" },
};
