import type { LocalNotificationDTO, LocalRequestDTO } from '@enmesh/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import { waitFor } from '../kit/wait.js';
import { gapFree, item, names, ofKind, requestReaches, servicesOf } from './consumption-kit.js';
import { inDays, relate, removeTestRuntime, startTestRuntime, type TestRuntime } from './runtime-kit.js';

const outgoingOnly = (name: string) =>
  name.includes('outgoingRequest') || name.startsWith('transport.message');
const incomingOnly = (name: string) =>
  name.includes('incomingRequest') || name.startsWith('transport.message');

describe('requests and notifications over an existing relationship', () => {
  let stack: TestStack;
  let org: TestRuntime;
  let person: TestRuntime;
  const o = () => servicesOf(org);
  const p = () => servicesOf(person);
  let displayNameId: string;
  let givenNameId: string;
  let emailId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    [org, person] = await Promise.all([startTestRuntime(stack), startTestRuntime(stack)]);
    await relate(org, person);
  });

  afterAll(async () => {
    await Promise.all([org?.close(), person?.close()]);
    await Promise.all([org && removeTestRuntime(org), person && removeTestRuntime(person)]);
    await stack?.destroy();
  });

  it('a request sent by message is answered with a ResponseWrapper that completes it', async () => {
    const displayName = await o().attributes.createOwnIdentityAttribute({
      content: { value: { '@type': 'DisplayName', value: 'Example Org' } },
    });
    displayNameId = displayName.id;
    givenNameId = (
      await p().attributes.createOwnIdentityAttribute({
        content: { value: { '@type': 'GivenName', value: 'Ada' } },
      })
    ).id;
    const orgStart = org.events.at(-1)?.sequence ?? 0;
    const personStart = person.events.at(-1)?.sequence ?? 0;

    const draft = await o().outgoingRequests.create({
      peer: p().address,
      content: {
        items: [
          item('ShareAttributeRequestItem', { attributeId: displayName.id, attribute: displayName.content }),
          item('ReadAttributeRequestItem', {
            query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
          }),
          item('FormFieldRequestItem', {
            title: 'Rating',
            settings: { '@type': 'RatingFormFieldSettings', maxRating: 5 },
          }),
        ],
      },
    });
    expect(draft.status).toBe('Draft');
    const sent = await o().transport.messages.sendMessage({
      recipients: [p().address],
      content: draft.content,
    });
    const open = await requestReaches(org, 'outgoing', 'Open', draft.id);
    expect(open.source).toEqual({ type: 'Message', reference: sent.id });

    const waiting = await requestReaches(person, 'incoming', 'ManualDecisionRequired', draft.id);
    expect(waiting.source).toEqual({ type: 'Message', reference: sent.id });
    await p().incomingRequests.accept({
      requestId: draft.id,
      items: [
        { accept: true },
        { accept: true, existingAttributeId: givenNameId },
        { accept: true, response: 4 },
      ],
    });
    const answered = await requestReaches(person, 'incoming', 'Completed', draft.id);
    const completed = await requestReaches(org, 'outgoing', 'Completed', draft.id);
    expect(answered.response?.source).toEqual(completed.response?.source);
    expect(completed.response).toMatchObject({
      source: { type: 'Message' },
      content: { result: 'Accepted', requestId: draft.id },
    });
    const wrapper = await o().transport.messages.getMessage({ id: completed.response!.source!.reference });
    expect(wrapper.content).toMatchObject({
      '@type': 'ResponseWrapper',
      requestId: draft.id,
      requestSourceType: 'Message',
      requestSourceReference: sent.id,
    });

    expect(
      ofKind(
        await o().attributes.getPeerAttributes({ peer: p().address }),
        'PeerIdentityAttribute',
        'GivenName',
      ),
    ).toHaveLength(1);
    expect(
      ofKind(
        await p().attributes.getPeerAttributes({ peer: o().address }),
        'PeerIdentityAttribute',
        'DisplayName',
      ),
    ).toHaveLength(1);
    expect(gapFree(org.events) && gapFree(person.events)).toBe(true);
    expect(names(org.events, outgoingOnly, orgStart)).toEqual([
      'consumption.outgoingRequestCreated',
      'transport.messageSent',
      'consumption.outgoingRequestStatusChanged:Open',
      'transport.messageReceived',
      'consumption.outgoingRequestStatusChanged:Completed',
    ]);
    expect(names(person.events, incomingOnly, personStart)).toEqual([
      'transport.messageReceived',
      'consumption.incomingRequestReceived',
      'consumption.incomingRequestStatusChanged:DecisionRequired',
      'consumption.incomingRequestStatusChanged:ManualDecisionRequired',
      'consumption.incomingRequestStatusChanged:Decided',
      expect.stringMatching(/^(transport\.messageSent|consumption\.incomingRequestStatusChanged:Completed)$/),
      expect.stringMatching(/^(transport\.messageSent|consumption\.incomingRequestStatusChanged:Completed)$/),
    ]);
  });

  it('a DeleteAttributeRequestItem by message marks both copies to be deleted', async () => {
    const draft = await o().outgoingRequests.create({
      peer: p().address,
      content: { items: [item('DeleteAttributeRequestItem', { attributeId: displayNameId })] },
    });
    await o().transport.messages.sendMessage({ recipients: [p().address], content: draft.content });
    await requestReaches(person, 'incoming', 'ManualDecisionRequired', draft.id);
    const deletionDate = inDays(7);
    await p().incomingRequests.accept({ requestId: draft.id, items: [{ accept: true, deletionDate }] });
    await requestReaches(org, 'outgoing', 'Completed', draft.id);
    expect(await p().attributes.getAttribute({ id: displayNameId })).toMatchObject({
      deletionInfo: { deletionStatus: 'ToBeDeleted', deletionDate },
    });
    expect(
      await o().attributes.getForwardingDetailsOfAttribute({ attributeId: displayNameId }),
    ).toMatchObject([
      { peer: p().address, deletionInfo: { deletionStatus: 'ToBeDeletedByRecipient', deletionDate } },
    ]);
  });

  it('a template loaded by a related peer is answered by message (onExistingRelationship)', async () => {
    const template = await o().transport.relationshipTemplates.createOwnRelationshipTemplate({
      content: {
        '@type': 'RelationshipTemplateContent',
        onNewRelationship: {
          '@type': 'Request',
          items: [item('AuthenticationRequestItem', { title: 'Log in' })],
        },
        onExistingRelationship: {
          '@type': 'Request',
          items: [
            item('ReadAttributeRequestItem', {
              query: { '@type': 'IdentityAttributeQuery', valueType: 'EMailAddress' },
            }),
          ],
        },
      },
      expiresAt: inDays(1),
    });
    const before = person.events.at(-1)?.sequence ?? 0;
    await p().transport.relationshipTemplates.loadPeerRelationshipTemplate({
      reference: template.reference.url,
    });
    const waiting = await requestReaches(person, 'incoming', 'ManualDecisionRequired', undefined, before);
    expect(waiting.content.items[0]).toMatchObject({ '@type': 'ReadAttributeRequestItem' });
    expect(waiting.source).toEqual({ type: 'RelationshipTemplate', reference: template.id });
    await p().incomingRequests.accept({
      requestId: waiting.id,
      items: [
        {
          accept: true,
          newAttribute: {
            '@type': 'IdentityAttribute',
            owner: p().address,
            value: { '@type': 'EMailAddress', value: 'ada@example.org' },
          },
        },
      ],
    });
    const answered = await requestReaches(person, 'incoming', 'Completed', waiting.id);
    expect(answered.response?.source?.type).toBe('Message');
    const created = await org.next('consumption.outgoingRequestCreatedAndCompleted');
    expect(created.data as LocalRequestDTO).toMatchObject({
      id: waiting.id,
      status: 'Completed',
      source: { type: 'RelationshipTemplate', reference: template.id },
      response: { source: answered.response?.source },
    });
    const email = ofKind(
      await o().attributes.getPeerAttributes({ peer: p().address }),
      'PeerIdentityAttribute',
      'EMailAddress',
    );
    expect(email[0]?.content.value).toEqual({ '@type': 'EMailAddress', value: 'ada@example.org' });
    emailId = email[0]!.id;

    // A template without a request for existing relationships asks nothing of a related peer.
    const plain = await o().transport.relationshipTemplates.createOwnRelationshipTemplate({
      content: {
        '@type': 'RelationshipTemplateContent',
        onNewRelationship: (template.content as { onNewRelationship: unknown }).onNewRelationship,
      },
      expiresAt: inDays(1),
    });
    await p().transport.relationshipTemplates.loadPeerRelationshipTemplate({
      reference: plain.reference.url,
    });
    const processed = await person.next(
      'consumption.relationshipTemplateProcessed',
      (data: { template: { id: string } }) => data.template.id === plain.id,
    );
    expect(processed.data).toMatchObject({ result: 'RelationshipExists' });
  });

  it('succession and deletion of shared attributes reach the peer, whose copy follows', async () => {
    // The person succeeds its given name and tells the organisation.
    const { successor } = await p().attributes.succeedAttribute({
      predecessorId: givenNameId,
      successorContent: { value: { '@type': 'GivenName', value: 'Ada Augusta' } },
    });
    const told = await p().attributes.notifyPeerAboutOwnIdentityAttributeSuccession({
      attributeId: successor.id,
      peer: o().address,
    });
    expect(told.predecessor.id).toBe(givenNameId);
    const succeeded = await org.next('consumption.attributeSucceeded');
    expect(succeeded.data).toMatchObject({
      predecessor: { id: givenNameId, succeededBy: successor.id },
      successor: { id: successor.id, '@type': 'PeerIdentityAttribute', sourceReference: told.notificationId },
    });
    const processed = await org.next('consumption.notificationProcessed');
    expect((processed.data as LocalNotificationDTO).status).toBe('Completed');
    const latest = ofKind(
      await o().attributes.getPeerAttributes({ peer: p().address }),
      'PeerIdentityAttribute',
      'GivenName',
    );
    expect(latest.map((a) => a.content.value)).toEqual([{ '@type': 'GivenName', value: 'Ada Augusta' }]);
    expect(
      (await o().attributes.getVersionsOfAttribute({ attributeId: successor.id })).map((a) => a.id),
    ).toEqual([successor.id, givenNameId]);
    await waitFor(
      async () => (await p().notifications.getNotification({ id: told.notificationId })).status === 'Sent',
      'the notification marked sent',
    );
    expect(
      await p().attributes.getVersionsOfAttributeSharedWithPeer({
        attributeId: givenNameId,
        peer: o().address,
      }),
    ).toMatchObject([{ id: successor.id }]);

    // The person deletes its email address: the organisation's copy is marked deleted by its owner.
    const { notificationIds } = await p().attributes.deleteAttributeAndNotify({ attributeId: emailId });
    expect(notificationIds).toHaveLength(1);
    const deleted = await org.next('consumption.ownAttributeDeletedByOwner');
    expect(deleted.data).toMatchObject({ id: emailId, deletionInfo: { deletionStatus: 'DeletedByEmitter' } });

    // The organisation deletes its copy of the given name: the person's sharing is marked deleted.
    await o().attributes.deleteAttributeAndNotify({ attributeId: successor.id });
    await person.next('consumption.forwardedAttributeDeletedByPeer');
    const forwardings = await p().attributes.getForwardingDetailsOfAttribute({ attributeId: successor.id });
    expect(forwardings).toMatchObject([
      { peer: o().address, deletionInfo: { deletionStatus: 'DeletedByRecipient' } },
    ]);
    expect(gapFree(org.events) && gapFree(person.events)).toBe(true);
  });
});
