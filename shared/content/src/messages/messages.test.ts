import { describe, it } from 'vitest';
import { examples } from '../test-examples.js';
import { expectFault, expectRoundTrip, testAddress, testId } from '../test-support.js';
import { arbitraryMessageContentSchema, mailSchema, notificationSchema } from './message-contents.js';
import {
  arbitraryRelationshipCreationContentSchema,
  relationshipCreationContentSchema,
  relationshipTemplateContentSchema,
} from './relationship-contents.js';
import {
  tokenContentDeviceSharedSecretSchema,
  tokenContentFileSchema,
  tokenContentRelationshipTemplateSchema,
  tokenContentVerifiablePresentationSchema,
} from './token-contents.js';

const mail = examples.Mail;

describe('Mail', () => {
  it('accepts plain text and Markdown mails, and mails without a body format or copies', () => {
    expectRoundTrip(mailSchema, mail);
    expectRoundTrip(mailSchema, { ...mail, bodyFormat: 'PlainText' });
    expectRoundTrip(mailSchema, { '@type': 'Mail', to: [testAddress(3)], subject: '', body: '' });
  });

  it('rejects wrong recipients, formats and sizes at the offending field', () => {
    expectFault(mailSchema, { ...mail, to: [] }, '$.to');
    expectFault(mailSchema, { ...mail, to: [testAddress(3), 'bob'] }, '$.to[1]');
    expectFault(mailSchema, { ...mail, cc: 'bob' }, '$.cc');
    expectFault(mailSchema, { ...mail, bodyFormat: 'HTML' }, '$.bodyFormat');
    expectFault(mailSchema, { ...mail, subject: 's'.repeat(301) }, '$.subject');
    expectFault(mailSchema, { ...mail, body: 'b'.repeat(50_001) }, '$.body');
    expectFault(mailSchema, { ...mail, content: 'old field' }, '$.content');
  });
});

describe('other message contents', () => {
  it('carries arbitrary JSON as is', () => {
    expectRoundTrip(arbitraryMessageContentSchema, examples.ArbitraryMessageContent);
    expectRoundTrip(arbitraryMessageContentSchema, { '@type': 'ArbitraryMessageContent', value: null });
    expectFault(arbitraryMessageContentSchema, { '@type': 'ArbitraryMessageContent' }, '$.value');
  });

  it('checks notifications and each of their items', () => {
    expectRoundTrip(notificationSchema, examples.Notification);
    const legacy = {
      '@type': 'Notification',
      id: testId('NOT'),
      items: [
        { '@type': 'OwnSharedAttributeDeletedByOwnerNotificationItem', attributeId: testId('ATT') },
        { '@type': 'PeerSharedAttributeDeletedByPeerNotificationItem', attributeId: testId('ATT') },
        {
          '@type': 'ThirdPartyRelationshipAttributeDeletedByPeerNotificationItem',
          attributeId: testId('ATT'),
        },
      ],
    };
    expectRoundTrip(notificationSchema, legacy);
    expectFault(notificationSchema, { ...legacy, id: testId('MSG') }, '$.id');
    expectFault(notificationSchema, { ...legacy, items: [] }, '$.items');
    expectFault(notificationSchema, { ...legacy, items: [{ '@type': 'Ping' }] }, '$.items[0]["@type"]');
    expectFault(
      notificationSchema,
      { ...legacy, items: [{ '@type': 'OwnAttributeDeletedByOwnerNotificationItem' }] },
      '$.items[0].attributeId',
    );
    const succeeded = (examples.Notification.items as Record<string, unknown>[])[0]!;
    expectFault(
      notificationSchema,
      { ...legacy, items: [{ ...succeeded, successorContent: { '@type': 'IdentityAttribute' } }] },
      '$.items[0].successorContent.owner',
    );
  });
});

describe('relationship contents', () => {
  it('checks template and creation contents down to their items', () => {
    expectRoundTrip(relationshipTemplateContentSchema, examples.RelationshipTemplateContent);
    expectRoundTrip(relationshipCreationContentSchema, examples.RelationshipCreationContent);
    expectRoundTrip(
      arbitraryRelationshipCreationContentSchema,
      examples.ArbitraryRelationshipCreationContent,
    );
    const template = examples.RelationshipTemplateContent;
    expectFault(
      relationshipTemplateContentSchema,
      { ...template, onNewRelationship: undefined },
      '$.onNewRelationship',
    );
    expectFault(
      relationshipTemplateContentSchema,
      {
        ...template,
        onExistingRelationship: {
          '@type': 'Request',
          items: [{ '@type': 'ConsentRequestItem', consent: 'x' }],
        },
      },
      '$.onExistingRelationship.items[0].mustBeAccepted',
    );
    expectFault(
      relationshipCreationContentSchema,
      { '@type': 'RelationshipCreationContent', response: {} },
      '$.response["@type"]',
    );
  });
});

describe('token contents', () => {
  it('accepts each token content and rejects wrong fields', () => {
    expectRoundTrip(tokenContentRelationshipTemplateSchema, examples.TokenContentRelationshipTemplate);
    expectRoundTrip(tokenContentFileSchema, examples.TokenContentFile);
    expectRoundTrip(tokenContentDeviceSharedSecretSchema, examples.TokenContentDeviceSharedSecret);
    expectRoundTrip(tokenContentVerifiablePresentationSchema, examples.TokenContentVerifiablePresentation);
    const template = examples.TokenContentRelationshipTemplate;
    expectFault(
      tokenContentRelationshipTemplateSchema,
      { ...template, templateId: testId('TOK') },
      '$.templateId',
    );
    expectFault(
      tokenContentRelationshipTemplateSchema,
      { ...template, secretKey: { key: '!', alg: 3 } },
      '$.secretKey.key',
    );
    expectFault(
      tokenContentRelationshipTemplateSchema,
      { ...template, passwordProtection: { passwordType: 'pin3', salt: 'c2FsdHNhbHRzYWx0c2FsdA' } },
      '$.passwordProtection.passwordType',
    );
    expectFault(tokenContentRelationshipTemplateSchema, { ...template, forIdentity: 'bob' }, '$.forIdentity');
    expectFault(tokenContentFileSchema, { ...examples.TokenContentFile, fileId: undefined }, '$.fileId');
    expectFault(
      tokenContentDeviceSharedSecretSchema,
      { '@type': 'TokenContentDeviceSharedSecret', sharedSecret: 'x' },
      '$.sharedSecret',
    );
    expectFault(
      tokenContentVerifiablePresentationSchema,
      { ...examples.TokenContentVerifiablePresentation, type: '' },
      '$.type',
    );
  });
});
