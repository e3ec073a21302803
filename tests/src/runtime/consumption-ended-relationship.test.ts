import type { LocalAttributeDTO, RelationshipDTO } from '@enmesh/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import { item, names, requestReaches, servicesOf } from './consumption-kit.js';
import { inDays, removeTestRuntime, startTestRuntime, type TestRuntime } from './runtime-kit.js';

const kinds = (attributes: readonly LocalAttributeDTO[]) =>
  attributes.map((a) => `${a['@type']}:${a.content.value['@type']}`).sort();
const attributeEvents = (name: string) =>
  name.startsWith('consumption.attribute') || name.includes('Decomposed');

describe('a relationship that ends', () => {
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

  it('takes the attributes exchanged over it along on the side that decomposes it', async () => {
    const o = servicesOf(org);
    const p = servicesOf(person);
    const displayName = await o.attributes.createOwnIdentityAttribute({
      content: { value: { '@type': 'DisplayName', value: 'Example Org' } },
    });
    const givenName = await p.attributes.createOwnIdentityAttribute({
      content: { value: { '@type': 'GivenName', value: 'Ada' } },
    });
    const onNewRelationship = {
      '@type': 'Request',
      items: [
        item('ReadAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
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
      ],
    };
    const template = await o.transport.relationshipTemplates.createOwnRelationshipTemplate({
      content: { '@type': 'RelationshipTemplateContent', onNewRelationship },
      expiresAt: inDays(1),
      forIdentity: p.address,
    });
    await p.transport.relationshipTemplates.loadPeerRelationshipTemplate({
      reference: template.reference.url,
    });
    const waiting = await requestReaches(person, 'incoming', 'ManualDecisionRequired');
    await p.incomingRequests.accept({
      requestId: waiting.id,
      items: [{ accept: true, existingAttributeId: givenName.id }, { accept: true }, { accept: true }],
    });
    const completed = await requestReaches(person, 'incoming', 'Completed', waiting.id);
    const relationshipId = completed.response!.source!.reference;
    const is = (status: string) => (data: RelationshipDTO) =>
      data.id === relationshipId && data.status === status;
    await org.next('transport.relationshipChanged', is('Active'));
    await person.next('transport.relationshipChanged', is('Active'));

    expect(kinds(await p.attributes.getAttributes())).toEqual([
      'OwnIdentityAttribute:GivenName',
      'PeerIdentityAttribute:DisplayName',
      'PeerRelationshipAttribute:ProprietaryString',
    ]);
    expect(kinds(await o.attributes.getAttributes())).toEqual([
      'OwnIdentityAttribute:DisplayName',
      'OwnRelationshipAttribute:ProprietaryString',
      'PeerIdentityAttribute:GivenName',
    ]);
    expect(await p.attributes.getForwardingDetailsOfAttribute({ attributeId: givenName.id })).toHaveLength(1);

    // Terminating keeps everything; the person decomposes: its side of the relationship goes.
    await o.transport.relationships.terminateRelationship({ relationshipId });
    const terminated = await person.next('transport.relationshipChanged', is('Terminated'));
    await org.next('transport.relationshipChanged', is('Terminated'));
    expect(await p.attributes.getAttributes()).toHaveLength(3);
    await p.transport.relationships.decomposeRelationship({ relationshipId });
    await person.next('transport.relationshipDecomposedBySelf', undefined, terminated.sequence);

    expect(kinds(await p.attributes.getAttributes()), 'only the own identity attribute stays').toEqual([
      'OwnIdentityAttribute:GivenName',
    ]);
    expect(await p.attributes.getForwardingDetailsOfAttribute({ attributeId: givenName.id })).toEqual([]);
    expect(names(person.events, attributeEvents, terminated.sequence)).toEqual([
      'transport.relationshipDecomposedBySelf',
      'consumption.attributeDeleted',
      'consumption.attributeDeleted',
      'consumption.attributeForwardingDetailsChanged',
    ]);
    const deleted = person.events
      .filter((e) => e.sequence > terminated.sequence && e.namespace === 'consumption.attributeDeleted')
      .map((e) => e.data as LocalAttributeDTO);
    expect(kinds(deleted)).toEqual([
      'PeerIdentityAttribute:DisplayName',
      'PeerRelationshipAttribute:ProprietaryString',
    ]);

    // The organisation sees DeletionProposed and keeps its attributes until it decomposes too.
    const proposed = await org.next('transport.relationshipChanged', is('DeletionProposed'));
    expect(await o.attributes.getAttributes()).toHaveLength(3);
    await o.transport.relationships.decomposeRelationship({ relationshipId });
    await org.next('transport.relationshipDecomposedBySelf', undefined, proposed.sequence);
    expect(kinds(await o.attributes.getAttributes())).toEqual(['OwnIdentityAttribute:DisplayName']);
    expect(await o.attributes.getForwardingDetailsOfAttribute({ attributeId: displayName.id })).toEqual([]);
    expect(names(org.events, attributeEvents, proposed.sequence)).toEqual([
      'transport.relationshipDecomposedBySelf',
      'consumption.attributeDeleted',
      'consumption.attributeDeleted',
      'consumption.attributeForwardingDetailsChanged',
    ]);
  });
});
