import {
  type DeliveredMessage,
  type ErrorDetails,
  Limits,
  type MailboxEntryBody,
  MailboxEntryType,
  mailboxEntrySchema,
  mailboxSubject,
  mailboxTypeHeader,
  maxEnvelopeBytes,
  Operations,
  ProtocolError,
  type RequestOf,
  type ResponseOf,
  randomBytes,
  randomId,
  toBase64Url,
} from '@enmesh/protocol';
import type { DeviceSession, MailboxEntry } from '@enmesh/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, createTestIdentity, type TestIdentity } from './kit/identities.js';
import { countRows } from './kit/rows.js';
import { startTestStack, type TestDatabase, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

const sealed = (bytes = 200) => toBase64Url(randomBytes(bytes));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const newId = () => randomId('MSG', 20);
const decoder = new TextDecoder();

type SendRequest = RequestOf<'sendMessage'>;
type MessageEntryType = typeof MailboxEntryType.messageReceived | typeof MailboxEntryType.messageSent;

/** The code and details a call failed with ('no error' when it succeeded). */
async function failure(promise: Promise<unknown>): Promise<{ code: string; details?: ErrorDetails }> {
  try {
    await promise;
  } catch (error) {
    if (!ProtocolError.isProtocolError(error)) throw error;
    return error.details ? { code: error.code, details: error.details } : { code: error.code };
  }
  return { code: 'no error' };
}

/**
 * Reads a device's mailbox from the start until a message entry of `type` arrived for every id of `until`,
 * then a little longer (to see duplicates), and returns the messages of that type, in mailbox order, whose
 * ids are in `ids` (default: `until`). Every entry's header must name its body's type.
 */
async function messagesIn(
  session: DeviceSession,
  type: MessageEntryType,
  until: readonly string[],
  ids: readonly string[] = until,
  { timeoutMs = 5000, graceMs = 250 } = {},
): Promise<DeliveredMessage[]> {
  const mailbox = await session.mailbox({ cursor: 0 });
  const iterator = mailbox[Symbol.asyncIterator]();
  const bodies: MailboxEntryBody[] = [];
  let pending: Promise<IteratorResult<MailboxEntry>> | undefined;
  const take = async (ms: number): Promise<boolean> => {
    pending ??= iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      pending,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ms);
      }),
    ]).finally(() => clearTimeout(timer));
    if (next === 'timeout') return false;
    pending = undefined;
    if (next.done) return false;
    await next.value.ack();
    const body = mailboxEntrySchema.parse(JSON.parse(decoder.decode(next.value.data)));
    expect(next.value.headers?.get(mailboxTypeHeader)).toBe(body['@type']);
    bodies.push(body);
    return true;
  };
  const seen = () => new Set(bodies.flatMap((body) => (body['@type'] === type ? [body.message.id] : [])));
  try {
    const deadline = Date.now() + timeoutMs;
    while (!until.every((id) => seen().has(id))) {
      const remaining = deadline - Date.now();
      if (remaining <= 0 || !(await take(remaining))) {
        throw new Error(`timed out waiting for ${type} ${until.filter((id) => !seen().has(id)).join(', ')}`);
      }
    }
    while (await take(graceMs)) {
      // drain what else arrives: a duplicate would show here
    }
  } finally {
    await mailbox.close();
  }
  return bodies.flatMap((body) =>
    body['@type'] === type && ids.includes(body.message.id) ? [body.message] : [],
  );
}

/** What every device should find for a send: the request as the backbone stamped it. */
function delivered(
  sender: TestIdentity,
  request: SendRequest,
  answer: ResponseOf<'sendMessage'>,
  senderDevice: unknown = sender.devices[0]!.session.deviceId,
) {
  return {
    id: request.id,
    sender: sender.address,
    senderDevice,
    createdAt: answer.createdAt,
    kind: request.kind,
    recipients: request.recipients,
    envelope: request.envelope,
    attachments: request.attachments ?? [],
  };
}

