import { type AccountEvent, sealOutgoing } from '@enmesh/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { publishToMailbox } from './kit/identities.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
type Received = Extract<AccountEvent, { type: 'messageReceived' }>;

/** One full mailbox refuses its entry; every other delivery goes on (the outbox never jams). */
describe('the backbone outbox with a full mailbox', { timeout: 60_000 }, () => {
  let test: TestStack;
  let alice: TestPerson;
  let bob: TestPerson;
  let carol: TestPerson;

  async function relate(templator: TestPerson, requestor: TestPerson) {
    const t = templator.devices[0]!.account;
    const { url } = await t.createTemplate({}, { expiresAt: inDays(1) });
    const r = requestor.devices[0]!.account;
    const pending = await r.requestRelationship(await r.loadTemplate(url), {});
    await t.change('acceptRelationship', pending.id);
    await waitFor(() => r.state.relationships.get(pending.id)?.status === 'Active', 'Active');
  }

  beforeAll(async () => {
    test = await startTestStack({ env: { ENMESH_MAILBOX_MAX_ENTRIES: '100' } });
    [alice, bob, carol] = await Promise.all(
      [1, 1, 1].map(() => createTestPerson(test, 1)) as [
        Promise<TestPerson>,
        Promise<TestPerson>,
        Promise<TestPerson>,
      ],
    );
    await relate(bob, alice);
    await relate(carol, alice);
  });

  afterAll(async () => {
    await stopAll(alice, bob, carol);
    await test?.destroy();
  });

  it('drops the refused entry, tells the sender, and delivers everything after it', async () => {
    const actor = await test.stack.broker.connectActor('filler');
    const full = () => bob.devices[0]!.events.length;
    // Fill bob's mailbox to its limit with opaque entries.
    for (let i = full(); i < 100; i++) await publishToMailbox(actor, test, bob.identity.token, `filler-${i}`);
    await actor.close();
    const a = alice.devices[0]!.account;
    const lost = await a.sendMessage([bob.address], { text: 'into a full mailbox' });
    const { id } = await a.sendMessage([carol.address], { text: 'after it' });
    await waitFor(
      () =>
        carol.devices[0]!.events.some(
          (e): e is Received => e.type === 'messageReceived' && e.message.id === id,
        ),
      'the later message at carol',
    );
    await waitFor(
      async () => (await test.stack.db.getRepository('OutboxEntry').count()) === 0,
      'an empty outbox',
    );
    expect(bob.devices[0]!.events.filter((e) => e.type === 'messageReceived')).toEqual([]);
    // The sender learns that this recipient did not get it.
    await waitFor(
      () => alice.devices[0]!.events.some((e) => e.type === 'messageNotDelivered' && e.id === lost.id),
      'the notice of the undelivered message at the sender',
    );
    expect(alice.devices[0]!.events.find((e) => e.type === 'messageNotDelivered')).toMatchObject({
      recipient: bob.address,
      reason: 'mailboxFull',
    });
  });

  it('tells the sender of each message in a batch entry the full mailbox refused, and delivers the rest of the batch', async () => {
    const a = alice.devices[0]!.account;
    const sealed = (to: string, text: string) => {
      const message = sealOutgoing(a.address, [to], { text }, (peer) =>
        a.state.keysForPeer(peer, ['Active']),
      );
      return { id: message.id, kind: 'content' as const, recipients: [to], envelope: message.envelope };
    };
    // One request, so one batch: bob's three entries go out as one batch entry, which his mailbox (still full
    // from the test above) refuses as a whole.
    const { results } = await a.session.call('sendMessages', {
      messages: [
        sealed(bob.address, 'batched 1'),
        sealed(bob.address, 'batched 2'),
        sealed(bob.address, 'batched 3'),
        sealed(carol.address, 'batched for carol'),
      ],
    });
    const ids = results.map((outcome) => ('result' in outcome ? outcome.result.id : 'refused'));
    expect(ids).not.toContain('refused');
    const [first, second, third, forCarol] = ids;
    const lost = [first!, second!, third!];
    await waitFor(
      () =>
        lost.every((id) =>
          alice.devices[0]!.events.some((e) => e.type === 'messageNotDelivered' && e.id === id),
        ),
      'a notice for each message of the refused batch',
    );
    for (const id of lost) {
      expect(
        alice.devices[0]!.events.find((e) => e.type === 'messageNotDelivered' && e.id === id),
      ).toMatchObject({ recipient: bob.address, reason: 'mailboxFull' });
    }
    await waitFor(
      () => carol.devices[0]!.events.some((e) => e.type === 'messageReceived' && e.message.id === forCarol),
      'the message of the same batch for carol',
    );
    expect(bob.devices[0]!.events.filter((e) => e.type === 'messageReceived')).toEqual([]);
  });
});
