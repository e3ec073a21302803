import { type AccountEvent, BootstrapClient, loadToken } from '@enmesh/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { errorCode } from './kit/errors.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

type Received = Extract<AccountEvent, { type: 'messageReceived' }>;
const received = (events: AccountEvent[]) =>
  events.filter((e): e is Received => e.type === 'messageReceived');
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

/** Two identities who never met relate through a QR link and exchange end-to-end encrypted messages. */
describe('relationship and messages, end to end', () => {
  let test: TestStack;
  let alice: TestPerson;
  let bob: TestPerson;
  let carol: TestPerson;
  let dave: TestPerson;

  /** `templator` publishes a template in a token; `requestor` loads it from the token's link and asks. */
  async function relate(templator: TestPerson, requestor: TestPerson, greeting: string) {
    const a = templator.devices[0]!.account;
    const { url: templateUrl } = await a.createTemplate({ name: 'from template' }, { expiresAt: inDays(1) });
    const { url: tokenUrl } = await a.createToken({ templateUrl }, { expiresAt: inDays(1) });
    const b = requestor.devices[0]!.account;
    const token = await b.loadToken(tokenUrl);
    const loaded = await b.loadTemplate((token.content as { templateUrl: string }).templateUrl);
    expect(loaded.content).toEqual({ name: 'from template' });
    expect(loaded.createdBy).toBe(templator.address);
    const pending = await b.requestRelationship(loaded, { greeting });
    // The templator's devices learn of the request through their mailboxes and can read its content.
    await waitFor(
      () =>
        templator.devices.every((d) =>
          d.events.some((e) => e.type === 'relationshipChanged' && e.relationshipId === pending.id),
        ),
      'the request to reach every device of the templator',
    );
    const request = templator.devices
      .at(-1)
      ?.events.find((e) => e.type === 'relationshipChanged' && e.relationshipId === pending.id);
    expect(request && 'creationContent' in request ? request.creationContent : undefined).toEqual({
      greeting,
    });
    const active = await a.change('acceptRelationship', pending.id);
    expect(active.status).toBe('Active');
    await waitFor(
      () =>
        [...templator.devices, ...requestor.devices].every(
          (d) => d.account.state.relationships.get(pending.id)?.status === 'Active',
        ),
      'every device to see the relationship Active',
    );
    return active;
  }

  beforeAll(async () => {
    test = await startTestStack();
    [alice, bob, carol, dave] = await Promise.all([
      createTestPerson(test, 2),
      createTestPerson(test, 2),
      createTestPerson(test, 1),
      createTestPerson(test, 1),
    ]);
    await relate(alice, bob, 'hello alice');
    await relate(alice, carol, 'hello from carol');
    await relate(carol, bob, 'bob meets carol');
    await relate(dave, alice, 'dave asks alice');
  });

  afterAll(async () => {
    await stopAll(alice, bob, carol, dave);
    await test?.destroy();
  });

  it('delivers each message once to every device of every recipient, decrypted and verified', async () => {
    const sends = [
      { from: alice, to: [bob], body: { text: 'one recipient' } },
      { from: alice, to: [bob, carol], body: { text: 'two recipients' } },
      { from: bob, to: [alice, carol], body: { text: 'reply to both' } },
      { from: carol, to: [alice, bob], body: { text: 'carol to both' } },
      { from: alice, to: [bob, carol, dave], body: { text: 'three recipients' } },
    ];
    const ids: string[] = [];
    for (const send of sends) {
      const answer = await send.from.devices[0]!.account.sendMessage(
        send.to.map((p) => p.address),
        send.body,
      );
      ids.push(answer.id);
    }
    for (const [i, send] of sends.entries()) {
      for (const person of send.to) {
        for (const device of person.devices) {
          await waitFor(
            () => received(device.events).some((e) => e.message.id === ids[i]),
            `message ${i} on a device`,
          );
          const copies = received(device.events).filter((e) => e.message.id === ids[i]);
          expect(copies).toHaveLength(1);
          expect(copies[0]!.message).toMatchObject({
            sender: send.from.address,
            recipients: send.to.map((p) => p.address),
            content: send.body,
          });
        }
      }
    }
    // The sender's other device sees every message the first device sent, content included.
    for (const [i, send] of sends.entries()) {
      if (send.from !== alice) continue;
      await waitFor(
        () => alice.devices[1]!.events.some((e) => e.type === 'messageSent' && e.id === ids[i]),
        `sent message ${i} on the sender’s other device`,
      );
      const sent = alice.devices[1]!.events.filter((e) => e.type === 'messageSent' && e.id === ids[i]);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipients: send.to.map((p) => p.address),
        content: send.body,
      });
    }
    for (const person of [alice, bob, carol]) {
      for (const device of person.devices)
        expect(device.events.filter((e) => e.type === 'messageRejected')).toEqual([]);
    }
  });

  it('keeps read and unread state per message on the device', async () => {
    const device = bob.devices[0]!.account;
    const unread = device.listMessages({ unreadOnly: true });
    expect(unread.length).toBeGreaterThan(0);
    expect(unread.every((message) => message.direction === 'incoming')).toBe(true);
    expect(device.markMessageRead(unread[0]!.id)).toBe(true);
    expect(device.listMessages({ unreadOnly: true }).map((m) => m.id)).not.toContain(unread[0]!.id);
    device.markMessageRead(unread[0]!.id, false);
    expect(device.listMessages({ unreadOnly: true }).map((m) => m.id)).toContain(unread[0]!.id);
    expect(device.markMessageRead('MSGunknownunknownunknown')).toBe(false);
  });

  it('keeps working after a side rotates its relationship keys', async () => {
    const a = alice.devices[0]!.account;
    const relationship = [...a.state.relationships.values()].find(
      (r) => r.from === bob.address || r.to === bob.address,
    )!;
    expect(a.rotateRelationshipKeys(relationship.id)).toBe(1);
    expect(a.rotateRelationshipKeys(relationship.id)).toBe(2);
    const { id } = await a.sendMessage([bob.address], { text: 'after rotation' });
    for (const device of bob.devices) {
      await waitFor(
        () => received(device.events).some((e) => e.message.id === id),
        'the message after rotation',
      );
    }
    const reply = await bob.devices[1]!.account.sendMessage([alice.address], { text: 'still on epoch 0' });
    await waitFor(
      () => received(alice.devices[0]!.events).some((e) => e.message.id === reply.id),
      'the reply',
    );
  });

  it('shares password-protected tokens by link, for one identity or anonymously', async () => {
    const a = alice.devices[0]!.account;
    const shared = await a.createToken(
      { secret: 42 },
      { expiresAt: inDays(1), password: { secret: '1234', kind: 'pin' } },
    );
    expect(shared.url).toMatch(/^https:\/\/[^#]+#[A-Za-z0-9_-]+$/);
    const b = bob.devices[0]!.account;
    expect((await b.loadToken(shared.url, { password: '1234' })).content).toEqual({ secret: 42 });
    expect(await errorCode(b.loadToken(shared.url, { password: '9999' }))).toBe('error.tokens.wrongPassword');
    const forCarol = await a.createToken(
      { only: 'carol' },
      { expiresAt: inDays(1), forIdentity: carol.address },
    );
    expect((await carol.devices[0]!.account.loadToken(forCarol.reference)).content).toEqual({
      only: 'carol',
    });
    expect(await errorCode(b.loadToken(forCarol.reference))).toBe('error.tokens.notForYou');
    const anonymous = await BootstrapClient.connect(test.endpoint, test.bootstrapCreds);
    try {
      const open = await a.createToken({ hello: 'anyone' }, { expiresAt: inDays(1) });
      expect((await loadToken(anonymous, open.url)).content).toEqual({ hello: 'anyone' });
    } finally {
      await anonymous.close();
    }
  });
});
