import { type MailboxEntryBody, mailboxEntrySchema, randomBytes, toBase64Url } from '@enmesh/protocol';
import { callOperation, connectBootstrap } from '@enmesh/transport';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from './kit/errors.js';
import { closeAll, createTestIdentity, type TestIdentity } from './kit/identities.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { collect } from './kit/wait.js';

const sealed = () => toBase64Url(randomBytes(300));
const inDays = (now: number, days: number) => new Date(now + days * 86_400_000).toISOString();

describe('relationship templates', () => {
  let test: TestStack;
  let now = Date.now();
  const people: TestIdentity[] = [];
  let anonymous: NatsConnection;
  const s = (i: number) => people[i]!.devices[0]!.session;

  beforeAll(async () => {
    test = await startTestStack({ clock: () => now });
    for (let i = 0; i < 4; i++) people.push(await createTestIdentity(test, i === 0 ? 2 : 1));
    anonymous = await connectBootstrap(test.endpoint, test.bootstrapCreds);
  });

  afterAll(async () => {
    await anonymous?.close();
    await closeAll(...people);
    await test?.destroy();
  });

  it('allocate once per identity up to the maximum, then refuse and tell the owner’s devices once', async () => {
    const template = await s(0).call('createTemplate', {
      content: sealed(),
      expiresAt: inDays(now, 7),
      maxNumberOfAllocations: 2,
    });
    expect(template).toMatchObject({
      id: expect.stringMatching(/^RLT/),
      createdBy: people[0]!.address,
      maxNumberOfAllocations: 2,
    });
    expect((await s(1).call('loadTemplate', { id: template.id })).content).toBe(template.content);
    expect((await s(1).call('loadTemplate', { id: template.id })).id).toBe(template.id); // the same identity again
    expect((await s(2).call('loadTemplate', { id: template.id })).id).toBe(template.id);
    expect(await errorCode(s(3).call('loadTemplate', { id: template.id }))).toBe(
      'error.templates.allocationsExhausted',
    );
    expect(await errorCode(s(3).call('loadTemplate', { id: template.id }))).toBe(
      'error.templates.allocationsExhausted',
    );
    expect((await s(0).call('loadTemplate', { id: template.id })).id).toBe(template.id); // the owner always
    // Both of the owner's devices are told, once each.
    for (const { session } of people[0]!.devices) {
      const mailbox = await session.mailbox({ cursor: 0 });
      const entries = await collect(mailbox, 2, 1500, (entry) => entry.ack());
      await mailbox.close();
      const bodies = entries.map((entry) =>
        mailboxEntrySchema.parse(JSON.parse(new TextDecoder().decode(entry.data))),
      );
      expect(bodies).toEqual<MailboxEntryBody[]>([
        { '@type': 'TemplateAllocationsExhausted', templateId: template.id },
      ]);
    }
  });

  it('with an allocation limit cannot be loaded anonymously; without one they can', async () => {
    const limited = await s(0).call('createTemplate', {
      content: sealed(),
      expiresAt: inDays(now, 7),
      maxNumberOfAllocations: 5,
    });
    const open = await s(0).call('createTemplate', { content: sealed(), expiresAt: inDays(now, 7) });
    const load = (id: string) =>
      callOperation(anonymous, 'bb.pub.templates.get', 'loadTemplateAnonymously', { id });
    expect(await errorCode(load(limited.id))).toBe('error.templates.notForYou');
    expect((await load(open.id)).content).toBe(open.content);
  });

  it('for one identity, with a password, expired, deleted: refused with stable codes', async () => {
    const verifier = toBase64Url(randomBytes(32));
    const forTwo = await s(0).call('createTemplate', {
      content: sealed(),
      expiresAt: inDays(now, 7),
      forIdentity: people[2]!.address,
    });
    expect(await errorCode(s(1).call('loadTemplate', { id: forTwo.id }))).toBe('error.templates.notForYou');
    expect((await s(2).call('loadTemplate', { id: forTwo.id })).forIdentity).toBe(people[2]!.address);
    const protectedTemplate = await s(0).call('createTemplate', {
      content: sealed(),
      expiresAt: inDays(now, 7),
      password: { verifier, kind: 'password' },
    });
    expect(await errorCode(s(1).call('loadTemplate', { id: protectedTemplate.id }))).toBe(
      'error.templates.wrongPassword',
    );
    for (let i = 0; i < 10; i++)
      await errorCode(
        s(1).call('loadTemplate', { id: protectedTemplate.id, passwordVerifier: sealed().slice(0, 43) }),
      );
    expect(
      await errorCode(s(1).call('loadTemplate', { id: protectedTemplate.id, passwordVerifier: verifier })),
    ).toBe('error.templates.locked');
    const short = await s(0).call('createTemplate', { content: sealed(), expiresAt: inDays(now, 1) });
    const gone = await s(0).call('createTemplate', { content: sealed(), expiresAt: inDays(now, 7) });
    expect(await errorCode(s(1).call('deleteTemplate', { id: gone.id }))).toBe('error.templates.notFound');
    await s(0).call('deleteTemplate', { id: gone.id });
    expect(await errorCode(s(1).call('loadTemplate', { id: gone.id }))).toBe('error.templates.notFound');
    await s(1).call('loadTemplate', { id: short.id });
    now += 2 * 86_400_000;
    expect(await errorCode(s(1).call('loadTemplate', { id: short.id }))).toBe('error.templates.expired');
    // Loaded in time, but expired now: no relationship can start from it.
    expect(
      await errorCode(s(1).call('createRelationship', { templateId: short.id, creationContent: sealed() })),
    ).toBe('error.templates.expired');
  });
});
