import type { AccountEvent } from '@enmesh/transport';
import { BootstrapClient, completeOnboarding, startOnboarding, TransportAccount } from '@enmesh/transport';
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
  const fresh: { account?: TransportAccount; events: AccountEvent[] } = { events: [] };

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
    const added = await completeOnboarding(first.session, first.identity, pending.qr, 'tablet');
    expect(added.name).toBe('tablet');
    const secrets = await pending.complete({ timeoutMs: 10_000 });
    expect(secrets.identity.address).toBe(alice.address);
    expect(secrets.credentials.deviceId).toBe(added.id);
    expect(pending.qr).not.toContain(new TextDecoder().decode(secrets.device.seed));
    // The same QR code cannot add a device twice.
    expect(await errorCode(completeOnboarding(first.session, first.identity, pending.qr))).toBe(
      'error.challenges.alreadyUsed',
    );
    fresh.account = await TransportAccount.open(test.endpoint, secrets);
    void (async () => {
      for await (const event of fresh.account!.events({ cursor: 0 })) fresh.events.push(event);
    })().catch(() => undefined);
  });

  it('sees the identity’s relationships and messages, sent ones included', async () => {
    const account = fresh.account!;
    await waitFor(
      () => [...account.state.relationships.values()].some((r) => r.status === 'Active'),
      'the relationship on the new device',
    );
    await waitFor(() => account.listMessages().length === 2, 'the messages on the new device');
    expect(account.listMessages().map((m) => [m.direction, m.content])).toEqual([
      ['outgoing', { text: 'before the new device' }],
      ['incoming', { text: 'reply before the new device' }],
    ]);
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
