import type { AccountEvent } from '@enmesh/transport';
import { MemoryKeyStore, TransportAccount } from '@enmesh/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

type Received = Extract<AccountEvent, { type: 'messageReceived' }>;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

/** What a device does while offline goes out once when it is back (the client outbox). */
describe('the client outbox', { timeout: 60_000 }, () => {
  let test: TestStack;
  let alice: TestPerson;
  let bob: TestPerson;

  const receivedIds = () =>
    bob.devices[0]!.events.filter((e): e is Received => e.type === 'messageReceived').map(
      (e) => e.message.id,
    );

  beforeAll(async () => {
    test = await startTestStack();
    [alice, bob] = await Promise.all([createTestPerson(test, 1), createTestPerson(test, 1)]);
    const a = alice.devices[0]!.account;
    const { url } = await a.createTemplate({}, { expiresAt: inDays(1) });
    const b = bob.devices[0]!.account;
    const pending = await b.requestRelationship(await b.loadTemplate(url), {});
    await a.change('acceptRelationship', pending.id);
    await waitFor(() => a.state.relationships.get(pending.id)?.status === 'Active', 'Active');
  });

  afterAll(async () => {
    await stopAll(alice, bob);
    await test?.destroy();
  });

  it('sends what was queued while the broker was down, once, in order, after it is back', async () => {
    const a = alice.devices[0]!.account;
    const ids: string[] = [];
    await test.stack.broker.restartServer({
      kill: true,
      whileDown: async () => {
        for (let i = 0; i < 5; i++) ids.push(await a.queueMessage([bob.address], { offline: i }));
        expect(a.outbox.pending.map((send) => send.body.id)).toEqual(ids);
      },
    });
    await waitFor(() => ids.every((id) => receivedIds().includes(id)), 'the queued messages at bob', 30_000);
    expect(receivedIds().filter((id) => ids.includes(id))).toEqual(ids);
    // The last answers may still be on their way; then the outbox is empty, and nothing came twice.
    await waitFor(() => a.outbox.pending.length === 0, 'the outbox to empty', 15_000);
    expect(receivedIds().filter((id) => ids.includes(id))).toEqual(ids);
  });

  it('keeps queued sends across a restart of the client, and sends each once', async () => {
    const store = new MemoryKeyStore();
    const secrets = alice.identity.first;
    // A client that queues, then stops before it could send (its session is closed first).
    const first = await TransportAccount.open(test.endpoint, secrets, { outboxStore: store });
    for (const { account } of alice.devices)
      for (const [id, r] of account.state.relationships) first.state.putRelationship(id, r);
    for (const { account } of alice.devices)
      for (const [id, k] of account.state.keys) first.state.keys.set(id, k);
    await first.close();
    const id = await first.queueMessage([bob.address], { survived: 'a restart' });
    expect(first.outbox.pending.map((send) => send.body.id)).toEqual([id]);
    const queued = first.outbox.pending[0]!.body;
    // The next run of the client finds it and sends it.
    const second = await TransportAccount.open(test.endpoint, secrets, { outboxStore: store });
    await waitFor(() => receivedIds().includes(id), 'the message queued before the restart', 15_000);
    await waitFor(() => second.outbox.pending.length === 0, 'the outbox to empty');
    // Sending it again (as a client that lost the answer would) delivers nothing new.
    await second.session.call('sendMessage', queued);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receivedIds().filter((each) => each === id)).toHaveLength(1);
    await second.close();
  });
});
