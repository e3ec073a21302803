import { ProtocolError, randomBytes, toBase64Url } from '@enmesh/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

const inDays = (now: number, days: number) => new Date(now + days * 86_400_000);

async function failure(promise: Promise<unknown>): Promise<ProtocolError> {
  try {
    await promise;
  } catch (error) {
    if (ProtocolError.isProtocolError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Each quota: the request under it passes, the one over it fails with the quota error and its limit. */
describe('quotas per identity', () => {
  let test: TestStack;
  let now = Date.now();
  let alice: TestPerson;
  let bob: TestPerson;

  beforeAll(async () => {
    test = await startTestStack({
      clock: () => now,
      env: { ENMESH_QUOTA_TOKENS: '2', ENMESH_QUOTA_TEMPLATES: '2', ENMESH_QUOTA_MESSAGES_PER_HOUR: '3' },
    });
    [alice, bob] = await Promise.all([createTestPerson(test, 1), createTestPerson(test, 1)]);
  });

  afterAll(async () => {
    await stopAll(alice, bob);
    await test?.destroy();
  });

  it('limits the tokens an identity holds; expired ones no longer count', async () => {
    const a = alice.devices[0]!.account;
    const content = () => toBase64Url(randomBytes(50));
    await a.session.call('createToken', { content: content(), expiresAt: inDays(now, 1).toISOString() });
    await a.session.call('createToken', { content: content(), expiresAt: inDays(now, 2).toISOString() });
    const over = await failure(
      a.session.call('createToken', { content: content(), expiresAt: inDays(now, 1).toISOString() }),
    );
    expect(over.code).toBe('error.quotas.exceeded');
    expect(over.details).toEqual({ quota: 'tokens', limit: 2 });
    // Another identity has its own quota.
    await bob.devices[0]!.account.session.call('createToken', {
      content: content(),
      expiresAt: inDays(now, 1).toISOString(),
    });
    now += 86_400_000 + 1;
    await a.session.call('createToken', { content: content(), expiresAt: inDays(now, 1).toISOString() });
  });

  it('limits the templates an identity holds', async () => {
    const a = alice.devices[0]!.account;
    await a.createTemplate({}, { expiresAt: inDays(now, 1) });
    await a.createTemplate({}, { expiresAt: inDays(now, 1) });
    const over = await failure(a.createTemplate({}, { expiresAt: inDays(now, 1) }));
    expect(over.details).toEqual({ quota: 'templates', limit: 2 });
  });

  it('limits the messages sent per hour, and says when room frees up', async () => {
    const b = bob.devices[0]!.account;
    const { url } = await b.createTemplate({}, { expiresAt: inDays(now, 1) });
    const a = alice.devices[0]!.account;
    const pending = await a.requestRelationship(await a.loadTemplate(url), {});
    await b.change('acceptRelationship', pending.id);
    await waitFor(() => a.state.relationships.get(pending.id)?.status === 'Active', 'Active at alice');
    const firstAt = now;
    for (let i = 0; i < 3; i++) await a.sendMessage([bob.address], { i });
    const over = await failure(a.sendMessage([bob.address], { i: 3 }, { retryForMs: 0 }));
    expect(over.code).toBe('error.quotas.exceeded');
    expect(over.details).toEqual({
      quota: 'messagesPerHour',
      limit: 3,
      resetsAt: new Date(firstAt + 3_600_000).toISOString(),
    });
    now += 3_600_000 + 1;
    expect((await a.sendMessage([bob.address], { i: 4 })).id).toMatch(/^MSG/);
  });
});
