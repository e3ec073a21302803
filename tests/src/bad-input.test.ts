import {
  type Challenge,
  generateDeviceKeyPair,
  generateSigningKeyPair,
  SignaturePurpose,
  toBase64Url,
} from '@enmesh/protocol';
import { connectBootstrap, signWithDevice, signWithIdentity } from '@enmesh/transport';
import type { NatsConnection } from '@nats-io/nats-core';
import { IsNull, Not } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './kit/stack.js';

type Reply = {
  result?: Record<string, unknown>;
  error?: { code: string; message: string; details?: Record<string, unknown> };
};

/** Registration and challenge requests that are malformed, oversized, wrongly signed or replayed. */
describe('bad registration and challenge requests', () => {
  let test: TestStack;
  let nc: NatsConnection;
  let now = Date.now();

  const send = async (subject: string, body: string | Uint8Array): Promise<Reply> =>
    (await nc.request(subject, body, { timeout: 5000 })).json<Reply>();
  /** Challenges this test asked for itself since the last snapshot: the only rows it may add. */
  let issued = 0;
  const challenge = async (): Promise<Challenge> => {
    const issuedChallenge = (await send('bb.pub.challenges.create', '{}')).result as Challenge;
    expect(issuedChallenge.id).toMatch(/^CHL/);
    issued += 1;
    return issuedChallenge;
  };
  const rowCounts = async () => ({
    identities: await test.stack.db.getRepository('Identity').count(),
    devices: await test.stack.db.getRepository('Device').count(),
    challenges: await test.stack.db.getRepository('Challenge').count(),
    spentChallenges: await test.stack.db
      .getRepository('Challenge')
      .count({ where: { usedAt: Not(IsNull()) } }),
  });

  /** A registration request that would succeed, for a fresh identity and device key. */
  const validRegistration = async (overrides: Record<string, unknown> = {}) => {
    const identity = generateSigningKeyPair();
    const device = generateDeviceKeyPair();
    const ch = await challenge();
    const identityPublicKey = toBase64Url(identity.publicKey);
    return {
      challenge: ch,
      identity,
      device,
      body: {
        challengeId: ch.id,
        identityPublicKey,
        devicePublicKey: device.publicKey,
        identitySignature: signWithIdentity(identity.privateKey, SignaturePurpose.registerIdentity, ch, [
          device.publicKey,
        ]),
        deviceSignature: signWithDevice(device.seed, SignaturePurpose.registerDevice, ch, [
          identityPublicKey,
        ]),
        ...overrides,
      },
    };
  };
  const register = (body: unknown) => send('bb.pub.identities.create', JSON.stringify(body));
  const login = (body: unknown) => send('bb.pub.devices.login', JSON.stringify(body));

  /** A freshly registered identity with its first device. */
  const registered = async () => {
    const { identity, device, challenge: spent, body } = await validRegistration();
    const address = (await register(body)).result?.address as string;
    expect(address).toMatch(/^did:e:/);
    return { identity, device, address, spent };
  };
  type Registered = Awaited<ReturnType<typeof registered>>;
  /** A login request that would succeed over `ch`. */
  const validLogin = (who: Registered, ch: Challenge) => ({
    challengeId: ch.id,
    address: who.address,
    devicePublicKey: who.device.publicKey,
    signature: signWithDevice(who.device.seed, SignaturePurpose.deviceLogin, ch, [who.address]),
  });
  const lastLoginAt = async (who: Registered) =>
    (await test.stack.db.getRepository('Device').findOneByOrFail({ id: who.device.publicKey })).lastLoginAt;
  /** The subject of a JWT, without checking it (the broker does that). */
  const jwtSubject = (jwt: unknown) =>
    (JSON.parse(Buffer.from(String(jwt).split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;

  beforeAll(async () => {
    test = await startTestStack({ clock: () => now });
    nc = await connectBootstrap(test.endpoint, test.bootstrapCreds);
  });
  afterAll(async () => {
    await nc?.close();
    await test?.destroy();
  });

  let before: Awaited<ReturnType<typeof rowCounts>>;
  const snapshot = async () => {
    before = await rowCounts();
    issued = 0;
  };
  beforeEach(snapshot);
  /** No identity, device or spent challenge was added, and no challenge but those the test asked for. */
  const expectNothingStored = async () =>
    expect(await rowCounts()).toEqual({ ...before, challenges: before.challenges + issued });

  it('answers a body that is not JSON with malformedRequest', async () => {
    expect((await send('bb.pub.identities.create', '{"challengeId": ')).error?.code).toBe(
      'error.protocol.malformedRequest',
    );
    expect((await send('bb.pub.challenges.create', '\u0000\u0001')).error?.code).toBe(
      'error.protocol.malformedRequest',
    );
    await expectNothingStored();
  });

  it('names the faulty field of a request with a wrong shape', async () => {
    const { body } = await validRegistration();
    for (const [change, path] of [
      [{ identityPublicKey: 'short' }, 'identityPublicKey'],
      [{ devicePublicKey: 'NOTANNKEY' }, 'devicePublicKey'],
      [{ challengeId: 42 }, 'challengeId'],
      [{ identitySignature: undefined }, 'identitySignature'],
      [{ deviceName: 'x'.repeat(101) }, 'deviceName'],
    ] as const) {
      const reply = await register({ ...body, ...change });
      expect(reply.error?.code, path).toBe('error.protocol.malformedRequest');
      expect(reply.error?.details?.path, path).toBe(path);
    }
    const extra = await register({ ...body, isAdmin: true });
    expect(extra.error?.code).toBe('error.protocol.malformedRequest');
    await expectNothingStored();
  });

  it('refuses an oversized request with payloadTooLarge, and the broker refuses a huge one outright', async () => {
    const { body } = await validRegistration({ deviceName: 'x'.repeat(20_000) });
    expect((await register(body)).error?.code).toBe('error.protocol.payloadTooLarge');
    await expect(send('bb.pub.identities.create', new Uint8Array(100 * 1024))).rejects.toThrow(/payload/i);
    await expectNothingStored();
  });

  it('refuses wrong signatures: another identity key, another device key, another purpose', async () => {
    const stranger = generateSigningKeyPair();
    const otherDevice = generateDeviceKeyPair();
    const base = await validRegistration();
    const ch = base.challenge;
    const cases = [
      {
        identitySignature: signWithIdentity(stranger.privateKey, SignaturePurpose.registerIdentity, ch, [
          base.device.publicKey,
        ]),
      },
      {
        deviceSignature: signWithDevice(otherDevice.seed, SignaturePurpose.registerDevice, ch, [
          base.body.identityPublicKey,
        ]),
      },
      {
        identitySignature: signWithIdentity(
          base.identity.privateKey,
          SignaturePurpose.addDeviceIdentity,
          ch,
          [base.device.publicKey],
        ),
      },
      { identitySignature: toBase64Url(new Uint8Array(64)) },
    ];
    for (const change of cases) {
      expect((await register({ ...base.body, ...change })).error?.code).toBe(
        'error.challenges.invalidSignature',
      );
    }
    await expectNothingStored();
    // A failed attempt does not spend the challenge: the rightful owner can still use it.
    expect((await register(base.body)).result?.address).toMatch(/^did:e:localhost:dids:[0-9a-f]+$/);
  });

  it('refuses a replayed registration and a reused challenge, storing nothing the second time', async () => {
    const first = await validRegistration();
    expect((await register(first.body)).result?.address).toBeDefined();
    await snapshot();
    expect((await register(first.body)).error?.code).toBe('error.challenges.alreadyUsed');
    const other = await validRegistration();
    const reuse = await validRegistration({ challengeId: first.challenge.id });
    expect((await register(reuse.body)).error?.code).toBe('error.challenges.alreadyUsed');
    await expectNothingStored();
    expect(other.body.challengeId).not.toBe(first.challenge.id);
  });

  it('refuses an unknown or expired challenge', async () => {
    const unknown = await validRegistration({ challengeId: `CHL${'a'.repeat(20)}` });
    expect((await register(unknown.body)).error?.code).toBe('error.challenges.notFound');
    const late = await validRegistration();
    now += 10 * 60 * 1000 + 1;
    expect((await register(late.body)).error?.code).toBe('error.challenges.expired');
    await expectNothingStored();
  });

  it('refuses to register a key that is already an identity', async () => {
    const first = await validRegistration();
    expect((await register(first.body)).result).toBeDefined();
    await snapshot();
    const ch = await challenge();
    const device = generateDeviceKeyPair();
    const again = {
      ...first.body,
      challengeId: ch.id,
      devicePublicKey: device.publicKey,
      identitySignature: signWithIdentity(first.identity.privateKey, SignaturePurpose.registerIdentity, ch, [
        device.publicKey,
      ]),
      deviceSignature: signWithDevice(device.seed, SignaturePurpose.registerDevice, ch, [
        first.body.identityPublicKey,
      ]),
    };
    expect((await register(again)).error?.code).toBe('error.identities.alreadyExists');
    await expectNothingStored();
  });

  it('refuses anonymous Device challenges and unknown fields in challenge requests, storing no challenge', async () => {
    expect((await send('bb.pub.challenges.create', '{"type":"Device"}')).error?.code).toBe(
      'error.challenges.wrongType',
    );
    const unknownType = await send('bb.pub.challenges.create', '{"type":"Root"}');
    expect(unknownType.error?.code).toBe('error.protocol.malformedRequest');
    expect(unknownType.error?.details?.path).toBe('type');
    expect((await send('bb.pub.challenges.create', '{"ttl":99999}')).error?.code).toBe(
      'error.protocol.malformedRequest',
    );
    for (const body of ['{"type":', '[]', '"Identity"', '{"type":null}', '{"type":"identity"}']) {
      expect((await send('bb.pub.challenges.create', body)).error?.code, body).toBe(
        'error.protocol.malformedRequest',
      );
    }
    await expectNothingStored();
  });

  it('refuses an oversized challenge request with payloadTooLarge, and the broker refuses a huge one', async () => {
    const padded = JSON.stringify({ type: 'Identity', padding: 'x'.repeat(20_000) });
    expect((await send('bb.pub.challenges.create', padded)).error?.code).toBe(
      'error.protocol.payloadTooLarge',
    );
    await expect(send('bb.pub.challenges.create', new Uint8Array(100 * 1024))).rejects.toThrow(/payload/i);
    await expectNothingStored();
  });

  it('refuses a device login with a wrong signature, issuing nothing and keeping the challenge usable', async () => {
    const alice = await registered();
    const stranger = generateDeviceKeyPair();
    const ch = await challenge();
    const other = await challenge();
    await snapshot();
    now += 1000;
    const loggedInAt = await lastLoginAt(alice);
    const body = validLogin(alice, ch);
    for (const signature of [
      signWithDevice(stranger.seed, SignaturePurpose.deviceLogin, ch, [alice.address]),
      signWithDevice(alice.device.seed, SignaturePurpose.registerDevice, ch, [alice.address]),
      signWithDevice(alice.device.seed, SignaturePurpose.deviceLogin, ch, ['did:e:localhost:dids:0000']),
      signWithDevice(alice.device.seed, SignaturePurpose.deviceLogin, other, [alice.address]),
      signWithIdentity(alice.identity.privateKey, SignaturePurpose.deviceLogin, ch, [alice.address]),
      toBase64Url(new Uint8Array(64)),
    ]) {
      const reply = await login({ ...body, signature });
      expect(reply.error?.code).toBe('error.challenges.invalidSignature');
      expect(reply.result).toBeUndefined();
    }
    await expectNothingStored();
    expect(await lastLoginAt(alice)).toBe(loggedInAt);
    // The actor keeps serving, and the failed attempts did not spend the challenge.
    const credentials = (await login(body)).result;
    expect(jwtSubject(credentials?.jwt)).toBe(alice.device.publicKey);
    expect(await lastLoginAt(alice)).toBe(now);
  });

  it('refuses a replayed device login and a challenge spent by registration, issuing nothing', async () => {
    const alice = await registered();
    const first = validLogin(alice, await challenge());
    expect(jwtSubject((await login(first)).result?.jwt)).toBe(alice.device.publicKey);
    await snapshot();
    now += 1000;
    const loggedInAt = await lastLoginAt(alice);
    for (const replay of [first, validLogin(alice, alice.spent)]) {
      const reply = await login(replay);
      expect(reply.error?.code).toBe('error.challenges.alreadyUsed');
      expect(reply.result).toBeUndefined();
    }
    await expectNothingStored();
    expect(await lastLoginAt(alice)).toBe(loggedInAt);
    // The actor keeps serving a login over a fresh challenge.
    expect(jwtSubject((await login(validLogin(alice, await challenge()))).result?.jwt)).toBe(
      alice.device.publicKey,
    );
  });

  it('keeps serving after all of the above', async () => {
    const { body } = await validRegistration();
    const reply = await register(body);
    expect(reply.error).toBeUndefined();
    expect(reply.result?.address).toMatch(/^did:e:/);
  });
});

describe('bootstrap rate limit', () => {
  let test: TestStack;
  let nc: NatsConnection;

  beforeAll(async () => {
    test = await startTestStack({
      env: { ENMESH_BOOTSTRAP_RATE_PER_HOST: '1', ENMESH_BOOTSTRAP_BURST_PER_HOST: '5' },
    });
    nc = await connectBootstrap(test.endpoint, test.bootstrapCreds);
  });
  afterAll(async () => {
    await nc?.close();
    await test?.destroy();
  });

  it('answers rateLimited beyond the burst from one host', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const reply = (await nc.request('bb.pub.challenges.create', '{}', { timeout: 5000 })).json<Reply>();
      codes.push(reply.error?.code ?? 'ok');
    }
    expect(codes.slice(0, 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(codes.slice(5)).toContain('error.protocol.rateLimited');
  });
});
