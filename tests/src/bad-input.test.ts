import {
  type Challenge,
  generateDeviceKeyPair,
  generateSigningKeyPair,
  SignaturePurpose,
  toBase64Url,
} from '@enmesh/protocol';
import { connectBootstrap, signWithDevice, signWithIdentity } from '@enmesh/transport';
import type { NatsConnection } from '@nats-io/nats-core';
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
  const challenge = async (): Promise<Challenge> =>
    (await send('bb.pub.challenges.create', '{}')).result as Challenge;
  const rowCounts = async () => ({
    identities: await test.stack.db.getRepository('Identity').count(),
    devices: await test.stack.db.getRepository('Device').count(),
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

  beforeAll(async () => {
    test = await startTestStack({ clock: () => now });
    nc = await connectBootstrap(test.endpoint, test.bootstrapCreds);
  });
  afterAll(async () => {
    await nc?.close();
    await test?.destroy();
  });

  let before: { identities: number; devices: number };
  beforeEach(async () => {
    before = await rowCounts();
  });
  const expectNothingStored = async () => expect(await rowCounts()).toEqual(before);

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
    before = await rowCounts();
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
    before = await rowCounts();
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

  it('refuses anonymous Device challenges and unknown fields in challenge requests', async () => {
    expect((await send('bb.pub.challenges.create', '{"type":"Device"}')).error?.code).toBe(
      'error.challenges.wrongType',
    );
    expect((await send('bb.pub.challenges.create', '{"type":"Root"}')).error?.code).toBe(
      'error.protocol.malformedRequest',
    );
    expect((await send('bb.pub.challenges.create', '{"ttl":99999}')).error?.code).toBe(
      'error.protocol.malformedRequest',
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
