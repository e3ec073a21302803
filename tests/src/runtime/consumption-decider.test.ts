import type { AutomationRule, LocalRequestDTO } from '@enmesh/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import { waitFor } from '../kit/wait.js';
import { consumptionError, item, requestReaches, servicesOf } from './consumption-kit.js';
import {
  inDays,
  relate,
  removeTestRuntime,
  runtimeError,
  startTestRuntime,
  type TestRuntime,
} from './runtime-kit.js';

const rules: AutomationRule[] = [
  {
    item: { itemType: 'ReadAttributeRequestItem', content: { query: { valueType: 'GivenName' } } },
    response: { accept: true },
  },
  {
    request: { title: 'Survey' },
    item: { itemType: 'FormFieldRequestItem' },
    response: { accept: false, code: 'error.app.noSurveys' },
  },
  // Consent and Authentication wait for a person whatever a rule says.
  { item: { itemType: ['ConsentRequestItem', 'AuthenticationRequestItem'] }, response: { accept: true } },
];

describe('the decider and wrong decisions', () => {
  let stack: TestStack;
  let org: TestRuntime;
  let person: TestRuntime;
  const o = () => servicesOf(org);
  const p = () => servicesOf(person);
  let givenNameId: string;

  /** Sends a request from the organisation to the person; returns its id. */
  async function send(content: Record<string, unknown>): Promise<string> {
    const draft = await o().outgoingRequests.create({ peer: p().address, content });
    await o().transport.messages.sendMessage({ recipients: [p().address], content: draft.content });
    return draft.id;
  }

  beforeAll(async () => {
    stack = await startTestStack();
    [org, person] = await Promise.all([
      startTestRuntime(stack),
      startTestRuntime(stack, { runtime: { automationRules: rules } }),
    ]);
    await relate(org, person);
    givenNameId = (
      await p().attributes.createOwnIdentityAttribute({
        content: { value: { '@type': 'GivenName', value: 'Ada' } },
      })
    ).id;
  });

  afterAll(async () => {
    await Promise.all([org?.close(), person?.close()]);
    await Promise.all([org && removeTestRuntime(org), person && removeTestRuntime(person)]);
    await stack?.destroy();
  });

  it('accepts and rejects by the rules; Consent and Authentication wait for a person', async () => {
    const read = await send({
      items: [
        item('ReadAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
        }),
      ],
    });
    const accepted = await requestReaches(org, 'outgoing', 'Completed', read);
    expect(accepted.response?.content).toMatchObject({
      result: 'Accepted',
      items: [{ '@type': 'ReadAttributeAcceptResponseItem', attributeId: givenNameId }],
    });
    await requestReaches(person, 'incoming', 'Completed', read);
    expect(await p().incomingRequests.getRequest({ id: read })).toMatchObject({
      status: 'Completed',
      wasAutomaticallyDecided: true,
      decider: 'AutomaticDecision',
    });

    const survey = await send({
      title: 'Survey',
      items: [
        item(
          'FormFieldRequestItem',
          { title: 'How are we doing?', settings: { '@type': 'RatingFormFieldSettings', maxRating: 5 } },
          false,
        ),
      ],
    });
    const rejected = await requestReaches(org, 'outgoing', 'Completed', survey);
    expect(rejected.response?.content).toMatchObject({
      result: 'Rejected',
      items: [{ '@type': 'RejectResponseItem', code: 'error.app.noSurveys' }],
    });

    for (const type of ['ConsentRequestItem', 'AuthenticationRequestItem']) {
      const fields = type === 'ConsentRequestItem' ? { consent: 'I agree' } : { title: 'Log in' };
      const id = await send({
        items: [
          item(type, fields),
          item('ReadAttributeRequestItem', {
            query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
          }),
        ],
      });
      const waiting = await requestReaches(person, 'incoming', 'ManualDecisionRequired', id);
      expect(waiting.wasAutomaticallyDecided).toBeUndefined();
    }

    // Rules from the identity's setting add to the configured ones.
    await p().settings.upsertSettingByKey({
      key: 'decider.automationRules',
      value: [{ item: { itemType: 'CreateAttributeRequestItem' }, response: { accept: true } }],
    });
    const create = await send({
      items: [
        item('CreateAttributeRequestItem', {
          attribute: {
            '@type': 'RelationshipAttribute',
            owner: o().address,
            key: 'memberSince',
            confidentiality: 'public',
            value: { '@type': 'ProprietaryString', title: 'Member since', value: '2024' },
          },
        }),
      ],
    });
    expect((await requestReaches(org, 'outgoing', 'Completed', create)).response?.content.result).toBe(
      'Accepted',
    );
  });

  it('refuses wrong decisions with stable codes and changes nothing', async () => {
    const id = await send({
      items: [
        item('ReadAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'BirthDate' },
        }),
        item('ConsentRequestItem', { consent: 'I agree' }, false),
      ],
    });
    const waiting = await requestReaches(person, 'incoming', 'ManualDecisionRequired', id);
    const before = await p().attributes.getAttributes();
    const lastEvent = person.events.at(-1)?.sequence;
    const newAttribute = (value: unknown) => ({
      '@type': 'IdentityAttribute',
      owner: p().address,
      value,
    });

    const malformed = await runtimeError(
      p().incomingRequests.accept({ requestId: id, items: [{ accept: 'yes' }, { accept: true }] } as never),
    );
    expect(malformed.code).toBe('error.runtime.validation');
    expect(malformed.faults[0]?.path).toMatch(/^\$\.items\[0\]/);
    expect(
      (await runtimeError(p().incomingRequests.getRequest({ id: 'not-a-request' }))).faults[0]?.path,
    ).toBe('$.id');

    const cases: [string, unknown[]][] = [
      ['error.consumption.requests.decide.validation.invalidNumberOfItems', [{ accept: true }]],
      [
        'error.consumption.requests.attributeQueryMismatch',
        [{ accept: true, existingAttributeId: givenNameId }, { accept: true }],
      ],
      [
        'error.consumption.requests.attributeQueryMismatch',
        [
          { accept: true, newAttribute: newAttribute({ '@type': 'GivenName', value: 'Ada' }) },
          { accept: true },
        ],
      ],
      [
        'error.consumption.requests.invalidAcceptParameters',
        [{ accept: true, existingAttributeId: 'ATTdoesnotexist00000' }, { accept: true }],
      ],
      [
        'error.consumption.requests.invalidAcceptParameters',
        [{ accept: true }, { accept: true, existingAttributeId: givenNameId }],
      ],
      [
        'error.consumption.requests.decide.validation.mustBeAcceptedItemNotAccepted',
        [{ accept: false }, { accept: true }],
      ],
    ];
    for (const [code, items] of cases) {
      const params = { requestId: id, items } as never;
      expect((await consumptionError(p().incomingRequests.accept(params))).code, code).toBe(code);
      const check = await p().incomingRequests.canAccept(params);
      expect(check.isSuccess).toBe(false);
    }
    expect(await p().incomingRequests.getRequest({ id })).toEqual(waiting);
    expect(await p().attributes.getAttributes()).toEqual(before);
    expect(person.events.at(-1)?.sequence, 'no event for a refused decision').toBe(lastEvent);

    // Bad input for other use cases.
    const badValue = await runtimeError(
      p().attributes.createOwnIdentityAttribute({ content: { value: { '@type': 'BirthDate', day: 40 } } }),
    );
    expect(badValue.faults[0]?.path).toMatch(/^\$\.content\.value/);
    const duplicate = await consumptionError(
      p().attributes.createOwnIdentityAttribute({
        content: { value: { '@type': 'GivenName', value: 'Ada' } },
      }),
    );
    expect(duplicate.code).toBe('error.consumption.recordAlreadyExists');
    expect(
      await p().attributes.canCreateOwnIdentityAttribute({
        content: { value: { '@type': 'GivenName', value: 'Ada' } },
      }),
    ).toMatchObject({ isSuccess: false, code: 'error.consumption.recordAlreadyExists' });
    expect(p().attributes.validateIQLQuery({ query: { queryString: 'GivenName &&' } })).toMatchObject({
      isValid: false,
    });
    const pastExpiry = await consumptionError(
      o().outgoingRequests.create({
        peer: p().address,
        content: {
          expiresAt: new Date(Date.now() - 1000).toISOString(),
          items: [item('AuthenticationRequestItem', { title: 'Log in' })],
        },
      }),
    );
    expect(pastExpiry.code).toBe('error.consumption.requests.expired');
    const badTemplate = await runtimeError(
      o().transport.relationshipTemplates.createOwnRelationshipTemplate({
        content: {
          '@type': 'RelationshipTemplateContent',
          onNewRelationship: {
            '@type': 'Request',
            items: [
              item('AuthenticationRequestItem', { title: 'Log in' }),
              item('DeleteAttributeRequestItem', { attributeId: givenNameId }),
            ],
          },
        },
        expiresAt: inDays(1),
      }),
    );
    expect(badTemplate.faults).toMatchObject([
      {
        path: '$.content.onNewRelationship.items[1]',
        message: expect.stringContaining('error.consumption.requests.invalidRequestItem'),
      },
    ]);
  });

  it('an expired request cannot be decided', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const id = await send({
      expiresAt,
      items: [item('AuthenticationRequestItem', { title: 'Log in' })],
    });
    await requestReaches(person, 'incoming', 'ManualDecisionRequired', id);
    await waitFor(() => Date.now() > Date.parse(expiresAt), 'the request to expire', 3000);
    const expired = await consumptionError(
      p().incomingRequests.accept({ requestId: id, items: [{ accept: true }] }),
    );
    expect(expired.code).toBe('error.consumption.requests.expired');
    expect((await p().incomingRequests.getRequest({ id })).status).toBe('Expired');
    const done = (await p().incomingRequests.getRequests({
      query: { status: 'Completed' },
    })) as LocalRequestDTO[];
    const wrongStatus = await consumptionError(
      p().incomingRequests.reject({ requestId: done[0]!.id, items: [{ accept: false }] }),
    );
    expect(wrongStatus.code).toBe('error.consumption.requests.wrongStatus');
  });
});
