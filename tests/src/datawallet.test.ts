import { mailboxShard, mailboxStreamName, mailboxSubject } from '@enmesh/protocol';
import { type AccountEvent, TransportAccount, type TransportError } from '@enmesh/transport';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { relate } from './kit/files.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

/** The code of the error a call throws, or 'no error'. */
function thrownCode(call: () => void): string {
  try {
    call();
    return 'no error';
  } catch (error) {
    return (error as TransportError).code;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two devices of one identity edit the same state while offline and converge once they are back. */
describe('the datawallet across devices', { timeout: 60_000 }, () => {
  let test: TestStack;
  let alice: TestPerson;
  let bob: TestPerson;
  let messageId: string;
  const first = () => alice.devices[0]!.account;
  const second = () => alice.devices[1]!.account;
  const snapshot = (device: 0 | 1) =>
    JSON.stringify(alice.devices[device]!.account.state.datawallet.toModifications());

  beforeAll(async () => {
    test = await startTestStack();
    [alice, bob] = await Promise.all([createTestPerson(test, 2), createTestPerson(test, 1)]);
    await relate(alice, bob);
    messageId = (await bob.devices[0]!.account.sendMessage([alice.address], { text: 'hello' })).id;
    await waitFor(
      () => alice.devices.every((d) => d.account.state.messages.has(messageId)),
      'the message on both devices',
    );
  });

  afterAll(async () => {
    await stopAll(alice, bob);
    await test?.destroy();
  });

  it('shares a change with the other device, sealed so the backbone cannot read it', async () => {
    first().datawallet.set('notes', 'n0', { title: 'shopping', secret: 'milk and honey' });
    await waitFor(
      () => second().datawallet.get('notes', 'n0') !== undefined,
      'the note on the second device',
    );
    expect(second().datawallet.get('notes', 'n0')).toEqual({ secret: 'milk and honey', title: 'shopping' });
    // What the backbone stored: a sealed batch, no names or values.
    const operator = await test.stack.broker.connectActor('inspector');
    try {
      const subject = mailboxSubject(alice.identity.token, test.settings.broker.shardCount);
      const stored = await (await jetstreamManager(operator)).streams.getMessage(
        mailboxStreamName(mailboxShard(alice.identity.token, test.settings.broker.shardCount)),
        { last_by_subj: subject },
      );
      const text = new TextDecoder().decode(stored!.data);
      expect(text).toContain('"@type":"DatawalletModified"');
      for (const secret of ['milk', 'honey', 'shopping', 'notes']) expect(text).not.toContain(secret);
    } finally {
      await operator.close();
    }
    // Read state travels the same way.
    expect(first().markMessageRead(messageId)).toBe(true);
    await waitFor(
      () =>
        second()
          .listMessages({ unreadOnly: true })
          .every((m) => m.id !== messageId),
      'the read state on the second device',
    );
  });

  it('lets the other device use a token and a template the first created (their references travel)', async () => {
    const token = await first().createToken(
      { for: 'the other device' },
      { expiresAt: new Date(Date.now() + 86_400_000) },
    );
    const template = await first().createTemplate(
      { hello: 1 },
      { expiresAt: new Date(Date.now() + 86_400_000) },
    );
    await waitFor(
      () =>
        second().datawallet.get('tokens', token.token.id) !== undefined &&
        second().datawallet.get('templates', template.template.id) !== undefined,
      'the references on the second device',
    );
    const reference = String(second().datawallet.get('tokens', token.token.id)!.reference);
    expect((await second().loadToken(reference)).content).toEqual({ for: 'the other device' });
    expect(second().datawallet.get('templates', template.template.id)).toMatchObject({
      reference: template.reference,
      url: template.url,
    });
  });

  it('converges after both devices edited the same objects offline', async () => {
    await test.stack.broker.restartServer({
      kill: true,
      whileDown: async () => {
        first().datawallet.set('notes', 'n1', { title: 'from the first', color: 'red' });
        first().datawallet.set('notes', 'n0', { title: 'renamed on the first' });
        await pause(5); // the second device's edits come later in wall time
        second().datawallet.set('notes', 'n1', { title: 'from the second' });
        second().datawallet.set('notes', 'n2', { title: 'only on the second' });
        second().datawallet.delete('notes', 'n0');
        second().markMessageRead(messageId, false);
        // Offline: each device sees its own edits at once, nothing of the other's yet.
        expect(first().datawallet.get('notes', 'n1')).toEqual({ color: 'red', title: 'from the first' });
        expect(second().datawallet.get('notes', 'n2')).toEqual({ title: 'only on the second' });
        expect(first().datawallet.get('notes', 'n2')).toBeUndefined();
      },
    });
    await waitFor(
      () => first().datawallet.pendingBatches === 0 && second().datawallet.pendingBatches === 0,
      'both devices to push their offline edits',
      30_000,
    );
    await waitFor(() => snapshot(0) === snapshot(1), 'both devices to hold the same state', 15_000);
    for (const device of [first(), second()]) {
      // Per field, the later edit wins; fields only one device set stay; the later delete removes n0.
      expect(device.datawallet.list('notes')).toEqual([
        { id: 'n1', fields: { color: 'red', title: 'from the second' } },
        { id: 'n2', fields: { title: 'only on the second' } },
      ]);
      expect(device.listMessages({ unreadOnly: true }).map((m) => m.id)).toContain(messageId);
    }
  });

  it('survives a restart of the device from its saved state, resuming the mailbox at its cursor', async () => {
    const saved = JSON.parse(JSON.stringify(second().saveState()));
    const secrets = alice.identity.devices[1]!.secrets;
    await alice.devices[1]!.stop();
    const restarted = await TransportAccount.open(test.endpoint, secrets);
    try {
      const cursor = restarted.loadState(saved);
      expect(cursor).toBeGreaterThan(0);
      expect(restarted.datawallet.list('notes')).toEqual(second().datawallet.list('notes'));
      const events: AccountEvent[] = [];
      void (async () => {
        for await (const event of restarted.events({ cursor })) events.push(event);
      })().catch(() => undefined);
      // The relationship keys came back: it sends, and what arrives later is processed once.
      const { id } = await restarted.sendMessage([bob.address], { text: 'after a restart' });
      await waitFor(
        () => events.some((e) => e.type === 'messageSent' && e.id === id),
        'its own sent copy after the restart',
      );
      expect(events.filter((e) => e.type === 'messageReceived' || e.type === 'messageRejected')).toEqual([]);
    } finally {
      await restarted.close();
    }
  });

  it('refuses a change with a bad name, or too large to travel, before it is recorded', async () => {
    expect(thrownCode(() => first().datawallet.set('no spaces', 'x', {}))).toBe(
      'error.transport.datawalletInvalid',
    );
    const big = 'x'.repeat(200 * 1024);
    expect(thrownCode(() => first().datawallet.set('notes', 'big', { big }))).toBe(
      'error.transport.datawalletTooLarge',
    );
    expect(first().datawallet.get('notes', 'big')).toBeUndefined();
  });
});
