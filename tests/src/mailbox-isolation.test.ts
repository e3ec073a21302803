import type { MailboxEntry } from '@enmesh/transport';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, createTestIdentity, publishToMailbox, type TestIdentity } from './kit/identities.js';
import { startTestStack, type TestDatabase, type TestStack } from './kit/stack.js';
import { collect } from './kit/wait.js';

const decoder = new TextDecoder();

describe.each<TestDatabase>(['sqlite', 'postgres'])('mailbox isolation (%s)', (database) => {
  let test: TestStack;
  let actor: NatsConnection;
  let alice: TestIdentity;
  let bob: TestIdentity;

  beforeAll(async () => {
    test = await startTestStack({ database });
    actor = await test.stack.broker.connectActor('test-publisher');
    [alice, bob] = await Promise.all([createTestIdentity(test, 2), createTestIdentity(test, 2)]);
  });

  afterAll(async () => {
    await closeAll(alice, bob);
    await actor?.close();
    await test?.destroy();
  });

  it('delivers everything for an identity to each of its devices, and nothing of the other identity', async () => {
    for (let i = 0; i < 5; i++) {
      await publishToMailbox(actor, test, alice.token, `for-alice-${i}`);
      await publishToMailbox(actor, test, bob.token, `for-bob-${i}`);
    }
    for (const [identity, own] of [
      [alice, 'for-alice-'],
      [bob, 'for-bob-'],
    ] as const) {
      for (const { session } of identity.devices) {
        const mailbox = await session.mailbox({ cursor: 0 });
        // Ask for more than exists: anything extra would be a leak from the other identity.
        const entries = await collect(mailbox, 6, 1500, (entry: MailboxEntry) => entry.ack());
        await mailbox.close();
        expect(entries.map((entry) => decoder.decode(entry.data))).toEqual(
          [0, 1, 2, 3, 4].map((i) => `${own}${i}`),
        );
      }
    }
  });

  it('lets each device resume from its own cursor, independently of the identity’s other devices', async () => {
    const [first, second] = alice.devices;
    let firstCursor = 0;
    const mailbox = await first!.session.mailbox({ cursor: 0, onCursor: (cursor) => (firstCursor = cursor) });
    await collect(mailbox, 5, 1500, (entry) => entry.ack());
    await mailbox.close();
    const fresh = await publishToMailbox(actor, test, alice.token, 'after-cursor');
    const resumed = await first!.session.mailbox({ cursor: firstCursor });
    const next = await collect(resumed, 2, 800, (entry) => entry.ack());
    await resumed.close();
    expect(next.map((entry) => [entry.sequence, decoder.decode(entry.data)])).toEqual([
      [fresh, 'after-cursor'],
    ]);

    // The other device did not move: it still sees everything from the start.
    const other = await second!.session.mailbox({ cursor: 0 });
    const all = await collect(other, 7, 1500, (entry) => entry.ack());
    await other.close();
    expect(all.map((entry) => decoder.decode(entry.data))).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => `for-alice-${i}`),
      'after-cursor',
    ]);
  });

  it('redelivers an entry that was not acknowledged', async () => {
    const device = bob.devices[0]!.session;
    const seq = await publishToMailbox(actor, test, bob.token, 'unacked');
    const first = await device.mailbox({ cursor: seq - 1 });
    const [entry] = await collect(first, 1, 1500);
    expect(entry?.sequence).toBe(seq);
    await first.close();
    // Reopening from the same cursor delivers it again: nothing unacknowledged is lost.
    const again = await device.mailbox({ cursor: seq - 1 });
    const [redelivered] = await collect(again, 1, 1500, (e) => e.ack());
    await again.close();
    expect(redelivered && decoder.decode(redelivered.data)).toBe('unacked');
  });
});
