import { unpublishedLifetimeMs } from '@enmesh/actor-messages';
import {
  ErrorCodes,
  identityToken,
  MailboxEntryType,
  mailboxShard,
  mailboxStreamName,
  mailboxSubject,
  maxMessagesPerSend,
  ProtocolError,
  RelationshipStatus,
  type RequestOf,
  randomBytes,
  randomId,
  toBase64Url,
} from '@enmesh/protocol';
import { type AccountEvent, sealOutgoing, TransportAccount } from '@enmesh/transport';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { addDevice } from './kit/identities.js';
import { countRows } from './kit/rows.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

type SendRequest = RequestOf<'sendMessage'>;
type Received = Extract<AccountEvent, { type: 'messageReceived' }>;
type Rejected = Extract<AccountEvent, { type: 'messageRejected' }>;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
const newId = () => randomId('MSG', 20);
const isReceived = (event: AccountEvent): event is Received => event.type === 'messageReceived';
const isRejected = (event: AccountEvent): event is Rejected => event.type === 'messageRejected';

/** An opened message reduced to what a test compares: its id and its decrypted content. */
interface OpenedMessage {
  readonly id: string;
  readonly content: unknown;
}

const sortedById = (messages: readonly OpenedMessage[]) =>
  [...messages].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

/** The code a call failed with; fails the test when the call succeeded or failed without a protocol error. */
async function failureCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (ProtocolError.isProtocolError(error)) return error.code;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/**
 * A content message from `sender` to `recipients`, sealed with the keys of their Active relationships as
 * the SDK seals it, ready to go into a raw `sendMessages` request.
 */
function sealedRequest(
  sender: TransportAccount,
  recipients: readonly string[],
  content: unknown,
  id: string = newId(),
): SendRequest {
  const sealed = sealOutgoing(
    sender.identity.address,
    recipients,
    content,
    (peer) => sender.state.keysForPeer(peer, [RelationshipStatus.active]),
    id,
  );
  return { id: sealed.id, kind: 'content', recipients: [...recipients], envelope: sealed.envelope };
}

/** A message whose envelope is random bytes: for a recipient the sender has no keys for (it is refused). */
function unsealableRequest(recipients: readonly string[]): SendRequest {
  return {
    id: newId(),
    kind: 'content',
    recipients: [...recipients],
    envelope: toBase64Url(randomBytes(120)),
  };
}

/**
 * What a device made of the message deliveries in its mailbox from event index `from` on: the messages it
 * opened (by id), and the ids of deliveries it refused (a replayed copy, or one that would not open).
 */
function deliveriesSince(events: readonly AccountEvent[], from: number) {
  const later = events.slice(from);
  return {
    opened: sortedById(
      later.filter(isReceived).map(({ message }) => ({ id: message.id, content: message.content })),
    ),
    refused: later.filter(isRejected).map((event) => event.id),
  };
}

/** The event count of each device of a person, to look at what arrives after it. */
const eventMarks = (person: TestPerson) => person.devices.map((device) => device.events.length);

/**
 * Sends one more message from `sender` to `recipient` and waits until every device of the recipient opened
 * it. A mailbox hands out entries in order, so by then each device has seen everything sent to it before.
 */
async function deliverMarker(sender: TestPerson, recipient: TestPerson): Promise<OpenedMessage> {
  const content = { text: `marker ${newId()}` };
  const { id } = await sender.devices[0]!.account.sendMessage([recipient.address], content);
  await waitFor(
    () =>
      recipient.devices.every((device) => device.events.some((e) => isReceived(e) && e.message.id === id)),
    'the marker message on every device of the recipient',
  );
  return { id, content };
}

