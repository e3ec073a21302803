import { Limits, mailboxSubject } from '@enmesh/protocol';
import { connectDevice } from '@enmesh/transport';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from './kit/errors.js';
import { closeAll, createTestIdentity, type TestIdentity } from './kit/identities.js';
import { startTestStack, type TestStack } from './kit/stack.js';

/** The documented limits (docs/limits.md) hold at their edges. */
describe('limits', () => {
  let test: TestStack;
  let alice: TestIdentity;
  let device: NatsConnection;

  beforeAll(async () => {
    test = await startTestStack({ env: { ENMESH_MAILBOX_MAX_ENTRIES: '100' } });
    alice = await createTestIdentity(test, 1);
    const secrets = alice.first;
    device = await connectDevice(test.endpoint, {
      publicKey: secrets.device.publicKey,
      seed: secrets.device.seed,
      jwt: () => secrets.credentials.jwt,
    });
  });

  afterAll(async () => {
    await device?.close();
    await closeAll(alice);
    await test?.destroy();
  });

  it(`allows a device ${Limits.deviceSubscriptions} subscriptions on one connection, not one more`, async () => {
    // A request makes the connection hold its first subscription: the shared request inbox.
    await device.request(`bb.req.${alice.token}.${alice.first.device.publicKey}.devices.list`, '{}', {
      timeout: 5000,
    });
    const subs = [];
    for (let i = 1; i < Limits.deviceSubscriptions; i++) {
      subs.push(device.subscribe(`_INBOX.${alice.first.device.publicKey}.limit.${i}`));
    }
    await device.flush();
    // The server answers the 51st with an error on the connection (the client reports it as a status).
    const statuses = device.status();
    const refused = (async () => {
      for await (const status of statuses) {
        if (status.type === 'error') return String(status.error);
      }
      return 'no error';
    })();
    device.subscribe(`_INBOX.${alice.first.device.publicKey}.limit.extra`);
    await device.flush();
    expect(await refused).toMatch(/maximum subscriptions exceeded/i);
    for (const sub of subs) sub.unsubscribe();
  });

  it(`refuses a device message over ${Limits.devicePayloadBytes} bytes before it leaves the client`, async () => {
    const subject = `bb.req.${alice.token}.${alice.first.device.publicKey}.devices.list`;
    expect(() => device.publish(subject, new Uint8Array(Limits.devicePayloadBytes + 1))).toThrow(/payload/i);
    const ok = await device.request(subject, '{}', { timeout: 5000 });
    expect(ok.json<{ result: unknown }>().result).toBeDefined();
  });

  it('refuses a new mailbox entry when the mailbox is full, instead of dropping an old one', async () => {
    const actor = await test.stack.broker.connectActor('limits');
    const js = jetstream(actor);
    const subject = mailboxSubject(alice.token, test.settings.broker.shardCount);
    for (let i = 0; i < 100; i++) await js.publish(subject, `entry ${i}`);
    await expect(js.publish(subject, 'one too many')).rejects.toThrow(
      /maximum messages per subject exceeded/i,
    );
    await actor.close();
  });

  it('answers the session’s calls after all that', async () => {
    expect(await errorCode(alice.devices[0]!.session.listDevices())).toBe('no error');
  });
});
