import { runIdentityCommand } from '@enmesh/connector';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import { waitFor } from '../kit/wait.js';
import {
  type Json,
  removeTestConnector,
  startTestConnector,
  type TestConnector,
  testConnectorConfig,
  until,
  WebhookReceiver,
} from './connector-kit.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** Runs a command of the connector's command line on a connector's directory; returns its code and output. */
async function cli(stack: TestStack, dir: string, ...args: string[]) {
  const { config } = await testConnectorConfig(stack, { dir });
  const out: string[] = [];
  const err: string[] = [];
  const code = await runIdentityCommand(args, config, {
    logger: pino({ level: 'silent' }),
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, out: out.map((line) => JSON.parse(line) as Json), err };
}

/** Relates two connectors over their APIs: a template of `templator`, requested by `requestor`, accepted. */
async function relate(templator: TestConnector, requestor: TestConnector): Promise<string> {
  const template = (
    await templator.api('POST', 'RelationshipTemplates/Own', {
      content: { '@type': 'ArbitraryRelationshipTemplateContent', value: {} },
      expiresAt: inDays(1),
    })
  ).body.result;
  await requestor.api('POST', 'RelationshipTemplates/Peer', { reference: template.reference.url });
  const pending = (
    await requestor.api('POST', 'Relationships', {
      templateId: template.id,
      creationContent: { '@type': 'ArbitraryRelationshipCreationContent', value: {} },
    })
  ).body.result;
  await until(
    () => templator.api('PUT', `Relationships/${pending.id}/Accept`),
    (answer) => answer.status === 200,
    'accepting the request',
  );
  await until(
    () => requestor.api('GET', `Relationships/${pending.id}`),
    (answer) => answer.body.result.status === 'Active',
    'the active relationship',
  );
  return pending.id;
}

/**
 * The connector's identity across restarts and its command line: events that arrive while the connector is
 * stopped (here applied by a CLI run) reach the webhook after the restart, each once and in sequence; the
 * identity is loaded, not created again; `identity status` and `identityDeletion init|cancel` work on it.
 */
describe('a connector restarted, and its command line', () => {
  let stack: TestStack;
  let org: TestConnector | undefined;
  let person: TestConnector;
  let orgDir: string;
  const hooks = new WebhookReceiver();

  beforeAll(async () => {
    stack = await startTestStack();
    await hooks.start();
    person = await startTestConnector(stack);
  });

  afterAll(async () => {
    await Promise.all([org?.close(), person?.close()]);
    await hooks.stop();
    await Promise.all([removeTestConnector(org), removeTestConnector(person)]);
    await stack?.destroy();
  });

  it('resumes copying events after a restart without loss or duplicates; the CLI reports and deletes', async () => {
    const first = await startTestConnector(stack, { webhookUrl: hooks.url });
    orgDir = first.dir;
    org = first;
    const address = (await first.api('GET', 'Account/IdentityInfo')).body.result.address as string;
    const personAddress = (await person.api('GET', 'Account/IdentityInfo')).body.result.address as string;
    await relate(first, person);
    await first.close();
    org = undefined;

    // Before the identity exists, status says so; here it exists.
    const fresh = await testConnectorConfig(stack);
    expect((await cli(stack, fresh.dir, 'identity', 'status')).out).toEqual([{ identity: null }]);
    await removeTestConnector({ dir: fresh.dir } as TestConnector);

    // Mail arrives while the connector is stopped; a CLI run applies the mailbox in between.
    for (const subject of ['one', 'two', 'three']) {
      const mail = { '@type': 'Mail', to: [address], subject, body: subject, bodyFormat: 'PlainText' };
      expect((await person.api('POST', 'Messages', { recipients: [address], content: mail })).status).toBe(
        201,
      );
    }
    const status = await cli(stack, orgDir, 'identity', 'status');
    expect(status.code).toBe(0);
    expect(status.out[0]).toMatchObject({
      identity: { address },
      device: { isCurrent: true, type: 'Connector' },
      identityDeletionProcess: null,
    });

    // Restarted on the same data: the same identity, and every event delivered once, in sequence.
    org = await startTestConnector(stack, { dir: orgDir, webhookUrl: hooks.url });
    expect((await org.api('GET', 'Account/IdentityInfo')).body.result.address).toBe(address);
    await until(
      () => org!.api('GET', `Messages?createdBy=${personAddress}`),
      (answer) => answer.body.result.length === 3,
      'the three mails',
    );
    await waitFor(
      () => hooks.received.filter((d) => d.body.trigger === 'transport.messageReceived').length === 3,
      'three messageReceived deliveries',
      10_000,
    );
    const events = (await org.api('GET', 'Events?from=1&limit=100')).body.result as {
      id: string;
      sequence: number;
    }[];
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    await waitFor(() => hooks.received.length === events.length, 'every event at the webhook', 10_000);
    expect(hooks.received.map((d) => d.headers['x-enmesh-event-id'])).toEqual(events.map((e) => e.id));
    await org.close();
    org = undefined;

    // The identity's deletion, started and cancelled from the command line.
    const init = await cli(stack, orgDir, 'identityDeletion', 'init');
    expect(init).toMatchObject({ code: 0, out: [{ identityDeletionProcess: { status: 'Approved' } }] });
    const during = await cli(stack, orgDir, 'identity', 'status');
    expect(during.out[0].identityDeletionProcess).toMatchObject({ status: 'Approved' });
    const again = await cli(stack, orgDir, 'identityDeletion', 'init');
    expect(again.code).toBe(1);
    expect(again.err[0]).toMatch(/^error\.identities\.deletionAlreadyStarted/);
    const cancel = await cli(stack, orgDir, 'identityDeletion', 'cancel');
    expect(cancel).toMatchObject({ code: 0, out: [{ identityDeletionProcess: { status: 'Cancelled' } }] });
    expect((await cli(stack, orgDir, 'identity', 'delete')).code).toBe(2);
  });
});
