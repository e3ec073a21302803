import { deviceJetStreamApiPrefix as api, mailboxSubject } from '@enmesh/protocol';
import { connectBootstrap, connectDevice } from '@enmesh/transport';
import { jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Attempt, deniedByPermissions, tryRequest, trySubscribe } from './kit/attacks.js';
import { closeAll, createTestIdentity, publishToMailbox, type TestIdentity } from './kit/identities.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { collect, waitFor } from './kit/wait.js';

/**
 * Device B (of identity bob) attacks identity alice by every route the broker offers. The broker itself must
 * refuse each one: the actors are not even asked.
 */
describe('a device of another identity', () => {
  let test: TestStack;
  let actor: NatsConnection;
  let alice: TestIdentity;
  let bob: TestIdentity;
  let attacker: NatsConnection;
  let aliceDevice: string;
  let aliceStream: string;
  let aliceSubject: string;

  const mailboxCount = async () =>
    (await (await jetstreamManager(actor)).streams.info(aliceStream)).state.messages;

  beforeAll(async () => {
    test = await startTestStack();
    actor = await test.stack.broker.connectActor('test-observer');
    [alice, bob] = await Promise.all([createTestIdentity(test, 1), createTestIdentity(test, 1)]);
    aliceDevice = alice.first.device.publicKey;
    aliceStream = alice.first.credentials.mailboxStream;
    aliceSubject = mailboxSubject(alice.token, test.settings.broker.shardCount);
    const b = bob.first;
    attacker = await connectDevice(test.endpoint, {
      publicKey: b.device.publicKey,
      seed: b.device.seed,
      jwt: () => b.credentials.jwt,
    });
    await publishToMailbox(actor, test, alice.token, 'secret-for-alice');
    // Alice's consumer exists (she is online) so that attacks on it are meaningful.
    await alice.devices[0]!.session.call('openMailbox', { cursor: 0 });
  });

  afterAll(async () => {
    await attacker?.close();
    await closeAll(alice, bob);
    await actor?.close();
    await test?.destroy();
  });

  const expectDenied = (attempt: Attempt) => {
    expect(attempt.allowed, JSON.stringify(attempt)).toBe(false);
    expect(deniedByPermissions(attempt), JSON.stringify(attempt)).toBe(true);
  };

  it('cannot pull from or inspect the other identity’s consumer', async () => {
    expectDenied(
      await tryRequest(attacker, `${api}.CONSUMER.MSG.NEXT.${aliceStream}.${aliceDevice}`, '{"batch":1}'),
    );
    expectDenied(await tryRequest(attacker, `${api}.CONSUMER.INFO.${aliceStream}.${aliceDevice}`));
  });

  it('cannot read the stream directly, list it or create a consumer on it', async () => {
    expectDenied(
      await tryRequest(
        attacker,
        `${api}.STREAM.MSG.GET.${aliceStream}`,
        JSON.stringify({ last_by_subj: aliceSubject }),
      ),
    );
    expectDenied(await tryRequest(attacker, `$JS.API.DIRECT.GET.${aliceStream}.${aliceSubject}`));
    expectDenied(
      await tryRequest(
        attacker,
        `${api}.DIRECT.GET.${aliceStream}`,
        JSON.stringify({ last_by_subj: aliceSubject }),
      ),
    );
    expectDenied(await tryRequest(attacker, `${api}.STREAM.INFO.${aliceStream}`));
    expectDenied(await tryRequest(attacker, `${api}.STREAM.LIST`));
    expectDenied(await tryRequest(attacker, `$JS.API.INFO`));
    const consumer = JSON.stringify({
      stream_name: aliceStream,
      config: { filter_subject: aliceSubject, ack_policy: 'none' },
    });
    expectDenied(await tryRequest(attacker, `${api}.CONSUMER.CREATE.${aliceStream}`, consumer));
    expectDenied(
      await tryRequest(
        attacker,
        `${api}.CONSUMER.DURABLE.CREATE.${aliceStream}.${bob.first.device.publicKey}`,
        consumer,
      ),
    );
  });

  it('cannot subscribe to the other identity’s subjects or to anyone’s inbox', async () => {
    for (const subject of [
      aliceSubject,
      'mbx.>',
      '>',
      '_INBOX.>',
      `_INBOX.${aliceDevice}.>`,
      `bb.req.${alice.token}.>`,
      '$JS.ACK.>',
    ]) {
      expectDenied(await trySubscribe(attacker, subject));
    }
  });

  it('cannot call the backbone as the other identity or as another device', async () => {
    const bobDevice = bob.first.device.publicKey;
    expectDenied(await tryRequest(attacker, `bb.req.${alice.token}.${aliceDevice}.devices.list`));
    expectDenied(await tryRequest(attacker, `bb.req.${alice.token}.${bobDevice}.devices.list`));
    expectDenied(await tryRequest(attacker, `bb.req.${bob.token}.${aliceDevice}.devices.list`));
    expectDenied(await tryRequest(attacker, `bb.pub.identities.create`));
  });

  it('cannot pass as the other identity by forging the caller header', async () => {
    const forged = headers();
    forged.set(
      'Nats-Request-Info',
      JSON.stringify({ acc: 'x', user: aliceDevice, tags: [`identity:${alice.token}`] }),
    );
    const reply = await attacker.request(
      `bb.req.${bob.token}.${bob.first.device.publicKey}.devices.list`,
      '{}',
      {
        headers: forged,
        timeout: 2000,
      },
    );
    const listed = (reply.json() as { result: { devices: { id: string }[] } }).result.devices.map(
      (d) => d.id,
    );
    expect(listed).toEqual([bob.first.device.publicKey]);
  });

  it('cannot plant data in the other identity’s mailbox through a reply subject', async () => {
    const before = await mailboxCount();
    const own = `bb.req.${bob.token}.${bob.first.device.publicKey}`;
    const ownStream = bob.first.credentials.mailboxStream;
    attacker.publish(`${own}.challenges.create`, '{}', { reply: aliceSubject });
    attacker.publish(`${own}.devices.list`, '{}', { reply: aliceSubject });
    attacker.publish(`${api}.CONSUMER.INFO.${ownStream}.${bob.first.device.publicKey}`, '', {
      reply: aliceSubject,
    });
    attacker.publish(
      `${api}.CONSUMER.MSG.NEXT.${ownStream}.${bob.first.device.publicKey}`,
      '{"batch":1,"no_wait":true}',
      {
        reply: aliceSubject,
      },
    );
    await attacker.flush();
    // The server would have stored a planted reply within milliseconds; the backbone answers take one round trip.
    const probe = await tryRequest(attacker, `${own}.devices.list`);
    expect(probe.allowed).toBe(true);
    expect(await mailboxCount()).toBe(before);
  });

  it('cannot acknowledge the other identity’s messages', async () => {
    const mailbox = await alice.devices[0]!.session.mailbox({ cursor: 0 });
    const [entry] = await collect(mailbox, 1, 2000);
    expect(entry).toBeDefined();
    const jsm = await jetstreamManager(actor);
    const pending = async () => (await jsm.consumers.info(aliceStream, aliceDevice)).num_ack_pending;
    await waitFor(async () => (await pending()) === 1, 'the entry to be pending');
    const ackSubject = `$JS.ACK.${aliceStream}.${aliceDevice}.1.${entry!.sequence}.1.0.0`;
    expectDenied(await tryRequest(attacker, ackSubject, '+ACK'));
    // And by aiming a reply at the ack subject:
    attacker.publish(`bb.req.${bob.token}.${bob.first.device.publicKey}.devices.list`, '{}', {
      reply: ackSubject,
    });
    await tryRequest(attacker, `bb.req.${bob.token}.${bob.first.device.publicKey}.devices.list`);
    expect(await pending()).toBe(1);
    await entry!.ack();
    await mailbox.close();
  });
});

