import type { AccountEvent } from '@enmesh/transport';
import { BootstrapClient, startOnboarding, TransportAccount } from '@enmesh/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { errorCode } from './kit/errors.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

/** A second device joins an identity that already has relationships and messages, through a QR code. */
describe('device onboarding', { timeout: 60_000 }, () => {
  let test: TestStack;
  let alice: TestPerson;
  let bob: TestPerson;
  let bootstrap: BootstrapClient;
  const fresh: { account?: TransportAccount; events: AccountEvent[]; cursor: number } = {
    events: [],
    cursor: 0,
  };

  beforeAll(async () => {
    test = await startTestStack();
    [alice, bob] = await Promise.all([createTestPerson(test, 1), createTestPerson(test, 1)]);
    bootstrap = await BootstrapClient.connect(test.endpoint, test.bootstrapCreds);
    const a = alice.devices[0]!.account;
    const { url } = await a.createTemplate({}, { expiresAt: inDays(1) });
    const b = bob.devices[0]!.account;
    const pending = await b.requestRelationship(await b.loadTemplate(url), {});
    await a.change('acceptRelationship', pending.id);
    await waitFor(() => b.state.relationships.get(pending.id)?.status === 'Active', 'Active at bob');
    await a.sendMessage([bob.address], { text: 'before the new device' });
    await b.sendMessage([alice.address], { text: 'reply before the new device' });
    await waitFor(() => a.listMessages().length === 2, 'both messages on the first device');
    a.markMessageRead(a.listMessages({ unreadOnly: true })[0]!.id);
  });

  afterAll(async () => {
    await fresh.account?.close();
    await bootstrap?.close();
    await stopAll(alice, bob);
    await test?.destroy();
  });

  it('joins by QR code, keeping the new device’s seed on the new device', async () => {
    const pending = await startOnboarding(bootstrap, 'localhost');
    const first = alice.devices[0]!.account;
    const added = await first.onboardDevice(pending.qr, 'tablet');
    expect(added.name).toBe('tablet');
    const secrets = await pending.complete({ timeoutMs: 10_000 });
    expect(secrets.identity.address).toBe(alice.address);
    expect(secrets.credentials.deviceId).toBe(added.id);
    expect(pending.qr).not.toContain(new TextDecoder().decode(secrets.device.seed));
    // The same QR code cannot add a device twice.
    expect(await errorCode(first.onboardDevice(pending.qr))).toBe('error.challenges.alreadyUsed');
    fresh.account = await TransportAccount.open(test.endpoint, secrets);
    // The first device's state at its cursor: the new device reads the mailbox only from there.
    expect(secrets.snapshot?.cursor).toBe(first.cursor);
    fresh.cursor = await fresh.account.restoreSnapshot(secrets.snapshot!);
    expect(fresh.cursor).toBeGreaterThan(0);
    void (async () => {
      for await (const event of fresh.account!.events({ cursor: fresh.cursor })) fresh.events.push(event);
    })().catch(() => undefined);
  });

  it('sees the identity’s relationships and messages from the snapshot, without replaying the history', async () => {
    const account = fresh.account!;
    expect([...account.state.relationships.values()].map((r) => r.status)).toEqual(['Active']);
    expect(account.listMessages().map((m) => [m.direction, m.content])).toEqual([
      ['outgoing', { text: 'before the new device' }],
      ['incoming', { text: 'reply before the new device' }],
    ]);
    // The message read on the first device is read here too (the datawallet came along).
    expect(account.listMessages({ unreadOnly: true })).toEqual([]);
    // What the new device reads later starts after the snapshot: none of the earlier messages comes again.
    await bob.devices[0]!.account.sendMessage([alice.address], { text: 'after the new device' });
    await waitFor(
      () => account.listMessages().length === 3,
      'the message sent after onboarding on the new device',
    );
    const replayed = fresh.events.filter((e) => e.type === 'messageReceived' || e.type === 'messageSent');
    expect(replayed).toHaveLength(1);
  });

  it('sends a message that the first device shows as sent', async () => {
    const { id } = await fresh.account!.sendMessage([bob.address], { text: 'from the new device' });
    await waitFor(
      () => alice.devices[0]!.events.some((e) => e.type === 'messageSent' && e.id === id),
      'the sent message on the first device',
    );
    const sent = alice.devices[0]!.events.find((e) => e.type === 'messageSent' && e.id === id);
    expect(sent).toMatchObject({ content: { text: 'from the new device' }, recipients: [bob.address] });
    await waitFor(
      () => bob.devices[0]!.events.some((e) => e.type === 'messageReceived' && e.message.id === id),
      'the message at bob',
    );
  });
});
