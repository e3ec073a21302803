import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import {
  type ApiAnswer,
  type Json,
  removeTestConnector,
  startTestConnector,
  type TestConnector,
  until,
  WebhookReceiver,
} from './connector-kit.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const ok = (answer: ApiAnswer, status = 200) => {
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
  return answer.body?.result;
};
const item = (type: string, fields: Record<string, unknown>, mustBeAccepted = true) => ({
  '@type': type,
  mustBeAccepted,
  ...fields,
});
/** The kind and value type of each attribute, sorted: `PeerIdentityAttribute:GivenName`, … */
const kinds = (attributes: Json[]) =>
  attributes.map((a) => `${a['@type']}:${a.content.value['@type']}`).sort();

/**
 * An organisation's and a person's connector, through HTTP only: the organisation's template asks, with its
 * `onNewRelationship` request, to read and propose the person's attributes, shares its own and creates a
 * relationship attribute; the person loads it and accepts the request with `/Requests/Incoming/{id}/Accept`,
 * which requests the relationship; the organisation accepts it; both list the attributes each now holds,
 * and the organisation's webhook receives the consumption events.
 */
describe('attributes and requests between two connectors, through HTTP', () => {
  let stack: TestStack;
  let org: TestConnector;
  let person: TestConnector;
  const hooks = new WebhookReceiver();

  beforeAll(async () => {
    stack = await startTestStack();
    await hooks.start();
    const webhooks = {
      modules: {
        webhooks: {
          enabled: true,
          webhooks: [
            { name: 'erp', triggers: ['consumption.**', 'transport.**'], target: { url: hooks.url } },
          ],
          delivery: { initialBackoffMs: 20, maxBackoffMs: 100, pollIntervalMs: 50 },
        },
      },
    };
    [org, person] = await Promise.all([
      startTestConnector(stack, { settings: webhooks }),
      startTestConnector(stack),
    ]);
  });

  afterAll(async () => {
    await Promise.all([org?.close(), person?.close()]);
    await hooks.stop();
    await Promise.all([removeTestConnector(org), removeTestConnector(person)]);
    await stack?.destroy();
  });

  it('a template request is accepted by the person; both sides hold the attributes; webhooks get the events', async () => {
    const orgAddress = ok(await org.api('GET', 'Account/IdentityInfo')).address as string;
    const personAddress = ok(await person.api('GET', 'Account/IdentityInfo')).address as string;

    const displayName = ok(
      await org.api('POST', 'Attributes', {
        content: { value: { '@type': 'DisplayName', value: 'Example Org' } },
      }),
      201,
    );
    expect(displayName).toMatchObject({ '@type': 'OwnIdentityAttribute', isDefault: true });
    const givenName = ok(
      await person.api('POST', 'Attributes', { content: { value: { '@type': 'GivenName', value: 'Ada' } } }),
      201,
    );
    const duplicate = await person.api('POST', 'Attributes', {
      content: { value: { '@type': 'GivenName', value: 'Ada' } },
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.code).toBe('error.consumption.recordAlreadyExists');

    // The organisation's template: its request reads, proposes, shares and creates attributes.
    const onNewRelationship = {
      '@type': 'Request',
      title: 'Welcome',
      items: [
        item('ReadAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
        }),
        item('ProposeAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'EMailAddress' },
          attribute: {
            '@type': 'IdentityAttribute',
            owner: personAddress,
            value: { '@type': 'EMailAddress', value: 'ada@example.org' },
          },
        }),
        item('ShareAttributeRequestItem', { attributeId: displayName.id, attribute: displayName.content }),
        item('CreateAttributeRequestItem', {
          attribute: {
            '@type': 'RelationshipAttribute',
            owner: orgAddress,
            key: 'customerNumber',
            confidentiality: 'public',
            value: { '@type': 'ProprietaryString', title: 'Customer number', value: 'C-1001' },
          },
        }),
      ],
    };
    expect(
      ok(await org.api('POST', 'Requests/Outgoing/Validate', { content: onNewRelationship }), 201),
    ).toEqual({
      isSuccess: true,
      items: [
        { isSuccess: true, items: [] },
        { isSuccess: true, items: [] },
        { isSuccess: true, items: [] },
        { isSuccess: true, items: [] },
      ],
    });
    const template = ok(
      await org.api('POST', 'RelationshipTemplates/Own', {
        content: { '@type': 'RelationshipTemplateContent', title: 'Onboarding', onNewRelationship },
        expiresAt: inDays(1),
      }),
      201,
    );

    // The person loads it: the request waits for a decision.
    ok(
      await person.api('POST', 'RelationshipTemplates/Peer', { reference: template.reference.truncated }),
      201,
    );
    const waiting = (
      await until(
        () =>
          person.api(
            'GET',
            `Requests/Incoming?source.reference=${template.id}&status=ManualDecisionRequired`,
          ),
        (answer) => answer.body?.result?.length === 1,
        'the template request at the person',
      )
    ).body.result[0];
    expect(waiting).toMatchObject({ isOwn: false, peer: orgAddress, content: { title: 'Welcome' } });
    expect(ok(await person.api('GET', `Requests/Incoming/${waiting.id}`)).id).toBe(waiting.id);

    // A decision that does not fit the request is refused with its code and changes nothing.
    const tooFew = await person.api('PUT', `Requests/Incoming/${waiting.id}/Accept`, {
      items: [{ accept: true }],
    });
    expect({ status: tooFew.status, code: tooFew.body.error.code }).toEqual({
      status: 400,
      code: 'error.consumption.requests.decide.validation.invalidNumberOfItems',
    });
    const decision = {
      items: [
        { accept: true, existingAttributeId: givenName.id },
        {
          accept: true,
          attribute: {
            '@type': 'IdentityAttribute',
            owner: personAddress,
            value: { '@type': 'EMailAddress', value: 'ada@example.org' },
          },
        },
        { accept: true },
        { accept: true },
      ],
    };
    expect(ok(await person.api('PUT', `Requests/Incoming/${waiting.id}/CanAccept`, decision))).toMatchObject({
      isSuccess: true,
    });
    const decided = ok(await person.api('PUT', `Requests/Incoming/${waiting.id}/Accept`, decision));
    expect(decided.status).toBe('Decided');
    const again = await person.api('PUT', `Requests/Incoming/${waiting.id}/Accept`, decision);
    expect({ status: again.status, code: again.body.error.code }).toEqual({
      status: 400,
      code: 'error.consumption.requests.wrongStatus',
    });

    // The person's runtime requests the relationship with the response; the organisation accepts it.
    const completed = (
      await until(
        () => person.api('GET', `Requests/Incoming/${waiting.id}`),
        (answer) => answer.body?.result?.status === 'Completed',
        'the completed request at the person',
      )
    ).body.result;
    expect(completed.response.source.type).toBe('Relationship');
    const relationshipId = completed.response.source.reference as string;
    await until(
      () => org.api('GET', `Relationships/${relationshipId}`),
      (answer) => answer.body?.result?.status === 'Pending',
      'the relationship request at the organisation',
    );
    ok(await org.api('PUT', `Relationships/${relationshipId}/Accept`));
    await until(
      () => person.api('GET', `Relationships/${relationshipId}`),
      (answer) => answer.body?.result?.status === 'Active',
      'the active relationship at the person',
    );
    const outgoing = ok(await org.api('GET', `Requests/Outgoing?source.reference=${template.id}`));
    expect(outgoing).toEqual([
      expect.objectContaining({
        id: waiting.id,
        isOwn: true,
        peer: personAddress,
        status: 'Completed',
        response: expect.objectContaining({ source: { type: 'Relationship', reference: relationshipId } }),
      }),
    ]);

    // Both sides list the attributes they now hold.
    expect(kinds(ok(await org.api('GET', `Attributes?peer=${personAddress}`)))).toEqual([
      'OwnRelationshipAttribute:ProprietaryString',
      'PeerIdentityAttribute:EMailAddress',
      'PeerIdentityAttribute:GivenName',
    ]);
    expect(kinds(ok(await org.api('GET', `Attributes/Peer/${personAddress}`)))).toEqual([
      'PeerIdentityAttribute:EMailAddress',
      'PeerIdentityAttribute:GivenName',
    ]);
    expect(kinds(ok(await org.api('GET', `Attributes/Own/Shared/${personAddress}`)))).toEqual([
      'OwnIdentityAttribute:DisplayName',
      'OwnRelationshipAttribute:ProprietaryString',
    ]);
    expect(kinds(ok(await person.api('GET', `Attributes/Peer/${orgAddress}`)))).toEqual([
      'PeerIdentityAttribute:DisplayName',
      'PeerRelationshipAttribute:ProprietaryString',
    ]);
    expect(kinds(ok(await person.api('GET', `Attributes/Own/Shared/${orgAddress}`)))).toEqual([
      'OwnIdentityAttribute:EMailAddress',
      'OwnIdentityAttribute:GivenName',
    ]);
    expect(kinds(ok(await person.api('GET', 'Attributes/Own/Identity')))).toEqual([
      'OwnIdentityAttribute:EMailAddress',
      'OwnIdentityAttribute:GivenName',
    ]);
    expect(kinds(ok(await person.api('GET', `Relationships/${relationshipId}/Attributes`)))).toEqual([
      'OwnIdentityAttribute:EMailAddress',
      'OwnIdentityAttribute:GivenName',
      'PeerIdentityAttribute:DisplayName',
      'PeerRelationshipAttribute:ProprietaryString',
    ]);
    expect(ok(await person.api('GET', `Attributes/${givenName.id}/ForwardingDetails`))).toEqual([
      { peer: orgAddress, sourceReference: waiting.id, sharedAt: expect.any(String) },
    ]);
    const customerNumber = ok(await person.api('GET', 'Attributes?content.key=customerNumber'));
    expect(customerNumber).toEqual([
      expect.objectContaining({
        '@type': 'PeerRelationshipAttribute',
        peer: orgAddress,
        sourceReference: waiting.id,
      }),
    ]);

    // The organisation's webhook received the consumption events of the exchange.
    const triggers = () => hooks.received.map((delivery) => delivery.body.trigger);
    await until(
      async () => triggers(),
      (seen) => seen.includes('consumption.outgoingRequestFromRelationshipCreationCreatedAndCompleted'),
      'the completed request at the webhook',
    );
    expect(triggers()).toEqual(
      expect.arrayContaining([
        'consumption.attributeCreated',
        'consumption.outgoingRequestFromRelationshipCreationCreatedAndCompleted',
        'transport.relationshipChanged',
      ]),
    );
    const created = hooks.received
      .filter((delivery) => delivery.body.trigger === 'consumption.attributeCreated')
      .map((delivery) => delivery.body.data);
    expect(kinds(created)).toEqual(
      expect.arrayContaining(['PeerIdentityAttribute:GivenName', 'PeerIdentityAttribute:EMailAddress']),
    );
  });
});
