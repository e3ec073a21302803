import type { Request, Response } from '@enmesh/content';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOwnRelationshipAttribute,
  createPeerIdentityAttribute,
} from '../attributes/create-attributes.js';
import { addForwardingDetails } from '../attributes/forwarding.js';
import type { LocalAttribute } from '../attributes/local-attribute.js';
import { runInTransaction } from '../context.js';
import {
  createParty,
  type DatabaseKind,
  fileReference,
  item,
  namespaces,
  overTheWire,
  type Party,
} from '../testing/parties.js';
import { TestClock, testAddress } from '../testing/test-support.js';

const thirdParty = testAddress(9);

describe.each<[string, DatabaseKind, DatabaseKind]>([
  ['SQLite files', 'sqlite', 'sqlite'],
  ['PostgreSQL (organisation) and SQLite (person)', 'postgres', 'sqlite'],
])('a request with every item type, exchanged in process (%s)', (_name, orgDb, personDb) => {
  const clock = new TestClock();
  let org: Party;
  let person: Party;
  let displayNameId: string;
  let oldEmailId: string;
  let givenNameId: string;
  let membershipId: string;
  let credentialId: string;

  beforeAll(async () => {
    org = await createParty(21, orgDb, clock);
    person = await createParty(22, personDb, clock);
    const displayName = await org.consumption.attributes.createOwnIdentityAttribute({
      value: { '@type': 'DisplayName', value: 'Example Org' },
    });
    displayNameId = displayName.id;
    // An attribute the organisation shared earlier, which it will ask the person to delete.
    const oldEmail = await org.consumption.attributes.createOwnIdentityAttribute({
      value: { '@type': 'EMailAddress', value: 'old@org.example' },
    });
    oldEmailId = oldEmail.id;
    await runInTransaction(org.consumption.context, (tx) =>
      addForwardingDetails(tx, oldEmail, person.address, 'REQearlierearlierear'),
    );
    await runInTransaction(person.consumption.context, (tx) =>
      createPeerIdentityAttribute(tx, {
        id: oldEmail.id,
        content: oldEmail.content,
        peer: org.address,
        sourceReference: 'REQearlierearlierear',
      }),
    );
    givenNameId = (
      await person.consumption.attributes.createOwnIdentityAttribute({
        value: { '@type': 'GivenName', value: 'Ada' },
      })
    ).id;
    membershipId = (
      await runInTransaction(person.consumption.context, (tx) =>
        createOwnRelationshipAttribute(tx, {
          content: {
            '@type': 'RelationshipAttribute',
            owner: person.address,
            key: 'membership',
            confidentiality: 'public',
            value: { '@type': 'ProprietaryString', title: 'Member number', value: 'M-77' },
          },
          peer: thirdParty,
          sourceReference: 'REQthirdpartythirdpa',
        }),
      )
    ).id;
    credentialId = (
      await person.consumption.attributes.createOwnIdentityAttribute({
        value: { '@type': 'VerifiableCredential', value: 'eyJhbGciOi', type: 'jwt_vc' },
      })
    ).id;
    org.events.length = 0;
    person.events.length = 0;
  });

  afterAll(async () => {
    await org?.db.drop();
    await person?.db.drop();
  });

  it('ends with the right attributes, forwarding details, states and events on both sides', async () => {
    const content: Request = {
      '@type': 'Request',
      title: 'Onboarding',
      expiresAt: '2031-01-01T00:00:00.000Z',
      items: [
        item('AuthenticationRequestItem', { title: 'Log in to the customer portal' }),
        item('ReadAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
        }),
        item('ReadAttributeRequestItem', {
          query: {
            '@type': 'ThirdPartyRelationshipAttributeQuery',
            key: 'membership',
            owner: 'recipient',
            thirdParty: [thirdParty],
          },
        }),
        item('ProposeAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'BirthDate' },
          attribute: {
            '@type': 'IdentityAttribute',
            owner: person.address,
            value: { '@type': 'BirthDate', day: 1, month: 1, year: 1990 },
          },
        }),
        item('CreateAttributeRequestItem', {
          attribute: {
            '@type': 'RelationshipAttribute',
            owner: org.address,
            key: 'customerNumber',
            confidentiality: 'public',
            value: { '@type': 'ProprietaryString', title: 'Customer number', value: 'C-1001' },
          },
        }),
        item('ShareAttributeRequestItem', {
          attributeId: displayNameId,
          attribute: {
            '@type': 'IdentityAttribute',
            owner: org.address,
            value: { '@type': 'DisplayName', value: 'Example Org' },
          },
        }),
        item('DeleteAttributeRequestItem', { attributeId: oldEmailId }),
        {
          '@type': 'RequestItemGroup',
          title: 'Your preferences',
          items: [
            item('ConsentRequestItem', { consent: 'Send me the newsletter' }, false),
            item('FormFieldRequestItem', {
              title: 'Contact time',
              settings: { '@type': 'SelectionFormFieldSettings', options: ['morning', 'evening'] },
            }),
          ],
        },
        item('TransferFileOwnershipRequestItem', { fileReference, ownershipToken: 'ownership-token-1' }),
        item(
          'ShareCredentialOfferRequestItem',
          { credentialOfferUrl: 'openid-credential-offer://?x=1' },
          false,
        ),
        item('ShareAuthorizationRequestRequestItem', { authorizationRequestUrl: 'openid4vp://?y=2' }, false),
      ],
    } as Request;

    // The organisation creates and sends the request.
    const check = await org.consumption.outgoingRequests.canCreate({ content, peer: person.address });
    expect(check.isSuccess).toBe(true);
    const draft = await org.consumption.outgoingRequests.create({ content, peer: person.address });
    expect(draft.status).toBe('Draft');
    const sent = await org.consumption.outgoingRequests.sent({
      requestId: draft.id,
      messageId: 'MSGrequestrequestreq',
    });
    expect(sent.status).toBe('Open');
    const orgForwarding = await org.consumption.attributes.getForwardingDetails(oldEmailId, person.address);
    expect(orgForwarding[0]?.deletionInfo?.deletionStatus).toBe('DeletionRequestSent');

    // The person receives it and decides.
    const incoming = person.consumption.incomingRequests;
    const received = await incoming.received({
      content: overTheWire(sent.content),
      peer: org.address,
      source: { type: 'Message', reference: 'MSGrequestrequestreq' },
    });
    expect(received).toMatchObject({ id: draft.id, isOwn: false, status: 'Open' });
    await incoming.checkPrerequisites(draft.id);
    await incoming.requireManualDecision(draft.id);
    const decided = await incoming.accept(
      {
        requestId: draft.id,
        items: [
          { accept: true },
          { accept: true, existingAttributeId: givenNameId },
          { accept: true, existingAttributeId: membershipId },
          {
            accept: true,
            attribute: {
              '@type': 'IdentityAttribute',
              owner: person.address,
              value: { '@type': 'BirthDate', day: 2, month: 3, year: 1991 },
            },
          },
          { accept: true },
          { accept: true },
          { accept: true, deletionDate: '2030-02-01T00:00:00.000Z' },
          {
            items: [
              { accept: false, code: 'error.app.notNow' },
              { accept: true, response: 'evening' },
            ],
          },
          { accept: true },
          { accept: false },
          { accept: false },
        ],
      },
      { decider: 'device:DVCpersonsphone00000' },
    );
    expect(decided).toMatchObject({ status: 'Decided', decider: 'device:DVCpersonsphone00000' });
    expect(decided.wasAutomaticallyDecided).toBeUndefined();
    const response = decided.response?.content as Response;
    expect(response.result).toBe('Accepted');
    expect(response.items.map((i) => i['@type'])).toEqual([
      'AcceptResponseItem',
      'ReadAttributeAcceptResponseItem',
      'ReadAttributeAcceptResponseItem',
      'ProposeAttributeAcceptResponseItem',
      'CreateAttributeAcceptResponseItem',
      'AcceptResponseItem',
      'DeleteAttributeAcceptResponseItem',
      'ResponseItemGroup',
      'TransferFileOwnershipAcceptResponseItem',
      'RejectResponseItem',
      'RejectResponseItem',
    ]);
    expect(person.claimed).toEqual([fileReference]);

    // The organisation applies the response; the person completes its request.
    const completed = await org.consumption.outgoingRequests.complete({
      requestId: draft.id,
      response: overTheWire(response),
      responseSource: { type: 'Message', reference: 'MSGresponseresponser' },
    });
    expect(completed.status).toBe('Completed');
    expect(completed.response?.source).toEqual({ type: 'Message', reference: 'MSGresponseresponser' });
    const done = await incoming.complete({
      requestId: draft.id,
      responseSource: { type: 'Message', reference: 'MSGresponseresponser' },
    });
    expect(done.status).toBe('Completed');

    // The person's side.
    const personAttributes = await person.consumption.attributes.getAttributes();
    const byValue = (list: LocalAttribute[], type: string) =>
      list.filter((a) => a.content.value['@type'] === type);
    const birthDate = byValue(personAttributes, 'BirthDate')[0]!;
    const customerNumber = byValue(personAttributes, 'ProprietaryString').find(
      (a) => a.content.owner === org.address,
    )!;
    const fileAttribute = byValue(personAttributes, 'IdentityFileReference')[0]!;
    expect(birthDate).toMatchObject({
      '@type': 'OwnIdentityAttribute',
      isDefault: true,
      numberOfForwards: 1,
    });
    expect(customerNumber).toMatchObject({
      '@type': 'PeerRelationshipAttribute',
      peer: org.address,
      sourceReference: draft.id,
    });
    expect(fileAttribute).toMatchObject({ '@type': 'OwnIdentityAttribute', numberOfForwards: 1 });
    expect(await person.consumption.attributes.getAttribute(displayNameId)).toMatchObject({
      '@type': 'PeerIdentityAttribute',
      peer: org.address,
      sourceReference: draft.id,
    });
    expect(await person.consumption.attributes.getAttribute(oldEmailId)).toMatchObject({
      deletionInfo: { deletionStatus: 'ToBeDeleted', deletionDate: '2030-02-01T00:00:00.000Z' },
    });
    for (const id of [givenNameId, membershipId, birthDate.id]) {
      const details = await person.consumption.attributes.getForwardingDetails(id);
      expect(details).toMatchObject([{ peer: org.address, sourceReference: draft.id }]);
    }
    expect(await person.consumption.attributes.getForwardingDetails(credentialId)).toEqual([]);

    // The organisation's side: the peer's copies under the person's ids.
    expect(await org.consumption.attributes.getAttribute(givenNameId)).toMatchObject({
      '@type': 'PeerIdentityAttribute',
      peer: person.address,
      sourceReference: draft.id,
      content: { value: { value: 'Ada' } },
    });
    expect(await org.consumption.attributes.getAttribute(birthDate.id)).toMatchObject({
      '@type': 'PeerIdentityAttribute',
      content: { value: { day: 2, month: 3, year: 1991 } },
    });
    expect(await org.consumption.attributes.getAttribute(membershipId)).toMatchObject({
      '@type': 'ThirdPartyRelationshipAttribute',
      peer: person.address,
      initialAttributePeer: thirdParty,
    });
    expect(await org.consumption.attributes.getAttribute(customerNumber.id)).toMatchObject({
      '@type': 'OwnRelationshipAttribute',
      peer: person.address,
    });
    expect(await org.consumption.attributes.getAttribute(fileAttribute.id)).toMatchObject({
      '@type': 'PeerIdentityAttribute',
      content: { value: { '@type': 'IdentityFileReference', value: fileReference } },
    });
    expect(await org.consumption.attributes.getForwardingDetails(displayNameId)).toMatchObject([
      { peer: person.address, sourceReference: draft.id },
    ]);
    expect((await org.consumption.attributes.getForwardingDetails(oldEmailId))[0]?.deletionInfo).toEqual({
      deletionStatus: 'ToBeDeletedByRecipient',
      deletionDate: '2030-02-01T00:00:00.000Z',
    });

    // Events, in order.
    const requestEvents = (events: Party['events']) =>
      events
        .filter((e) => /coming|going/.test(e.namespace))
        .map((e) =>
          'newStatus' in (e.data as object)
            ? `${e.namespace}:${(e.data as { newStatus: string }).newStatus}`
            : e.namespace,
        );
    expect(requestEvents(person.events)).toEqual([
      'consumption.incomingRequestReceived',
      'consumption.incomingRequestStatusChanged:DecisionRequired',
      'consumption.incomingRequestStatusChanged:ManualDecisionRequired',
      'consumption.incomingRequestStatusChanged:Decided',
      'consumption.incomingRequestStatusChanged:Completed',
    ]);
    const personNames = namespaces(person.events);
    const decidedAt = personNames.indexOf('consumption.incomingRequestStatusChanged', 2 + 1);
    const firstAttributeEvent = personNames.findIndex((n) => n.startsWith('consumption.attribute'));
    expect(firstAttributeEvent).toBeGreaterThan(personNames.indexOf('consumption.incomingRequestReceived'));
    expect(firstAttributeEvent).toBeLessThan(decidedAt);
    expect(personNames).toContain('consumption.shareCredentialOfferRequestItemProcessedByRecipient');
    expect(requestEvents(org.events)).toEqual([
      'consumption.outgoingRequestCreated',
      'consumption.outgoingRequestStatusChanged:Open',
      'consumption.outgoingRequestStatusChanged:Completed',
    ]);
    expect(namespaces(org.events).filter((n) => n === 'consumption.attributeCreated')).toHaveLength(5);
  });
});
