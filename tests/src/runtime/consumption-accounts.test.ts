import type { LocalRequestDTO, RelationshipDTO, RuntimeAccount } from '@enmesh/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import { waitFor } from '../kit/wait.js';
import { becomes, consumptionError, item, requestReaches, servicesOf } from './consumption-kit.js';
import { inDays, relate, removeTestRuntime, startTestRuntime, type TestRuntime } from './runtime-kit.js';

describe('several accounts of one runtime keep their own consumption data', () => {
  let stack: TestStack;
  let org: TestRuntime;
  let person: TestRuntime;
  let first: RuntimeAccount;
  let second: RuntimeAccount;
  const o = () => servicesOf(org);

  /** Waits for an event of one account of the person's runtime. */
  const seenBy = (account: RuntimeAccount, namespace: string, match: (data: never) => boolean) =>
    waitFor(
      () =>
        person.events.some(
          (event) =>
            event.eventTargetAddress === account.address &&
            event.namespace === namespace &&
            match(event.data as never),
        ),
      `${namespace} at ${account.name}`,
      10_000,
    );

  /** Relates the organisation with an account of the person's runtime other than its primary one. */
  async function relateTo(account: RuntimeAccount): Promise<void> {
    const template = await o().transport.relationshipTemplates.createOwnRelationshipTemplate({
      content: { '@type': 'ArbitraryRelationshipTemplateContent', value: {} },
      expiresAt: inDays(1),
    });
    await account.transport.relationshipTemplates.loadPeerRelationshipTemplate({
      reference: template.reference.url,
    });
    const pending = await account.transport.relationships.createRelationship({
      templateId: template.id,
      creationContent: { '@type': 'ArbitraryRelationshipCreationContent', value: {} },
    });
    await org.next('transport.relationshipChanged', (data: RelationshipDTO) => data.id === pending.id);
    await o().transport.relationships.acceptRelationship({ relationshipId: pending.id });
    await seenBy(
      account,
      'transport.relationshipChanged',
      (data: RelationshipDTO) => data.id === pending.id && data.status === 'Active',
    );
  }

  beforeAll(async () => {
    stack = await startTestStack();
    [org, person] = await Promise.all([startTestRuntime(stack), startTestRuntime(stack)]);
    first = person.runtime.account;
    second = await person.runtime.openAccount('second');
    await relate(org, person);
    await relateTo(second);
  });

  afterAll(async () => {
    await Promise.all([org?.close(), person?.close()]);
    await Promise.all([org && removeTestRuntime(org), person && removeTestRuntime(person)]);
    await stack?.destroy();
  });

  it('each account receives its request and lists only its own requests and attributes', async () => {
    const displayName = await o().attributes.createOwnIdentityAttribute({
      content: { value: { '@type': 'DisplayName', value: 'Example Org' } },
    });
    const givenName = async (account: RuntimeAccount, value: string) =>
      account.consumption.attributes.createOwnIdentityAttribute({
        content: { value: { '@type': 'GivenName', value } },
      });
    const firstGiven = await givenName(first, 'Ada');
    const secondGiven = await givenName(second, 'Bea');
    // The first GivenName of each identity is its default.
    expect(firstGiven).toMatchObject({ isDefault: true });
    expect(secondGiven).toMatchObject({ isDefault: true });

    /** Sends the organisation's request to an account; returns its id. */
    const send = async (account: RuntimeAccount) => {
      const draft = await o().outgoingRequests.create({
        peer: account.address,
        content: {
          items: [
            item('ShareAttributeRequestItem', {
              attributeId: displayName.id,
              attribute: displayName.content,
            }),
            item('ReadAttributeRequestItem', {
              query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
            }),
          ],
        },
      });
      await o().transport.messages.sendMessage({ recipients: [account.address], content: draft.content });
      return draft.id;
    };
    const toFirst = await send(first);
    const toSecond = await send(second);
    expect(toFirst).not.toBe(toSecond);

    for (const [account, requestId, given] of [
      [first, toFirst, firstGiven],
      [second, toSecond, secondGiven],
    ] as const) {
      await seenBy(
        account,
        'consumption.incomingRequestStatusChanged',
        becomes('ManualDecisionRequired', requestId) as (data: never) => boolean,
      );
      await account.consumption.incomingRequests.accept({
        requestId,
        items: [{ accept: true }, { accept: true, existingAttributeId: given.id }],
      });
      await requestReaches(org, 'outgoing', 'Completed', requestId);
    }

    const ids = (requests: readonly LocalRequestDTO[]) => requests.map((request) => request.id);
    expect(ids(await first.consumption.incomingRequests.getRequests())).toEqual([toFirst]);
    expect(ids(await second.consumption.incomingRequests.getRequests())).toEqual([toSecond]);
    expect(await first.consumption.outgoingRequests.getRequests()).toEqual([]);
    expect(await second.consumption.outgoingRequests.getRequests()).toEqual([]);
    expect((await first.consumption.incomingRequests.getRequest({ id: toFirst })).status).toBe('Completed');
    expect(
      await consumptionError(second.consumption.incomingRequests.getRequest({ id: toFirst })),
    ).toMatchObject({ code: 'error.consumption.recordNotFound' });

    // Both accounts keep the organisation's DisplayName under the id the organisation gave it.
    const kinds = async (account: RuntimeAccount) =>
      Object.fromEntries(
        (await account.consumption.attributes.getAttributes()).map((a) => [a.id, a['@type']]),
      );
    expect(await kinds(first)).toEqual({
      [firstGiven.id]: 'OwnIdentityAttribute',
      [displayName.id]: 'PeerIdentityAttribute',
    });
    expect(await kinds(second)).toEqual({
      [secondGiven.id]: 'OwnIdentityAttribute',
      [displayName.id]: 'PeerIdentityAttribute',
    });
    expect(
      await consumptionError(second.consumption.attributes.getAttribute({ id: firstGiven.id })),
    ).toMatchObject({ code: 'error.consumption.recordNotFound' });
    const peerCopies = await o().attributes.getAttributes({ query: { '@type': 'PeerIdentityAttribute' } });
    expect(peerCopies.map((a) => a.id).sort()).toEqual([firstGiven.id, secondGiven.id].sort());
  });
});
