import { Limits, randomBytes, toBase64Url } from '@enmesh/protocol';
import { callOperation, connectBootstrap } from '@enmesh/transport';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deniedByPermissions, tryRequest } from './kit/attacks.js';
import { errorCode } from './kit/errors.js';
import { closeAll, createTestIdentity, type TestIdentity } from './kit/identities.js';
import { startTestStack, type TestStack } from './kit/stack.js';

const sealed = () => toBase64Url(randomBytes(200));
const inDays = (now: number, days: number) => new Date(now + days * 86_400_000).toISOString();

describe('tokens', () => {
  let test: TestStack;
  let now = Date.now();
  let alice: TestIdentity;
  let bob: TestIdentity;
  let carol: TestIdentity;
  let anonymous: NatsConnection;
  const loadAnonymously = (id: string, passwordVerifier?: string) =>
    callOperation(
      anonymous,
      'bb.pub.tokens.get',
      'loadTokenAnonymously',
      passwordVerifier ? { id, passwordVerifier } : { id },
    );

  beforeAll(async () => {
    test = await startTestStack({ clock: () => now });
    [alice, bob, carol] = await Promise.all([
      createTestIdentity(test, 1),
      createTestIdentity(test, 1),
      createTestIdentity(test, 1),
    ]);
    anonymous = await connectBootstrap(test.endpoint, test.bootstrapCreds);
  });

  afterAll(async () => {
    await anonymous?.close();
    await closeAll(alice, bob, carol);
    await test?.destroy();
  });

  const a = () => alice.devices[0]!.session;
  const b = () => bob.devices[0]!.session;
  const c = () => carol.devices[0]!.session;

  it('are loaded by id by any identity and anonymously, with their sealed content unchanged', async () => {
    const content = sealed();
    const token = await a().call('createToken', { content, expiresAt: inDays(now, 1) });
    expect(token).toMatchObject({ id: expect.stringMatching(/^TOK/), createdBy: alice.address, content });
    expect((await b().call('loadToken', { id: token.id })).content).toBe(content);
    expect((await loadAnonymously(token.id)).content).toBe(content);
  });

  it('meant for one identity are refused to every other and to anonymous callers', async () => {
    const token = await a().call('createToken', {
      content: sealed(),
      expiresAt: inDays(now, 1),
      forIdentity: bob.address,
    });
    expect((await b().call('loadToken', { id: token.id })).forIdentity).toBe(bob.address);
    expect(await errorCode(c().call('loadToken', { id: token.id }))).toBe('error.tokens.notForYou');
    expect(await errorCode(loadAnonymously(token.id))).toBe('error.tokens.notForYou');
    expect((await a().call('loadToken', { id: token.id })).id).toBe(token.id);
  });

  it(`lock after ${Limits.passwordAttempts} wrong passwords, even concurrent ones, except for their owner`, async () => {
    const verifier = toBase64Url(randomBytes(32));
    const token = await a().call('createToken', {
      content: sealed(),
      expiresAt: inDays(now, 1),
      password: { verifier, kind: 'pin' },
    });
    expect(await errorCode(b().call('loadToken', { id: token.id }))).toBe('error.tokens.wrongPassword');
    expect((await b().call('loadToken', { id: token.id, passwordVerifier: verifier })).passwordKind).toBe(
      'pin',
    );
    const wrong = Array.from({ length: Limits.passwordAttempts + 5 }, () =>
      errorCode(b().call('loadToken', { id: token.id, passwordVerifier: toBase64Url(randomBytes(32)) })),
    );
    const codes = await Promise.all(wrong);
    expect(
      codes.every((code) => code === 'error.tokens.wrongPassword' || code === 'error.tokens.locked'),
    ).toBe(true);
    expect(await errorCode(b().call('loadToken', { id: token.id, passwordVerifier: verifier }))).toBe(
      'error.tokens.locked',
    );
    expect((await a().call('loadToken', { id: token.id })).id).toBe(token.id);
  });

  it('refuse expiries in the past or too far ahead, and content over the limit', async () => {
    expect(await errorCode(a().call('createToken', { content: sealed(), expiresAt: inDays(now, -1) }))).toBe(
      'error.protocol.invalidExpiry',
    );
    expect(
      await errorCode(a().call('createToken', { content: sealed(), expiresAt: inDays(now, 3700) })),
    ).toBe('error.protocol.invalidExpiry');
    const tooBig = toBase64Url(randomBytes(129 * 1024));
    expect(await errorCode(a().call('createToken', { content: tooBig, expiresAt: inDays(now, 1) }))).toBe(
      'error.protocol.malformedRequest',
    );
  });

  it('answer expired after their expiry, and notFound for unknown ids', async () => {
    const token = await a().call('createToken', { content: sealed(), expiresAt: inDays(now, 1) });
    expect(await errorCode(b().call('loadToken', { id: `TOK${'z'.repeat(20)}` }))).toBe(
      'error.tokens.notFound',
    );
    now += 86_400_000 + 1;
    expect(await errorCode(b().call('loadToken', { id: token.id }))).toBe('error.tokens.expired');
  });

  it('can be deleted by their owner only', async () => {
    const token = await a().call('createToken', { content: sealed(), expiresAt: inDays(now, 1) });
    expect(await errorCode(b().call('deleteToken', { id: token.id }))).toBe('error.tokens.notFound');
    await a().call('deleteToken', { id: token.id });
    expect(await errorCode(b().call('loadToken', { id: token.id }))).toBe('error.tokens.notFound');
  });

  it('empty: created anonymously, filled once by a device, read anonymously, gone after two minutes', async () => {
    const empty = await callOperation(anonymous, 'bb.pub.tokens.createEmpty', 'createEmptyToken', {});
    expect(empty.content).toBeUndefined();
    expect(Date.parse(empty.expiresAt) - now).toBe(Limits.emptyTokenLifetimeMs);
    const content = sealed();
    expect((await a().call('fillToken', { id: empty.id, content })).content).toBe(content);
    expect(await errorCode(b().call('fillToken', { id: empty.id, content: sealed() }))).toBe(
      'error.tokens.alreadyFilled',
    );
    expect((await loadAnonymously(empty.id)).content).toBe(content);
    const own = await a().call('createToken', { content: sealed(), expiresAt: inDays(now, 1) });
    expect(await errorCode(b().call('fillToken', { id: own.id, content: sealed() }))).toBe(
      'error.tokens.alreadyFilled',
    );
    const late = await callOperation(anonymous, 'bb.pub.tokens.createEmpty', 'createEmptyToken', {});
    now += Limits.emptyTokenLifetimeMs;
    expect(await errorCode(a().call('fillToken', { id: late.id, content: sealed() }))).toBe(
      'error.tokens.expired',
    );
  });

  it('cannot be created anonymously with content', async () => {
    // Only the declared bootstrap operations are open to the anonymous user: the broker refuses the rest.
    const attempt = await tryRequest(
      anonymous,
      'bb.pub.tokens.create',
      JSON.stringify({ content: sealed(), expiresAt: inDays(now, 1) }),
      5000,
    );
    expect(deniedByPermissions(attempt), JSON.stringify(attempt)).toBe(true);
  });
});
