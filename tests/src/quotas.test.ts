import { AdminError, setIdentityTier } from '@enmesh/actor-host';
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
  let carol: TestPerson;
  let dave: TestPerson;

  beforeAll(async () => {
    test = await startTestStack({
      clock: () => now,
      env: {
        ENMESH_QUOTA_TOKENS: '2',
        ENMESH_QUOTA_TEMPLATES: '2',
        ENMESH_QUOTA_MESSAGES_PER_HOUR: '3',
        ENMESH_QUOTA_RELATIONSHIPS: '2',
        ENMESH_QUOTA_FILES: '2',
        ENMESH_QUOTA_STORAGE_BYTES: String(1024 ** 2),
        ENMESH_QUOTA_TIERS: JSON.stringify({ business: { tokens: 3 } }),
      },
    });
    [alice, bob, carol, dave] = await Promise.all([
      createTestPerson(test, 1),
      createTestPerson(test, 1),
      createTestPerson(test, 1),
      createTestPerson(test, 1),
    ]);
  });

  afterAll(async () => {
    await stopAll(alice, bob, carol, dave);
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
    // Sends count per minute: the first one leaves the window at the end of the 61st minute after its own.
    const resetsAt = (Math.floor(firstAt / 60_000) + 61) * 60_000;
    expect(over.details).toEqual({
      quota: 'messagesPerHour',
      limit: 3,
      resetsAt: new Date(resetsAt).toISOString(),
    });
    now = resetsAt - 1;
    const stillOver = await failure(a.sendMessage([bob.address], { i: 3 }, { retryForMs: 0 }));
    expect(stillOver.code).toBe('error.quotas.exceeded');
    now = resetsAt;
    expect((await a.sendMessage([bob.address], { i: 4 })).id).toMatch(/^MSG/);
  });

  it('limits the relationships an identity has, for the requestor and for the templator who accepts', async () => {
    const c = carol.devices[0]!.account;
    const templators = await Promise.all([0, 1, 2].map(() => createTestPerson(test, 1)));
    try {
      const templates = [];
      for (const templator of templators) {
        const t = templator.devices[0]!.account;
        templates.push((await t.createTemplate({}, { expiresAt: inDays(now, 1) })).url);
      }
      await c.requestRelationship(await c.loadTemplate(templates[0]!), {});
      await c.requestRelationship(await c.loadTemplate(templates[1]!), {});
      const over = await failure(c.requestRelationship(await c.loadTemplate(templates[2]!), {}));
      expect(over.details).toEqual({ quota: 'relationships', limit: 2 });
      // Carol, full, is asked by dave: accepting would be her third.
      const { url } = await c.createTemplate({}, { expiresAt: inDays(now, 1) });
      const d = dave.devices[0]!.account;
      const asked = await d.requestRelationship(await d.loadTemplate(url), {});
      await waitFor(() => c.state.relationships.has(asked.id), 'the request at carol');
      const refused = await failure(c.change('acceptRelationship', asked.id));
      expect(refused.details).toEqual({ quota: 'relationships', limit: 2 });
      await c.change('rejectRelationship', asked.id);
    } finally {
      await stopAll(...templators);
    }
  });

  it('limits the files an identity holds and their bytes', async () => {
    const d = dave.devices[0]!.account;
    const upload = (size: number) =>
      d.uploadFile([new Uint8Array(size)], {
        name: 'f.bin',
        mimeType: 'application/octet-stream',
        size,
        expiresAt: inDays(now, 1),
      });
    await upload(600 * 1024);
    const full = await failure(upload(600 * 1024));
    expect(full.details).toEqual({ quota: 'storageBytes', limit: 1024 ** 2 });
    await upload(1024);
    const many = await failure(upload(1024));
    expect(many.details).toEqual({ quota: 'files', limit: 2 });
  });

  it('gives an identity the quotas of its tier once the operator moves it there', async () => {
    const b = bob.devices[0]!.account;
    const token = () =>
      b.session.call('createToken', {
        content: toBase64Url(randomBytes(10)),
        expiresAt: inDays(now, 1).toISOString(),
      });
    // Bob's token from the first test has expired; basic allows 2.
    await token();
    await token();
    expect((await failure(token())).details).toEqual({ quota: 'tokens', limit: 2 });
    await expect(setIdentityTier(test.stack.db, test.settings.quotas, bob.address, 'gold')).rejects.toThrow(
      AdminError,
    );
    await setIdentityTier(test.stack.db, test.settings.quotas, bob.address, 'business');
    await token();
    expect((await failure(token())).details).toEqual({ quota: 'tokens', limit: 3 });
  });
});