/** A relationship in which `templator` published the template and `requestor` asked; Active unless told. */
async function relate(
  templator: TestIdentity,
  requestor: TestIdentity,
  end: 'Pending' | 'Active' | 'Terminated' | 'Decomposed' = 'Active',
): Promise<string> {
  const t = templator.devices[0]!.session;
  const r = requestor.devices[0]!.session;
  const template = await t.call('createTemplate', { content: sealed(), expiresAt: inDays(1) });
  await r.call('loadTemplate', { id: template.id });
  const { id } = await r.call('createRelationship', { templateId: template.id, creationContent: sealed() });
  if (end === 'Pending') return id;
  await t.call('acceptRelationship', { id });
  if (end === 'Active') return id;
  await t.call('terminateRelationship', { id });
  if (end === 'Decomposed') await r.call('decomposeRelationship', { id });
  return id;
}

describe('messages', () => {
  let test: TestStack;
  let alice: TestIdentity;
  let bob: TestIdentity;
  let carol: TestIdentity;
  let dave: TestIdentity;
  let erin: TestIdentity;
  let frank: TestIdentity;
  let gina: TestIdentity;
  let hank: TestIdentity;
  let ivan: TestIdentity;
  let judy: TestIdentity;
  const a = () => alice.devices[0]!.session;
  const message = (recipients: TestIdentity[], extra: Partial<SendRequest> = {}): SendRequest => ({
    id: newId(),
    kind: 'content',
    recipients: recipients.map((identity) => identity.address),
    envelope: sealed(),
    ...extra,
  });

  beforeAll(async () => {
    test = await startTestStack();
    [alice, bob, carol, dave, erin, frank, gina, hank, ivan, judy] = await Promise.all([
      createTestIdentity(test, 2),
      createTestIdentity(test, 2),
      createTestIdentity(test, 2),
      createTestIdentity(test, 1),
      createTestIdentity(test, 1),
      createTestIdentity(test, 1),
      createTestIdentity(test, 1),
      createTestIdentity(test, 1),
      createTestIdentity(test, 1),
      createTestIdentity(test, 1),
    ]);
    // Relationships in both directions: bob asked alice, alice asked carol.
    await Promise.all([
      relate(alice, bob),
      relate(carol, alice),
      relate(alice, dave),
      relate(alice, frank, 'Pending'),
      relate(gina, alice, 'Terminated'),
      relate(alice, hank, 'Decomposed'),
      relate(judy, ivan),
    ]);
  });

  afterAll(async () => {
    await closeAll(alice, bob, carol, dave, erin, frank, gina, hank, ivan, judy);
    await test?.destroy();
  });

  it('reach every device of each of 1–3 recipients exactly once, and the sender’s devices as MessageSent', async () => {
    const sends: { request: SendRequest; answer: ResponseOf<'sendMessage'> }[] = [];
    const attachments = [randomId('FIL', 20), randomId('FIL', 20)];
    for (const [recipients, extra] of [
      [[bob], {}],
      [[bob, carol], { attachments }],
      [[bob, carol, dave], { kind: 'notification' }],
    ] as const) {
      const request = message([...recipients], extra);
      const answer = await a().call('sendMessage', request);
      // Alice has two devices: the other one learns of each sent message from a MessageSent entry.
      expect(answer).toEqual({
        id: request.id,
        createdAt: expect.any(String),
        recipients: request.recipients,
        copiedToOwnDevices: true,
      });
      sends.push({ request, answer });
    }
    for (const identity of [bob, carol, dave]) {
      const mine = sends.filter(({ request }) => request.recipients.includes(identity.address));
      const ids = mine.map(({ request }) => request.id);
      for (const { session } of identity.devices) {
        expect(await messagesIn(session, 'MessageReceived', ids)).toEqual(
          mine.map(({ request, answer }) => delivered(alice, request, answer)),
        );
      }
    }
    const ids = sends.map(({ request }) => request.id);
    for (const { session } of alice.devices) {
      expect(await messagesIn(session, 'MessageSent', ids)).toEqual(
        sends.map(({ request, answer }) => delivered(alice, request, answer)),
      );
    }
    // The backbone keeps the metadata, never the envelope.
    const stored = await test.stack.db
      .createQueryBuilder()
      .select('*')
      .from('messages', 'm')
      .where('m.id = :id', { id: ids[2] })
      .getRawOne<Record<string, unknown>>();
    expect(stored).toMatchObject({ senderToken: alice.token, kind: 'notification', envelopeBytes: 200 });
    expect(Number(stored?.recipientCount)).toBe(3);
    expect(Object.keys(stored ?? {})).not.toContain('envelope');
  });

  it('go both ways over a relationship, whoever requested it', async () => {
    const fromBob = message([alice]);
    const answer = await bob.devices[1]!.session.call('sendMessage', fromBob);
    const fromCarol = message([alice]);
    await carol.devices[0]!.session.call('sendMessage', fromCarol);
    const got = await messagesIn(a(), 'MessageReceived', [fromBob.id, fromCarol.id]);
    expect(got.map((m) => [m.id, m.sender])).toEqual([
      [fromBob.id, bob.address],
      [fromCarol.id, carol.address],
    ]);
    expect(got[0]).toMatchObject({
      senderDevice: bob.devices[1]!.session.deviceId,
      createdAt: answer.createdAt,
    });
  });

  it('are stored and delivered once when retried, sequentially or concurrently, from any device of the sender', async () => {
    const request = message([bob, carol]);
    const first = await a().call('sendMessage', request);
    expect(await alice.devices[1]!.session.call('sendMessage', request)).toEqual(first);
    const retries = await Promise.all(
      Array.from({ length: 6 }, (_, i) => alice.devices[i % 2]!.session.call('sendMessage', request)),
    );
    for (const retry of retries) expect(retry).toEqual(first);
    // A retry answers what was stored, even with another body.
    expect(
      await a().call('sendMessage', { ...request, recipients: [bob.address], envelope: sealed() }),
    ).toEqual(first);
    for (const identity of [bob, carol]) {
      for (const { session } of identity.devices) {
        expect(await messagesIn(session, 'MessageReceived', [request.id])).toEqual([
          delivered(alice, request, first),
        ]);
      }
    }
    for (const { session } of alice.devices) {
      expect(await messagesIn(session, 'MessageSent', [request.id])).toHaveLength(1);
    }
    expect(await countRows(test, 'messages', 'id', request.id)).toBe(1);
    expect(await countRows(test, 'message_recipients', 'messageId', request.id)).toBe(2);
  });

  it('refuse an id that another identity used', async () => {
    const request = message([bob]);
    await a().call('sendMessage', request);
    expect(
      await failure(bob.devices[0]!.session.call('sendMessage', { ...request, recipients: [alice.address] })),
    ).toEqual({ code: 'error.messages.idInUse' });
  });

  it('need an Active relationship for content; a notification may also use a Terminated one', async () => {
    const refusal = (recipient: TestIdentity) => ({
      code: 'error.messages.noRelationship',
      details: { recipient: recipient.address },
    });
    for (const kind of ['content', 'notification'] as const) {
      expect(await failure(a().call('sendMessage', message([erin], { kind })))).toEqual(refusal(erin));
      expect(await failure(a().call('sendMessage', message([frank], { kind })))).toEqual(refusal(frank));
      expect(await failure(a().call('sendMessage', message([hank], { kind })))).toEqual(refusal(hank));
    }
    expect(await failure(a().call('sendMessage', message([gina])))).toEqual(refusal(gina));
    const notification = message([gina], { kind: 'notification' });
    const answer = await a().call('sendMessage', notification);
    // One recipient without a relationship refuses the whole message: nobody gets it.
    const mixed = message([bob, erin, carol]);
    expect(await failure(a().call('sendMessage', mixed))).toEqual(refusal(erin));
    const marker = message([bob]);
    await a().call('sendMessage', marker);
    expect(await messagesIn(gina.devices[0]!.session, 'MessageReceived', [notification.id])).toEqual([
      delivered(alice, notification, answer),
    ]);
    expect(
      (await messagesIn(bob.devices[0]!.session, 'MessageReceived', [marker.id], [mixed.id, marker.id])).map(
        (m) => m.id,
      ),
    ).toEqual([marker.id]);
    expect(await countRows(test, 'messages', 'id', mixed.id)).toBe(0);
  });

  it('refuse duplicate recipients, the sender itself and identities of other backbones', async () => {
    expect(await failure(a().call('sendMessage', message([bob, carol, bob])))).toEqual({
      code: 'error.messages.duplicateRecipient',
      details: { recipient: bob.address },
    });
    expect(await failure(a().call('sendMessage', message([bob, alice])))).toEqual({
      code: 'error.messages.toSelf',
      details: { recipient: alice.address },
    });
    const foreign = `did:e:other.example:dids:${bob.token}`;
    expect(
      await failure(a().call('sendMessage', { ...message([bob]), recipients: [bob.address, foreign] })),
    ).toEqual({ code: 'error.messages.noRelationship', details: { recipient: foreign } });
  });

  it('carry envelopes up to what a device may send, and refuse malformed or oversized ones', async () => {
    const large = message([bob], { envelope: sealed(maxEnvelopeBytes) });
    const answer = await a().call('sendMessage', large);
    expect(await messagesIn(bob.devices[1]!.session, 'MessageReceived', [large.id])).toEqual([
      delivered(alice, large, answer),
    ]);
    expect((await failure(a().call('sendMessage', message([bob], { envelope: 'abc=' })))).code).toBe(
      'error.protocol.malformedRequest',
    );
    expect((await failure(a().call('sendMessage', message([bob], { envelope: '' })))).code).toBe(
      'error.protocol.malformedRequest',
    );
    // Just over the envelope limit: refused by the backbone with a stable code, nothing stored.
    const over = message([bob], { envelope: sealed(maxEnvelopeBytes + 3) });
    expect(Operations.sendMessage.request.safeParse(over).success).toBe(false);
    expect((await failure(a().call('sendMessage', over))).code).toBe('error.protocol.malformedRequest');
    expect(await countRows(test, 'messages', 'id', over.id)).toBe(0);
    // Far over it, the request no longer fits a device's payload: refused before it leaves.
    const oversized = message([bob], { envelope: sealed(200 * 1024) });
    await expect(a().call('sendMessage', oversized)).rejects.toMatchObject({
      code: 'error.transport.notConnected',
      cause: expect.objectContaining({ message: expect.stringMatching(/max_payload/) }),
    });
    expect(await countRows(test, 'messages', 'id', oversized.id)).toBe(0);
    expect((await a().call('getOwnIdentity', {})).address).toBe(alice.address); // still connected
  });

  it(`stop at ${Limits.unreceivedMessagesPerSender} unreceived messages per sender and recipient, until receipts`, async () => {
    const limit = Limits.unreceivedMessagesPerSender;
    const i = ivan.devices[0]!.session;
    const j = judy.devices[0]!.session;
    const ids = Array.from({ length: limit }, newId);
    const tiny = (id: string): SendRequest => ({
      id,
      kind: 'content',
      recipients: [judy.address],
      envelope: 'AA',
    });
    for (let at = 0; at < limit; at += 100) {
      await Promise.all(ids.slice(at, at + 100).map((id) => i.call('sendMessage', tiny(id))));
    }
    const full = { code: 'error.messages.tooManyUnreceived', details: { recipient: judy.address, limit } };
    expect(await failure(i.call('sendMessage', message([judy])))).toEqual(full);
    // Receipts from anyone but the recipient change nothing.
    await i.call('receiptMessages', { ids: ids.slice(0, 10) });
    await a().call('receiptMessages', { ids: ids.slice(0, 10) });
    expect(await failure(i.call('sendMessage', message([judy])))).toEqual(full);
    // A retry of a stored message is still answered.
    expect((await i.call('sendMessage', tiny(ids[0]!))).id).toBe(ids[0]);
    // The recipient's receipt makes room for exactly one more (a second receipt of it changes nothing).
    expect(await j.call('receiptMessages', { ids: [ids[0]!] })).toEqual({ ok: true });
    expect(await j.call('receiptMessages', { ids: [ids[0]!] })).toEqual({ ok: true });
    await i.call('sendMessage', message([judy]));
    expect(await failure(i.call('sendMessage', message([judy])))).toEqual(full);
    // Another sender to the same recipient is not affected.
    const other = message([judy]);
    await relate(judy, alice);
    await a().call('sendMessage', other);
    for (let at = 0; at < limit; at += 256) await j.call('receiptMessages', { ids: ids.slice(at, at + 256) });
    await i.call('sendMessage', message([judy]));
  });

  it('left in the outbox by a crash are published by the relay within two seconds', async () => {
    const id = newId();
    const body = {
      '@type': MailboxEntryType.messageReceived,
      message: {
        id,
        sender: alice.address,
        senderDevice: a().deviceId,
        createdAt: new Date().toISOString(),
        kind: 'content',
        recipients: [dave.address],
        envelope: sealed(),
        attachments: [],
      },
    };
    await test.stack.db.getRepository('OutboxEntry').insert({
      subject: mailboxSubject(dave.token, test.settings.broker.shardCount),
      msgId: `msg:${id}:${dave.token}`,
      headers: JSON.stringify({ [mailboxTypeHeader]: MailboxEntryType.messageReceived }),
      payload: JSON.stringify(body),
      createdAt: Date.now(),
    });
    expect(
      await messagesIn(dave.devices[0]!.session, 'MessageReceived', [id], [id], { timeoutMs: 2500 }),
    ).toEqual([body.message]);
    await waitFor(
      async () => (await test.stack.db.getRepository('OutboxEntry').count()) === 0,
      'an empty outbox',
    );
  });
});