describe('the unauthenticated bootstrap client', () => {
  let test: TestStack;
  let bootstrap: NatsConnection;
  let alice: TestIdentity;

  beforeAll(async () => {
    test = await startTestStack();
    alice = await createTestIdentity(test, 1);
    bootstrap = await connectBootstrap(test.endpoint, test.bootstrapCreds);
  });

  afterAll(async () => {
    await bootstrap?.close();
    await closeAll(alice);
    await test?.destroy();
  });

  it('can ask for a challenge (the first step of registration)', async () => {
    const attempt = await tryRequest(bootstrap, 'bb.pub.challenges.create');
    expect(attempt.allowed && JSON.parse(attempt.reply).result.id).toMatch(/^CHL/);
  });

  it('cannot call device operations, read mailboxes or listen to anything but its inbox', async () => {
    const device = alice.first.device.publicKey;
    const stream = alice.first.credentials.mailboxStream;
    for (const subject of [
      `bb.req.${alice.token}.${device}.devices.list`,
      `${api}.CONSUMER.MSG.NEXT.${stream}.${device}`,
      `${api}.CONSUMER.INFO.${stream}.${device}`,
      `$JS.API.INFO`,
      mailboxSubject(alice.token, test.settings.broker.shardCount),
    ]) {
      const attempt = await tryRequest(bootstrap, subject);
      expect(deniedByPermissions(attempt), `${subject}: ${JSON.stringify(attempt)}`).toBe(true);
    }
    for (const subject of ['>', '_INBOX.>', 'mbx.>', `_INBOX.${device}.>`]) {
      expect(deniedByPermissions(await trySubscribe(bootstrap, subject)), subject).toBe(true);
    }
  });

  it('gets a stable error for device operations sent on the bootstrap path', async () => {
    const attempt = await tryRequest(bootstrap, 'bb.pub.devices.list');
    expect(attempt.allowed && JSON.parse(attempt.reply).error.code).toBe('error.protocol.unknownOperation');
  });
});
