import {
  removeTestConnector,
  startTestConnector,
  type TestConnector,
  until,
  WebhookReceiver,
} from '../src/connector/connector-kit.js';
import type { TestStack } from '../src/kit/stack.js';
import { waitFor } from '../src/kit/wait.js';
import { runLoad } from './load.js';
import { elapsedMs, type Figure, figure, perSecond } from './report.js';

/** Sizes of the connector benchmark. */
export interface ConnectorBenchOptions {
  /** Mails per run, and requests in flight. */
  readonly count: number;
  readonly concurrency: number;
  /** Characters of each mail's body. */
  readonly bodyChars: number;
  readonly timeoutMs: number;
}

const defaults: ConnectorBenchOptions = { count: 500, concurrency: 16, bodyChars: 1000, timeoutMs: 120_000 };

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** Relates two connectors through their REST APIs: a template, the peer's request, the acceptance. */
async function relate(org: TestConnector, person: TestConnector): Promise<void> {
  const content = { '@type': 'ArbitraryRelationshipTemplateContent', value: { title: 'bench' } };
  const template = (await org.api('POST', 'RelationshipTemplates/Own', { content, expiresAt: inDays(1) }))
    .body.result;
  await person.api('POST', 'RelationshipTemplates/Peer', { reference: template.reference.truncated });
  const creationContent = { '@type': 'ArbitraryRelationshipCreationContent', value: {} };
  const pending = (await person.api('POST', 'Relationships', { templateId: template.id, creationContent }))
    .body.result;
  await until(
    () => org.api('GET', `Relationships/${pending.id}`),
    (answer) => answer.status === 200,
    'the request at the organisation',
  );
  await org.api('PUT', `Relationships/${pending.id}/Accept`);
  await until(
    () => person.api('GET', `Relationships/${pending.id}`),
    (answer) => answer.body?.result?.status === 'Active',
    'the relationship active at the person',
  );
}

/** What the connector benchmark measured. */
export interface ConnectorBenchDetails {
  readonly setup: string;
  readonly count: number;
  readonly concurrency: number;
  /** Mails sent via REST until the receiver's webhook got the last one, per second. */
  readonly restMsgsPerSecond: number;
  /** The same through the SDK runtime's messages service of the same two connectors, per second. */
  readonly sdkMsgsPerSecond: number;
}

/**
 * Messages per second through the Connector: `POST /api/core/v1/Messages` (a Mail) on one connector until
 * the other connector's webhook delivered `transport.messageReceived` for each; the baseline is the same
 * number of mails sent through the SDK runtime's messages service of the same connector and counted in the
 * receiving runtime, in the same run.
 */
export async function benchConnector(
  test: TestStack,
  overrides: Partial<ConnectorBenchOptions> = {},
): Promise<{ figures: Figure[]; details: ConnectorBenchDetails }> {
  const o = { ...defaults, ...overrides };
  const hooks = new WebhookReceiver();
  await hooks.start();
  let org: TestConnector | undefined;
  let person: TestConnector | undefined;
  try {
    [org, person] = await Promise.all([
      startTestConnector(test),
      startTestConnector(test, { webhookUrl: hooks.url }),
    ]);
    const sender = org;
    await relate(sender, person);
    const to = (await person.api('GET', 'Account/IdentityInfo')).body.result.address as string;
    const mail = (i: number) => ({
      '@type': 'Mail',
      to: [to],
      subject: `bench ${i}`,
      body: 'x'.repeat(o.bodyChars),
    });
    const received = () =>
      hooks.received.filter((delivery) => delivery.body.trigger === 'transport.messageReceived').length;

    // Warm-up, then the REST run: every send answered 201, every mail delivered to the webhook.
    let sent = 0;
    const restRun = async (n: number) => {
      const before = received();
      await runLoad(
        n,
        o.concurrency,
        async () => {
          const answer = await sender.api('POST', 'Messages', { recipients: [to], content: mail(sent++) });
          if (answer.status !== 201) throw new Error(`send answered ${answer.status}`);
        },
        o.timeoutMs,
      );
      await waitFor(() => received() >= before + n, 'the webhook deliveries', o.timeoutMs);
    };
    await restRun(50);
    const restMs = await elapsedMs(() => restRun(o.count));

    // The SDK baseline: the same connector's runtime service, counted by the peer runtime's events.
    const messages = sender.connector.identity!.account.transport.messages;
    let atPeer = 0;
    const unsubscribe = person.connector.identity!.runtime.events.subscribe(
      () => {
        atPeer += 1;
      },
      { namespace: 'transport.messageReceived' },
    );
    const sdkMs = await elapsedMs(async () => {
      await runLoad(
        o.count,
        o.concurrency,
        async () => {
          await messages.sendMessage({ recipients: [to], content: mail(sent++) });
        },
        o.timeoutMs,
      );
      await waitFor(() => atPeer >= o.count, 'the SDK mails at the peer', o.timeoutMs);
    });
    unsubscribe();
    const details: ConnectorBenchDetails = {
      setup:
        'two connectors in this Node process with the actors (SQLite), on one backbone; webhook receiver on 127.0.0.1',
      count: o.count,
      concurrency: o.concurrency,
      restMsgsPerSecond: perSecond(o.count, restMs),
      sdkMsgsPerSecond: perSecond(o.count, sdkMs),
    };
    return {
      figures: [
        figure({
          benchmark: 'connector',
          name: `REST send -> webhook delivered, ${o.count} mails, ${o.concurrency} in flight`,
          unit: 'msgs/s',
          higherIsBetter: true,
          value: details.restMsgsPerSecond,
          baselineName: 'SDK runtime send -> stored at the peer',
          baseline: details.sdkMsgsPerSecond,
        }),
      ],
      details,
    };
  } finally {
    await Promise.all([org?.close(), person?.close()]);
    await hooks.stop();
    await Promise.all([removeTestConnector(org), removeTestConnector(person)]);
  }
}
