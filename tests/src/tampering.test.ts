import {
  type DeliveredMessage,
  decodeEnvelope,
  encodeEnvelope,
  fromBase64Url,
  identityToken,
  MailboxEntryType,
  mailboxSubject,
  mailboxTypeHeader,
  randomBytes,
  randomId,
  toBase64Url,
} from '@enmesh/protocol';
import { type AccountEvent, sealOutgoing } from '@enmesh/transport';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { headers } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { errorCode } from './kit/errors.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

/**
 * What a recipient does with deliveries that were tampered with on the way (or forged by whoever controls the
 * broker): each is refused, and the recipient's state does not change.
 */
describe('tampered and forged messages', () => {
  let test: TestStack;
  let alice: TestPerson;
  let bob: TestPerson;
  let mallory: TestPerson;
  let broker: NatsConnection;
  let published = 0;

  /** Seals a real message from alice, as her SDK does, and returns what the backbone would deliver. */
  function legit(text: string, recipients = [bob.address], id?: string): DeliveredMessage {
    const account = alice.devices[0]!.account;
    const sealed = sealOutgoing(
      account.address,
      recipients,
      { text },
      (peer) => account.state.keysForPeer(peer, ['Active']),
      ...(id === undefined ? [] : [id]),
    );
    return {
      id: sealed.id,
      sender: account.address,
      senderDevice: alice.identity.first.device.publicKey,
      createdAt: sealed.createdAt,
      kind: 'content',
      recipients,
      envelope: sealed.envelope,
      attachments: [],
    };
  }

  async function deliver(to: TestPerson, message: DeliveredMessage) {
    const h = headers();
    h.set(mailboxTypeHeader, MailboxEntryType.messageReceived);
    published += 1;
    await jetstream(broker).publish(
      mailboxSubject(identityToken(to.address), test.settings.broker.shardCount),
      JSON.stringify({ '@type': MailboxEntryType.messageReceived, message }),
      { headers: h, msgID: `tamper-${published}` },
    );
  }

  const outcomes = (person: TestPerson, id: string) =>
    person.devices[0]!.events.filter(
      (e): e is Extract<AccountEvent, { type: 'messageReceived' | 'messageRejected' }> =>
        (e.type === 'messageReceived' && e.message.id === id) ||
        (e.type === 'messageRejected' && e.id === id),
    );

  async function expectRejected(message: DeliveredMessage, to = bob) {
    const acceptedBefore = to.devices[0]!.events.filter((e) => e.type === 'messageReceived').length;
    await deliver(to, message);
    await waitFor(() => outcomes(to, message.id).length > 0, 'the delivery to be processed');
    const last = outcomes(to, message.id).at(-1)!;
    expect(last.type).toBe('messageRejected');
    expect(to.devices[0]!.events.filter((e) => e.type === 'messageReceived').length).toBe(acceptedBefore);
  }

  beforeAll(async () => {
    test = await startTestStack();
    [alice, bob, mallory] = await Promise.all([
      createTestPerson(test, 1),
      createTestPerson(test, 1),
      createTestPerson(test, 1),
    ]);
    broker = await test.stack.broker.connectActor('tamper');
    const a = alice.devices[0]!.account;
    const { url } = await a.createTemplate({}, { expiresAt: inDays(1) });
    const pending = await bob.devices[0]!.account.requestRelationship(
      await bob.devices[0]!.account.loadTemplate(url),
      {},
    );
    await a.change('acceptRelationship', pending.id);
    await waitFor(
      () => bob.devices[0]!.account.state.relationships.get(pending.id)?.status === 'Active',
      'Active at bob',
    );
  });

  afterAll(async () => {
    await broker?.close();
    await stopAll(alice, bob, mallory);
    await test?.destroy();
  });

  it('accepts the untouched message (the baseline for the cases below)', async () => {
    const message = legit('untouched');
    await deliver(bob, message);
    await waitFor(() => outcomes(bob, message.id).length > 0, 'delivery');
    expect(outcomes(bob, message.id)[0]).toMatchObject({
      type: 'messageReceived',
      message: { content: { text: 'untouched' } },
    });
  });

  it('refuses a flipped ciphertext byte', async () => {
    const message = legit('flip');
    const envelope = decodeEnvelope(fromBase64Url(message.envelope));
    const body = fromBase64Url(envelope.body);
    body[body.length - 5]! ^= 0x01;
    await expectRejected({
      ...message,
      envelope: toBase64Url(encodeEnvelope({ ...envelope, body: toBase64Url(body) })),
    });
  });

  it('refuses a swapped recipient list, in the delivery or in the sealed header', async () => {
    const message = legit('swap');
    await expectRejected({ ...message, id: randomId('MSG', 20), recipients: [mallory.address] });
    const envelope = decodeEnvelope(fromBase64Url(message.envelope));
    const swapped = {
      ...envelope,
      header: { ...envelope.header, recipients: [bob.address, mallory.address] },
    };
    await expectRejected({
      ...message,
      recipients: swapped.header.recipients,
      envelope: toBase64Url(encodeEnvelope(swapped)),
    });
  });

  it('drops an identical repeat of a message, and refuses another message under a seen id', async () => {
    const message = legit('once');
    await deliver(bob, message);
    await waitFor(() => outcomes(bob, message.id).length === 1, 'first delivery');
    expect(outcomes(bob, message.id)[0]!.type).toBe('messageReceived');
    const stored = bob.devices[0]!.account.state.messages.get(message.id);

    // The same bytes again (a replay, or a retried send the backbone published twice): no second event.
    await deliver(bob, message);
    const marker = legit('after the repeat');
    await deliver(bob, marker);
    await waitFor(() => outcomes(bob, marker.id).length === 1, 'the delivery after the repeat');
    expect(outcomes(bob, message.id)).toHaveLength(1);

    // Alice's own keys, the same id, other content: a replay of the id, refused; the first one stays.
    await deliver(bob, legit('other content', [bob.address], message.id));
    await waitFor(() => outcomes(bob, message.id).length === 2, 'the replayed id');
    expect(outcomes(bob, message.id)[1]).toMatchObject({ type: 'messageRejected', reason: 'replayed' });
    expect(bob.devices[0]!.account.state.messages.get(message.id)).toEqual(stored);
  });

  it('refuses a forged key wrap and a forged sender', async () => {
    const message = legit('forged');
    const envelope = decodeEnvelope(fromBase64Url(message.envelope));
    const forgedKeys = envelope.keys.map((entry) => ({ ...entry, wrapped: toBase64Url(randomBytes(60)) }));
    await expectRejected({
      ...message,
      envelope: toBase64Url(encodeEnvelope({ ...envelope, keys: forgedKeys })),
    });
    await expectRejected({ ...legit('claimed by mallory'), sender: mallory.address });
  });

  it('refuses a message from an identity without a relationship, at the backbone and at the recipient', async () => {
    const m = mallory.devices[0]!.account;
    expect(
      await errorCode(
        m.session.call('sendMessage', {
          id: randomId('MSG', 20),
          kind: 'content',
          recipients: [bob.address],
          envelope: toBase64Url(randomBytes(100)),
        }),
      ),
    ).toBe('error.messages.noRelationship');
    const forged = legit('from a stranger');
    await expectRejected({
      ...forged,
      sender: mallory.address,
      senderDevice: mallory.identity.first.device.publicKey,
    });
  });
});