/** `sendMessages`: several sends in one request, each decided, stored, delivered and answered as if alone. */
describe('message batches', { timeout: 60_000 }, () => {
  let test: TestStack;
  let alice: TestPerson;
  let bob: TestPerson;
  let carol: TestPerson;
  const a = () => alice.devices[0]!.account;

  /** Writes the rows a send from alice to bob leaves behind, as the actor records them, at `createdAt`. */
  async function recordSend(id: string, createdAt: number, published: boolean) {
    await test.stack.db.getRepository('Message').insert({
      id,
      senderToken: alice.identity.token,
      senderDevice: a().session.deviceId,
      kind: 'content',
      createdAt,
      envelopeBytes: 100,
      recipientCount: 1,
      published,
      senderCopied: false,
    });
    await test.stack.db.getRepository('MessageRecipient').insert({
      messageId: id,
      recipientToken: bob.identity.token,
      position: 0,
      senderToken: alice.identity.token,
      receivedAt: null,
    });
  }

  /** `templator` publishes a template, `requestor` asks, the templator accepts; every device sees it Active. */
  async function relate(templator: TestPerson, requestor: TestPerson) {
    const t = templator.devices[0]!.account;
    const { url } = await t.createTemplate({}, { expiresAt: inDays(1) });
    const r = requestor.devices[0]!.account;
    const pending = await r.requestRelationship(await r.loadTemplate(url), {});
    await waitFor(
      () => templator.devices.every((d) => d.account.state.relationships.has(pending.id)),
      'the request on every device of the templator',
    );
    await t.change('acceptRelationship', pending.id);
    await waitFor(
      () =>
        [...templator.devices, ...requestor.devices].every(
          (d) => d.account.state.relationships.get(pending.id)?.status === 'Active',
        ),
      'the relationship Active on every device',
    );
  }

  beforeAll(async () => {
    test = await startTestStack();
    [alice, bob, carol] = await Promise.all([
      createTestPerson(test, 1),
      createTestPerson(test, 2),
      createTestPerson(test, 1),
    ]);
    // Alice and bob are related; carol is related to nobody.
    await relate(bob, alice);
  });

  afterAll(async () => {
    await stopAll(alice, bob, carol);
    await test?.destroy();
  });

  it('answers each message in request order, refusing only the bad one, and delivers every accepted one once', async () => {
    const marks = eventMarks(bob);
    const earlierContent = { text: 'sent before the batch' };
    const earlier = await a().sendMessage([bob.address], earlierContent);

    const first = sealedRequest(a(), [bob.address], { text: 'first of the batch' });
    const toStranger = unsealableRequest([carol.address]);
    const second = sealedRequest(a(), [bob.address], { text: 'second of the batch' });
    const repeatOfFirst = sealedRequest(a(), [bob.address], { text: 'same id as the first' }, first.id);
    const earlierAgain = sealedRequest(
      a(),
      [bob.address],
      { text: 'same id as the earlier one' },
      earlier.id,
    );
    const { results } = await a().session.call('sendMessages', {
      messages: [first, toStranger, second, repeatOfFirst, earlierAgain],
    });

    const accepted = (request: SendRequest) => ({
      // Alice has one device: no MessageSent copy, her device records the message from this answer.
      result: {
        id: request.id,
        createdAt: expect.any(String),
        recipients: [bob.address],
        copiedToOwnDevices: false,
      },
    });
    expect(results).toEqual([
      accepted(first),
      {
        error: {
          code: ErrorCodes.messageNoRelationship,
          message: expect.any(String),
          details: { recipient: carol.address },
        },
      },
      accepted(second),
      accepted(first),
      { result: earlier },
    ]);
    // The repeated id shares the first one's answer, time included.
    expect(results[3]).toEqual(results[0]);

    const marker = await deliverMarker(alice, bob);
    const expected = sortedById([
      { id: earlier.id, content: earlierContent },
      { id: first.id, content: { text: 'first of the batch' } },
      { id: second.id, content: { text: 'second of the batch' } },
      marker,
    ]);
    for (const [i, device] of bob.devices.entries()) {
      expect(deliveriesSince(device.events, marks[i]!)).toEqual({ opened: expected, refused: [] });
    }
    // The refused message was not stored; the repeated one was stored once.
    expect(await countRows(test, 'messages', 'id', toStranger.id)).toBe(0);
    expect(await countRows(test, 'messages', 'id', first.id)).toBe(1);
    expect(await countRows(test, 'message_recipients', 'messageId', first.id)).toBe(1);
  });

  it(`refuses a batch of no messages or of more than ${maxMessagesPerSend} as a whole, and keeps serving`, async () => {
    const marks = eventMarks(bob);
    const oversized = Array.from({ length: maxMessagesPerSend + 1 }, (_, i) =>
      sealedRequest(a(), [bob.address], { text: `one too many ${i}` }),
    );
    expect(await failureCode(a().session.call('sendMessages', { messages: [] }))).toBe(
      ErrorCodes.malformedRequest,
    );
    expect(await failureCode(a().session.call('sendMessages', { messages: oversized }))).toBe(
      ErrorCodes.malformedRequest,
    );
    for (const request of oversized) expect(await countRows(test, 'messages', 'id', request.id)).toBe(0);

    // A batch of exactly the limit goes through, each message with its own answer.
    const full = Array.from({ length: maxMessagesPerSend }, (_, i) =>
      sealedRequest(a(), [bob.address], { text: `at the limit ${i}` }),
    );
    const { results } = await a().session.call('sendMessages', { messages: full });
    expect(results.map((outcome) => ('result' in outcome ? outcome.result.id : outcome.error.code))).toEqual(
      full.map((request) => request.id),
    );

    // A normal send after the refused batches is delivered (the marker).
    const marker = await deliverMarker(alice, bob);
    const expected = sortedById([
      ...full.map((request, i) => ({ id: request.id, content: { text: `at the limit ${i}` } })),
      marker,
    ]);
    for (const [i, device] of bob.devices.entries()) {
      expect(deliveriesSince(device.events, marks[i]!)).toEqual({ opened: expected, refused: [] });
    }
  });

  it('publishes a message that was recorded but never published when the sender retries it, as first decided', async () => {
    const marks = eventMarks(bob);
    // The window a crash can leave: the rows written, the mailbox entries never confirmed.
    const id = newId();
    const createdAt = Date.now() - 60_000;
    await recordSend(id, createdAt, false);

    // Only the same message completes it: another kind under this id is refused, and changes nothing.
    const other = await a()
      .sendMessage([bob.address], { text: 'not this one' }, { id, kind: 'notification', retryForMs: 0 })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(other).toMatchObject({ code: 'error.messages.idInUse' });
    expect(await test.stack.db.getRepository('Message').findOneByOrFail({ id })).toMatchObject({
      published: false,
    });

    const content = { text: 'sent again after a crash' };
    const answer = await a().sendMessage([bob.address], content, { id });
    const stored = {
      id,
      createdAt: new Date(createdAt).toISOString(),
      recipients: [bob.address],
      copiedToOwnDevices: false,
    };
    expect(answer).toEqual(stored);
    expect(await test.stack.db.getRepository('Message').findOneByOrFail({ id })).toMatchObject({
      published: true,
      createdAt,
    });
    // Once published, a further retry answers the stored message and publishes nothing again.
    expect(await a().sendMessage([bob.address], { text: 'and once more' }, { id })).toEqual(stored);

    const marker = await deliverMarker(alice, bob);
    for (const [i, device] of bob.devices.entries()) {
      expect(deliveriesSince(device.events, marks[i]!)).toEqual({
        opened: sortedById([{ id, content }, marker]),
        refused: [],
      });
      const delivered = device.events.slice(marks[i]!).find((e) => isReceived(e) && e.message.id === id);
      // The backbone's time of the message is the recorded one.
      expect(delivered).toMatchObject({ message: { receivedAt: stored.createdAt } });
    }
  });

  it('lets housekeeping remove a recorded send that was never published and never retried', async () => {
    const now = Date.now();
    const abandoned = newId();
    const recent = newId();
    const delivered = newId();
    // Abandoned: unpublished for longer than the lifetime; recent: still within it; delivered: published.
    for (const [id, createdAt, published] of [
      [abandoned, now - unpublishedLifetimeMs - 60_000, false],
      [recent, now - 60_000, false],
      [delivered, now - unpublishedLifetimeMs - 60_000, true],
    ] as const) {
      await recordSend(id, createdAt, published);
    }

    await test.stack.actors!.housekeep();

    expect(await countRows(test, 'messages', 'id', abandoned)).toBe(0);
    expect(await countRows(test, 'message_recipients', 'messageId', abandoned)).toBe(0);
    expect(await countRows(test, 'messages', 'id', recent)).toBe(1);
    expect(await countRows(test, 'messages', 'id', delivered)).toBe(1);
    expect(await countRows(test, 'message_recipients', 'messageId', delivered)).toBe(1);
  });

  it('lets the SDK send concurrent messages in fewer requests, each with its own answer, each delivered once', async () => {
    const marks = eventMarks(bob);
    // Every device request of alice to the messages actor, as the actors' account sees it.
    const observer = await test.stack.broker.connectActor('message-request-observer');
    const requests: { operation: string; ids: string[] }[] = [];
    observer.subscribe(`bb.req.${alice.identity.token}.*.messages.*`, {
      callback: (error, msg) => {
        if (error) return;
        const operation = msg.subject.split('.').at(-1) ?? '';
        const body = msg.json<{ id?: string; messages?: { id: string }[] }>();
        const ids = body.messages?.map((message) => message.id) ?? (body.id ? [body.id] : []);
        requests.push({ operation, ids });
      },
    });
    await observer.flush();
    try {
      const contents = Array.from({ length: 40 }, (_, i) => ({ text: `concurrent ${i}` }));
      const answers = await Promise.all(contents.map((content) => a().sendMessage([bob.address], content)));
      // Whatever the server forwarded before answering has reached the observer once this returns.
      await observer.flush();

      for (const [i, answer] of answers.entries()) {
        expect(answer).toEqual({
          id: expect.any(String),
          createdAt: expect.any(String),
          recipients: [bob.address],
          copiedToOwnDevices: false,
        });
        // No MessageSent entry comes to a lone device: it recorded what it sent from the answer.
        expect(a().state.messages.get(answer.id)).toMatchObject({
          direction: 'outgoing',
          createdAt: answer.createdAt,
          content: contents[i],
        });
      }
      const ids = answers.map((answer) => answer.id);
      expect(new Set(ids).size).toBe(40);
      const sends = requests.filter(({ operation }) => operation === 'send' || operation === 'sendBatch');
      expect(sends.length).toBeGreaterThan(0);
      expect(sends.length).toBeLessThan(40);
      expect(new Set(sends.flatMap((request) => request.ids))).toEqual(new Set(ids));

      const marker = await deliverMarker(alice, bob);
      const expected = sortedById([
        ...answers.map((answer, i) => ({ id: answer.id, content: contents[i] })),
        marker,
      ]);
      for (const [i, device] of bob.devices.entries()) {
        expect(deliveriesSince(device.events, marks[i]!)).toEqual({ opened: expected, refused: [] });
      }
    } finally {
      await observer.close();
    }
  });

  it('leaves the sealed copy for own devices out of a lone device’s sends once told, and keeps it for a sender with other devices', async () => {
    const observer = await test.stack.broker.connectActor('sender-copy-observer');
    /** Per sent message id: whether its request carried a sender copy. */
    const carried = new Map<string, boolean>();
    observer.subscribe('bb.req.*.*.messages.*', {
      callback: (error, msg) => {
        if (error) return;
        const body = msg.json<{ messages?: SendRequest[] } & Partial<SendRequest>>();
        for (const message of body.messages ?? (body.id ? [body as SendRequest] : [])) {
          carried.set(message.id, message.senderCopy !== undefined);
        }
      },
    });
    await observer.flush();
    try {
      // Alice has one device and has sent before: her answers said no copy went to other devices.
      const lone = await a().sendMessage([bob.address], { text: 'no copy needed' });
      const b = bob.devices[0]!.account;
      const first = await b.sendMessage([alice.address], { text: 'copy for my other device' });
      const second = await b.sendMessage([alice.address], { text: 'and again' });
      await observer.flush();
      expect(lone.copiedToOwnDevices).toBe(false);
      expect(carried.get(lone.id)).toBe(false);
      for (const answer of [first, second]) {
        expect(answer.copiedToOwnDevices).toBe(true);
        expect(carried.get(answer.id)).toBe(true);
      }
      // Bob's other device opens what the first one sent.
      await waitFor(
        () => bob.devices[1]!.events.some((e) => e.type === 'messageSent' && e.id === second.id),
        'the sent copy on bob’s other device',
      );
      expect(bob.devices[1]!.account.state.messages.get(second.id)).toMatchObject({
        direction: 'outgoing',
        content: { text: 'and again' },
      });
    } finally {
      await observer.close();
    }
  });

  it('sends again with the copy when the identity got another device since an answer said it had none', async () => {
    const dave = await createTestPerson(test, 1);
    const daveToken = identityToken(dave.address);
    const observer = await test.stack.broker.connectActor('sender-copy-retry-observer');
    const requests: { copy: boolean; withoutSenderCopy: boolean }[] = [];
    observer.subscribe(`bb.req.${daveToken}.*.messages.*`, {
      callback: (error, msg) => {
        if (error) return;
        const body = msg.json<{ messages?: SendRequest[] } & Partial<SendRequest>>();
        for (const message of body.messages ?? (body.id ? [body as SendRequest] : [])) {
          requests.push({
            copy: message.senderCopy !== undefined,
            withoutSenderCopy: !!message.withoutSenderCopy,
          });
        }
      },
    });
    await observer.flush();
    let added: TransportAccount | undefined;
    try {
      await relate(bob, dave);
      const d = dave.devices[0]!.account;
      expect((await d.sendMessage([bob.address], { text: 'alone' })).copiedToOwnDevices).toBe(false);
      // Another device joins, through a session of its own: the running account does not learn of it.
      const secrets = await addDevice(test, dave.identity.first, 'device 2');
      requests.length = 0;

      const content = { text: 'with a copy after all' };
      const answer = await d.sendMessage([bob.address], content);
      await observer.flush();
      expect(answer.copiedToOwnDevices).toBe(true);
      // Sent without the copy and refused, then sent again with it (nothing stored from the first).
      expect(requests).toEqual([
        { copy: false, withoutSenderCopy: true },
        { copy: true, withoutSenderCopy: false },
      ]);
      added = await TransportAccount.open(test.endpoint, secrets);
      const seen: AccountEvent[] = [];
      const reading = (async () => {
        for await (const event of added.events({ cursor: 0 })) {
          seen.push(event);
          if (event.type === 'messageSent' && event.id === answer.id) return;
        }
      })();
      await waitFor(() => seen.some((e) => e.type === 'messageSent' && e.id === answer.id), 'the copy');
      await reading;
      expect(seen.find((e) => e.type === 'messageSent' && e.id === answer.id)).toMatchObject({ content });
      const marker = await deliverMarker(dave, bob);
      for (const device of bob.devices) {
        expect(device.events.filter((e) => isReceived(e) && e.message.id === answer.id)).toHaveLength(1);
        expect(device.events.some((e) => isReceived(e) && e.message.id === marker.id)).toBe(true);
      }
    } finally {
      await added?.close();
      await observer.close();
      await stopAll(dave);
    }
  });

  it('stores the messages of one send in fewer mailbox entries, and a retry after a lost ack reaches each device once', async () => {
    const marks = eventMarks(bob);
    const shards = test.settings.broker.shardCount;
    const token = identityToken(bob.address);
    const stream = mailboxStreamName(mailboxShard(token, shards));
    const subject = mailboxSubject(token, shards);
    const inspector = await test.stack.broker.connectActor('mailbox-inspector');
    try {
      const jsm = await jetstreamManager(inspector);
      // The JetStream messages stored in bob's mailbox (his shard's stream holds other mailboxes too).
      const stored = async () =>
        (await jsm.streams.info(stream, { subjects_filter: subject })).state.subjects?.[subject] ?? 0;

      const before = await stored();
      const contents = Array.from({ length: 8 }, (_, i) => ({ text: `batched ${i}` }));
      const requests = contents.map((content) => sealedRequest(a(), [bob.address], content));
      const { results } = await a().session.call('sendMessages', { messages: requests });
      expect(results).toEqual(
        requests.map((request) => ({
          result: {
            id: request.id,
            createdAt: expect.any(String),
            recipients: [bob.address],
            copiedToOwnDevices: false,
          },
        })),
      );
      // Answered once JetStream stored every entry: fewer JetStream messages than messages, at least one.
      const afterSend = await stored();
      expect(afterSend - before).toBeGreaterThan(0);
      expect(afterSend - before).toBeLessThan(requests.length);

      const marker = await deliverMarker(alice, bob);
      const sent = requests.map((request, i) => ({ id: request.id, content: contents[i] }));
      for (const [i, device] of bob.devices.entries()) {
        expect(deliveriesSince(device.events, marks[i]!)).toEqual({
          opened: sortedById([...sent, marker]),
          refused: [],
        });
      }

      // A lost ack: the entries were stored, but the row was never marked published; alice sends that item
      // again, alone, as it was (same id, same envelope).
      const retried = requests[3]!;
      const answer = results[3]!;
      if (!('result' in answer)) throw new Error('the message was not accepted');
      const updated = await test.stack.db
        .getRepository('Message')
        .update({ id: retried.id }, { published: false });
      expect(updated.affected).toBe(1);
      const retryMarks = eventMarks(bob);
      const beforeRetry = await stored();
      const again = await a().session.call('sendMessages', { messages: [retried] });
      expect(again.results).toEqual([answer]);
      expect(await test.stack.db.getRepository('Message').findOneByOrFail({ id: retried.id })).toMatchObject({
        published: true,
      });
      // Published again alone, under its own dedup id rather than its batch's: JetStream stored it once more.
      expect(await stored()).toBe(beforeRetry + 1);
      const last = await jsm.streams.getMessage(stream, { last_by_subj: subject });
      expect(last?.json()).toMatchObject({
        '@type': MailboxEntryType.messageReceived,
        message: { id: retried.id, envelope: retried.envelope },
      });

      // Each device drops the repeat: the message was opened once, and nothing was refused.
      const laterMarker = await deliverMarker(alice, bob);
      for (const [i, device] of bob.devices.entries()) {
        expect(deliveriesSince(device.events, retryMarks[i]!)).toEqual({
          opened: [laterMarker],
          refused: [],
        });
        const outcomes = device.events
          .slice(marks[i]!)
          .filter(
            (event) =>
              (isReceived(event) && event.message.id === retried.id) ||
              (isRejected(event) && event.id === retried.id),
          );
        expect(outcomes).toHaveLength(1);
        expect(outcomes[0]).toMatchObject({
          type: 'messageReceived',
          message: {
            id: retried.id,
            content: contents[3],
            receivedAt: answer.result.createdAt,
          },
        });
      }
    } finally {
      await inspector.close();
    }
  });
});
