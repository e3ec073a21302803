import { deviceJetStreamApiPrefix as api, mailboxSubject, Operations } from '@enmesh/protocol';
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

/**
 * Device A2 of identity alice attacks alice's other device A1. The two share an identity and a mailbox stream,
 * so only the device key in the subject separates them: the broker must refuse every route to A1's subjects,
 * consumer and acks.
 */
describe('another device of the same identity', () => {
  let test: TestStack;
  let actor: NatsConnection;
  let alice: TestIdentity;
  let second: NatsConnection;
  let first: string;
  let own: string;
  let stream: string;

  beforeAll(async () => {
    test = await startTestStack();
    actor = await test.stack.broker.connectActor('test-observer');
    alice = await createTestIdentity(test, 2);
    const a2 = alice.devices[1]!.secrets;
    first = alice.first.device.publicKey;
    own = a2.device.publicKey;
    stream = alice.first.credentials.mailboxStream;
    second = await connectDevice(test.endpoint, {
      publicKey: a2.device.publicKey,
      seed: a2.device.seed,
      jwt: () => a2.credentials.jwt,
    });
    await publishToMailbox(actor, test, alice.token, 'entry-for-both-devices');
    // A1's consumer exists (it is online) so that attacks on it are meaningful.
    await alice.devices[0]!.session.call('openMailbox', { cursor: 0 });
  });

  afterAll(async () => {
    await second?.close();
    await closeAll(alice);
    await actor?.close();
    await test?.destroy();
  });

  const expectDenied = (attempt: Attempt) => {
    expect(attempt.allowed, JSON.stringify(attempt)).toBe(false);
    expect(deniedByPermissions(attempt), JSON.stringify(attempt)).toBe(true);
  };

  it('shares the identity and the mailbox stream, and may call the backbone as itself', async () => {
    expect(alice.devices[1]!.secrets.credentials.mailboxStream).toBe(stream);
    expect(own).not.toBe(first);
    const attempt = await tryRequest(second, `bb.req.${alice.token}.${own}.devices.list`);
    expect(attempt.allowed, JSON.stringify(attempt)).toBe(true);
    const { devices } = (
      JSON.parse(attempt.allowed ? attempt.reply : '{}') as {
        result: { devices: { id: string }[] };
      }
    ).result;
    expect(devices.map((d) => d.id).sort()).toEqual([first, own].sort());
  });

  it('cannot call the backbone as the first device', async () => {
    for (const operation of [
      'devices.list',
      'devices.refresh',
      'devices.revoke',
      'mailbox.open',
      'mailbox.commit',
      'messages.send',
      'challenges.create',
    ]) {
      expectDenied(await tryRequest(second, `bb.req.${alice.token}.${first}.${operation}`));
    }
  });

  it('cannot pull from or inspect the first device’s consumer, nor listen to its inbox', async () => {
    expectDenied(await tryRequest(second, `${api}.CONSUMER.MSG.NEXT.${stream}.${first}`, '{"batch":1}'));
    expectDenied(await tryRequest(second, `${api}.CONSUMER.INFO.${stream}.${first}`));
    // Its own consumer name is allowed (the broker answers, whether or not the consumer exists yet).
    expect((await tryRequest(second, `${api}.CONSUMER.INFO.${stream}.${own}`)).allowed).toBe(true);
    expectDenied(await trySubscribe(second, `_INBOX.${first}.>`));
  });

  it('cannot pass as the first device by forging the caller header', async () => {
    const forged = headers();
    forged.set(
      'Nats-Request-Info',
      JSON.stringify({ acc: 'x', user: first, tags: [`identity:${alice.token}`] }),
    );
    const reply = await second.request(`bb.req.${alice.token}.${own}.devices.list`, '{}', {
      headers: forged,
      timeout: 2000,
    });
    const current = (
      reply.json() as { result: { devices: { id: string; isCurrent: boolean }[] } }
    ).result.devices
      .filter((d) => d.isCurrent)
      .map((d) => d.id);
    expect(current).toEqual([own]);
  });

  it('cannot acknowledge the first device’s messages', async () => {
    const mailbox = await alice.devices[0]!.session.mailbox({ cursor: 0 });
    const [entry] = await collect(mailbox, 1, 2000);
    expect(entry).toBeDefined();
    const jsm = await jetstreamManager(actor);
    const pending = async () => (await jsm.consumers.info(stream, first)).num_ack_pending;
    await waitFor(async () => (await pending()) === 1, 'the entry to be pending');
    const ackSubject = `$JS.ACK.${stream}.${first}.1.${entry!.sequence}.1.0.0`;
    expectDenied(await tryRequest(second, ackSubject, '+ACK'));
    // And by aiming a reply at the ack subject:
    second.publish(`bb.req.${alice.token}.${own}.devices.list`, '{}', { reply: ackSubject });
    await tryRequest(second, `bb.req.${alice.token}.${own}.devices.list`);
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

  it('is refused device operations on the bootstrap path by the broker, and by the actor behind it', async () => {
    expect(deniedByPermissions(await tryRequest(bootstrap, 'bb.pub.devices.list'))).toBe(true);
    // Should the broker's permissions ever be wider, the actor still serves no such operation.
    const inside = await test.stack.broker.connectActor('test-observer');
    try {
      const attempt = await tryRequest(inside, 'bb.pub.devices.list');
      expect(attempt.allowed && JSON.parse(attempt.reply).error.code).toBe('error.protocol.unknownOperation');
    } finally {
      await inside.close();
    }
  });

  const declared = Object.values(Operations);
  const subjectOf = (spec: { service: string; operation: string }) => `${spec.service}.${spec.operation}`;
  const bootstrapOperations = declared.filter((spec) => spec.access === 'bootstrap').map(subjectOf);

  it('is offered exactly the documented bootstrap operations', async () => {
    // Adding a bootstrap operation widens what anyone may call without credentials: change this list knowingly.
    expect([...bootstrapOperations].sort()).toEqual(
      [
        'challenges.create',
        'devices.login',
        'identities.create',
        'templates.get',
        'tokens.createEmpty',
        'tokens.get',
      ].sort(),
    );
    // Each of them is served on the bootstrap path (an empty body is at worst malformed, never unknown).
    for (const operation of bootstrapOperations) {
      const attempt = await tryRequest(bootstrap, `bb.pub.${operation}`, '{}', 5000);
      expect(attempt.allowed, `${operation}: ${JSON.stringify(attempt)}`).toBe(true);
      const reply = JSON.parse(attempt.allowed ? attempt.reply : '{}') as { error?: { code: string } };
      expect(reply.error?.code, operation).not.toBe('error.protocol.unknownOperation');
    }
  });

  it('cannot call any device-only operation on the bootstrap path', async () => {
    // Device operations that share a subject with a bootstrap one (challenges.create, tokens.get,
    // templates.get) are the bootstrap operation on that path; every other one must not be served.
    const deviceOnly = [
      ...new Set(declared.filter((spec) => spec.access === 'device').map(subjectOf)),
    ].filter((operation) => !bootstrapOperations.includes(operation));
    expect(deviceOnly.length).toBeGreaterThan(30);
    // The bootstrap user may publish only the declared bootstrap subjects: the broker refuses the rest.
    const outcomes = await Promise.all(
      deviceOnly.map(async (operation) => {
        const attempt = await tryRequest(bootstrap, `bb.pub.${operation}`, '{}', 2000);
        if (attempt.allowed) return [operation, JSON.parse(attempt.reply).error?.code ?? 'a result'] as const;
        if (deniedByPermissions(attempt)) return [operation, 'refused by the broker'] as const;
        return [operation, /timeout/i.test(attempt.reason) ? 'unanswered' : attempt.reason] as const;
      }),
    );
    const expected = deviceOnly.map((operation) => [operation, 'refused by the broker'] as const);
    expect(outcomes).toEqual(expected);
  });
});