describe.each<TestDatabase>(['postgres'])('messages (%s)', (database) => {
  let test: TestStack;
  let alice: TestIdentity;
  let bob: TestIdentity;

  beforeAll(async () => {
    test = await startTestStack({ database });
    [alice, bob] = await Promise.all([createTestIdentity(test, 2), createTestIdentity(test, 2)]);
    await relate(alice, bob);
  });

  afterAll(async () => {
    await closeAll(alice, bob);
    await test?.destroy();
  });

  it('store a message once when the same id is sent concurrently, and give one sender the id', async () => {
    const request: SendRequest = {
      id: newId(),
      kind: 'content',
      recipients: [bob.address],
      envelope: sealed(),
    };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => alice.devices[i % 2]!.session.call('sendMessage', request)),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    for (const { session } of bob.devices) {
      expect(await messagesIn(session, 'MessageReceived', [request.id])).toEqual([
        delivered(
          alice,
          request,
          answers[0]!,
          expect.toBeOneOf(alice.devices.map((d) => d.session.deviceId)),
        ),
      ]);
    }
    for (const { session } of alice.devices) {
      expect(await messagesIn(session, 'MessageSent', [request.id])).toHaveLength(1);
    }
    expect(await countRows(test, 'message_recipients', 'messageId', request.id)).toBe(1);
    // Two identities racing for one new id: exactly one gets it.
    const contested = newId();
    const outcomes = await Promise.all([
      failure(alice.devices[0]!.session.call('sendMessage', { ...request, id: contested })),
      failure(
        bob.devices[0]!.session.call('sendMessage', {
          ...request,
          id: contested,
          recipients: [alice.address],
        }),
      ),
    ]);
    expect(outcomes.map((o) => o.code).sort()).toEqual(['error.messages.idInUse', 'no error']);
    expect(await countRows(test, 'messages', 'id', contested)).toBe(1);
  });
});
