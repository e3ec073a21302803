import type { LocalRequestDTO, RelationshipDTO } from '@enmesh/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import { gapFree, item, names, ofKind, requestReaches, servicesOf } from './consumption-kit.js';
import { inDays, removeTestRuntime, startTestRuntime, type TestRuntime } from './runtime-kit.js';

const active = (data: RelationshipDTO) => data.status === 'Active';
const requestEvents = (name: string) =>
  name.includes('Request') || name.includes('relationshipTemplate') || name.includes('TemplateLoaded');

describe('a relationship template whose request holds every item type', () => {
  let stack: TestStack;
  let org: TestRuntime;
  let person: TestRuntime;

  beforeAll(async () => {
    stack = await startTestStack();
    [org, person] = await Promise.all([
      startTestRuntime(stack, { runtime: { autoAcceptRelationships: true } }),
      startTestRuntime(stack),
    ]);
  });

  afterAll(async () => {
    await Promise.all([org?.close(), person?.close()]);
    await Promise.all([org && removeTestRuntime(org), person && removeTestRuntime(person)]);
    await stack?.destroy();
  });

  it('is answered with the relationship request; both sides end with the attributes, sharings and states', async () => {
    const o = servicesOf(org);
    const p = servicesOf(person);
    const displayName = await o.attributes.createOwnIdentityAttribute({
      content: { value: { '@type': 'DisplayName', value: 'Example Org' } },
    });
    const givenName = await p.attributes.createOwnIdentityAttribute({
      content: { value: { '@type': 'GivenName', value: 'Ada' } },
    });
    const contract = await o.transport.files.uploadOwnFile({
      content: new TextEncoder().encode('the contract'),
      filename: 'contract.txt',
      mimetype: 'text/plain',
    });
    const onNewRelationship = {
      '@type': 'Request',
      title: 'Welcome',
      items: [
        item('AuthenticationRequestItem', { title: 'Log in to the portal' }),
        item('ReadAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
        }),
        item('ReadAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'EMailAddress' },
        }),
        item('ProposeAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'BirthDate' },
          attribute: {
            '@type': 'IdentityAttribute',
            owner: p.address,
            value: { '@type': 'BirthDate', day: 1, month: 1, year: 1990 },
          },
        }),
        item('CreateAttributeRequestItem', {
          attribute: {
            '@type': 'RelationshipAttribute',
            owner: o.address,
            key: 'customerNumber',
            confidentiality: 'public',
            value: { '@type': 'ProprietaryString', title: 'Customer number', value: 'C-1001' },
          },
        }),
        item('ShareAttributeRequestItem', { attributeId: displayName.id, attribute: displayName.content }),
        {
          '@type': 'RequestItemGroup',
          title: 'Preferences',
          items: [
            item('ConsentRequestItem', { consent: 'Send me the newsletter' }, false),
            item('FormFieldRequestItem', {
              title: 'Contact time',
              settings: { '@type': 'SelectionFormFieldSettings', options: ['morning', 'evening'] },
            }),
          ],
        },
        item('TransferFileOwnershipRequestItem', {
          fileReference: contract.reference.truncated,
          ownershipToken: contract.ownershipToken,
        }),
        item(
          'ShareCredentialOfferRequestItem',
          { credentialOfferUrl: 'openid-credential-offer://?x=1' },
          false,
        ),
        item('ShareAuthorizationRequestRequestItem', { authorizationRequestUrl: 'openid4vp://?y=2' }, false),
      ],
    };
    expect(
      await o.outgoingRequests.canCreate({ content: onNewRelationship }),
      'the template request is valid',
    ).toMatchObject({ isSuccess: true });
    const template = await o.transport.relationshipTemplates.createOwnRelationshipTemplate({
      content: { '@type': 'RelationshipTemplateContent', title: 'Onboarding', onNewRelationship },
      expiresAt: inDays(1),
      forIdentity: p.address,
    });

    // The person loads the template: an incoming request waits for a person (it holds Authentication).
    await p.transport.relationshipTemplates.loadPeerRelationshipTemplate({
      reference: template.reference.url,
    });
    const waiting = await requestReaches(person, 'incoming', 'ManualDecisionRequired');
    expect(waiting).toMatchObject({
      isOwn: false,
      peer: o.address,
      source: { type: 'RelationshipTemplate', reference: template.id },
    });
    const processed = await person.next('consumption.relationshipTemplateProcessed');
    expect(processed.data).toMatchObject({ result: 'ManualRequestDecisionRequired', requestId: waiting.id });
    expect(await p.incomingRequests.getRequests({ query: { 'source.reference': template.id } })).toHaveLength(
      1,
    );

    const decision: Parameters<typeof p.incomingRequests.accept>[0] = {
      requestId: waiting.id,
      items: [
        { accept: true },
        { accept: true, existingAttributeId: givenName.id },
        {
          accept: true,
          newAttribute: {
            '@type': 'IdentityAttribute',
            owner: p.address,
            value: { '@type': 'EMailAddress', value: 'ada@example.org' },
          },
        },
        {
          accept: true,
          attribute: {
            '@type': 'IdentityAttribute',
            owner: p.address,
            value: { '@type': 'BirthDate', day: 2, month: 3, year: 1991 },
          },
        },
        { accept: true },
        { accept: true },
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
    };
    expect(await p.incomingRequests.canAccept(decision)).toMatchObject({ isSuccess: true });
    const decided = await p.incomingRequests.accept(decision);
    expect(decided.status).toBe('Decided');

    // The person's runtime requests the relationship with the response and completes the request.
    const completed = await requestReaches(person, 'incoming', 'Completed', waiting.id);
    expect(completed.response?.source?.type).toBe('Relationship');
    const relationshipId = completed.response!.source!.reference;
    const pending = await p.transport.relationships.getRelationship({ id: relationshipId });
    expect(pending.creationContent).toEqual({
      '@type': 'RelationshipCreationContent',
      response: decided.response?.content,
    });

    // The organisation applies the response and (as configured) accepts the relationship.
    const applied = await org.next('consumption.outgoingRequestFromRelationshipCreationCreatedAndCompleted');
    const outgoing = applied.data as LocalRequestDTO;
    expect(outgoing).toMatchObject({
      id: waiting.id,
      isOwn: true,
      peer: p.address,
      status: 'Completed',
      source: { type: 'RelationshipTemplate', reference: template.id },
      response: { source: { type: 'Relationship', reference: relationshipId } },
    });
    await org.next('transport.relationshipChanged', active);
    await person.next('transport.relationshipChanged', active);

    // The person's attributes: own ones shared with the organisation, and the organisation's.
    const mine = await p.attributes.getAttributes();
    const sharedWithOrg = await p.attributes.getOwnAttributesSharedWithPeer({ peer: o.address });
    expect(sharedWithOrg.map((a) => a.content.value['@type']).sort()).toEqual([
      'BirthDate',
      'EMailAddress',
      'GivenName',
      'IdentityFileReference',
    ]);
    expect(await p.attributes.getForwardingDetailsOfAttribute({ attributeId: givenName.id })).toEqual([
      { peer: o.address, sourceReference: waiting.id, sharedAt: expect.any(String) },
    ]);
    expect(ofKind(mine, 'PeerIdentityAttribute', 'DisplayName')[0]).toMatchObject({
      id: displayName.id,
      peer: o.address,
      sourceReference: waiting.id,
    });
    expect(ofKind(mine, 'PeerRelationshipAttribute', 'ProprietaryString')[0]?.content).toMatchObject({
      key: 'customerNumber',
      owner: o.address,
    });
    const fileAttribute = ofKind(mine, 'OwnIdentityAttribute', 'IdentityFileReference')[0];
    expect(fileAttribute?.content.value).toEqual({
      '@type': 'IdentityFileReference',
      value: contract.reference.truncated,
    });

    // The organisation's attributes: the person's, and its own shared with the person.
    const peerAttributes = await o.attributes.getPeerAttributes({ peer: p.address });
    expect(peerAttributes.map((a) => `${a['@type']}:${a.content.value['@type']}`).sort()).toEqual([
      'PeerIdentityAttribute:BirthDate',
      'PeerIdentityAttribute:EMailAddress',
      'PeerIdentityAttribute:GivenName',
      'PeerIdentityAttribute:IdentityFileReference',
    ]);
    expect(ofKind(peerAttributes, 'PeerIdentityAttribute', 'GivenName')[0]?.id).toBe(givenName.id);
    const orgShared = await o.attributes.getOwnAttributesSharedWithPeer({ peer: p.address });
    expect(orgShared.map((a) => `${a['@type']}:${a.content.value['@type']}`).sort()).toEqual([
      'OwnIdentityAttribute:DisplayName',
      'OwnRelationshipAttribute:ProprietaryString',
    ]);
    const contractNow = await p.transport.files.getOrLoadFile({ reference: contract.reference.truncated });
    expect(contractNow.owner, 'the file belongs to the person now').toBe(p.address);

    // The request states on both sides.
    expect((await p.incomingRequests.getRequest({ id: waiting.id })).status).toBe('Completed');
    expect(
      await o.outgoingRequests.getRequests({
        query: { status: 'Completed', 'source.type': 'RelationshipTemplate' },
      }),
    ).toHaveLength(1);

    // The events, numbered without gaps, in the order they happened.
    expect(gapFree(person.events) && gapFree(org.events)).toBe(true);
    expect(names(person.events, requestEvents)).toEqual([
      'transport.peerRelationshipTemplateLoaded',
      'consumption.incomingRequestReceived',
      'consumption.incomingRequestStatusChanged:DecisionRequired',
      'consumption.incomingRequestStatusChanged:ManualDecisionRequired',
      'consumption.relationshipTemplateProcessed',
      'consumption.shareCredentialOfferRequestItemProcessedByRecipient',
      'consumption.incomingRequestStatusChanged:Decided',
      'consumption.incomingRequestStatusChanged:Completed',
    ]);
    const personAll = names(person.events);
    const decidedAt = personAll.indexOf('consumption.incomingRequestStatusChanged:Decided');
    const manualAt = personAll.indexOf('consumption.incomingRequestStatusChanged:ManualDecisionRequired');
    const created = personAll.slice(manualAt, decidedAt).filter((n) => n === 'consumption.attributeCreated');
    expect(created, 'accepting created email, birth date, customer number, display name, file').toHaveLength(
      5,
    );
    const orgAll = names(org.events);
    const pendingAt = orgAll.indexOf('transport.relationshipChanged:Pending');
    expect(orgAll.slice(pendingAt)).toEqual([
      'transport.relationshipChanged:Pending',
      // The person's given name, email and birth date, the customer number, the display name, the file.
      'consumption.attributeCreated',
      'consumption.attributeCreated',
      'consumption.attributeCreated',
      'consumption.attributeCreated',
      'consumption.attributeForwardingDetailsChanged',
      'consumption.attributeCreated',
      'consumption.outgoingRequestFromRelationshipCreationCreatedAndCompleted',
      'transport.relationshipChanged:Active',
    ]);
  });
});
