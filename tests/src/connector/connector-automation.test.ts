import { rm } from 'node:fs/promises';
import { Connector } from '@enmesh/connector';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import {
  type ApiAnswer,
  removeTestConnector,
  startTestConnector,
  type TestConnector,
  testConnectorConfig,
  until,
} from './connector-kit.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const ok = (answer: ApiAnswer, status = 200) => {
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
  return answer.body?.result;
};

/**
 * Connectors that decide by themselves, configured like Enmeshed's: the person's decider rules accept a
 * shared attribute at once, and the organisation's `autoAcceptPendingRelationships` module accepts the
 * relationship the answer asks for; nobody calls an accept route.
 */
describe('connector automation: decider rules and auto-accepted relationships', () => {
  let stack: TestStack;
  let org: TestConnector;
  let person: TestConnector;

  beforeAll(async () => {
    stack = await startTestStack();
    [org, person] = await Promise.all([
      startTestConnector(stack, {
        settings: { modules: { autoAcceptPendingRelationships: { enabled: true } } },
      }),
      startTestConnector(stack, {
        settings: {
          modules: {
            decider: {
              automationRules: [
                { item: { itemType: 'ShareAttributeRequestItem' }, response: { accept: true } },
              ],
            },
          },
        },
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([org?.close(), person?.close()]);
    await Promise.all([removeTestConnector(org), removeTestConnector(person)]);
    await stack?.destroy();
  });

  it('relates two connectors from a template without a manual decision', async () => {
    const displayName = ok(
      await org.api('POST', 'Attributes', {
        content: { value: { '@type': 'DisplayName', value: 'Example Org' } },
      }),
      201,
    );
    const onNewRelationship = {
      '@type': 'Request',
      items: [
        {
          '@type': 'ShareAttributeRequestItem',
          mustBeAccepted: true,
          attributeId: displayName.id,
          attribute: displayName.content,
        },
      ],
    };
    const template = ok(
      await org.api('POST', 'RelationshipTemplates/Own', {
        content: { '@type': 'RelationshipTemplateContent', onNewRelationship },
        expiresAt: inDays(1),
      }),
      201,
    );
    ok(
      await person.api('POST', 'RelationshipTemplates/Peer', { reference: template.reference.truncated }),
      201,
    );
    const decided = await until(
      () => person.api('GET', `Requests/Incoming?source.reference=${template.id}`),
      (answer) => ['Decided', 'Completed'].includes(answer.body?.result?.[0]?.status),
      'the automatic decision at the person',
    );
    expect(decided.body.result[0]).toMatchObject({ wasAutomaticallyDecided: true });
    const active = await until(
      () => org.api('GET', 'Relationships?status=Active'),
      (answer) => answer.body?.result?.length === 1,
      'the relationship accepted by the organisation',
    );
    const personAddress = ok(await person.api('GET', 'Account/IdentityInfo')).address as string;
    expect(active.body.result[0].peer).toBe(personAddress);
    await until(
      () => person.api('GET', 'Attributes?@type=PeerIdentityAttribute'),
      (answer) =>
        answer.body?.result?.some(
          (a: { content: { value: { value: string } } }) => a.content.value.value === 'Example Org',
        ),
      'the shared attribute at the person',
    );
  });

  it('refuses to start with an automation rule it cannot apply, naming the rule', async () => {
    const { config, dir } = await testConnectorConfig(stack, {
      settings: { modules: { decider: { automationRules: [{ response: { accept: 'sometimes' } }] } } },
    });
    try {
      await expect(Connector.start(config, { logger: pino({ level: 'silent' }) })).rejects.toMatchObject({
        code: 'error.consumption.decider.invalidAutomationRule',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
