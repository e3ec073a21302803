import { toBase64Url } from '@enmesh/protocol';
import { BootstrapClient } from '@enmesh/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from './kit/errors.js';
import { closeAll, createTestIdentity, type TestIdentity } from './kit/identities.js';
import { startTestStack, type TestStack } from './kit/stack.js';

describe('challenges', () => {
  let test: TestStack;
  let now = Date.now();
  let alice: TestIdentity;
  let bob: TestIdentity;

  beforeAll(async () => {
    test = await startTestStack({ clock: () => now });
    [alice, bob] = await Promise.all([createTestIdentity(test, 2), createTestIdentity(test, 1)]);
  });

  afterAll(async () => {
    await closeAll(alice, bob);
    await test?.destroy();
  });

  it('are valid for ten minutes', async () => {
    const challenge = await alice.devices[0]!.session.createChallenge('Identity');
    expect(Date.parse(challenge.expiresAt) - now).toBe(10 * 60 * 1000);
    expect(challenge).toMatchObject({ type: 'Identity', createdBy: alice.address });
  });

  it('of type Identity validate against the creator’s identity key, for any verifier', async () => {
    const [first, second] = alice.devices;
    const challenge = await first!.session.createChallenge('Identity');
    const signature = first!.session.signChallengeWithIdentity(alice.first.identity, challenge);
    // Bob (a peer) checks alice's signature.
    expect(await bob.devices[0]!.session.validateChallenge(challenge.id, signature)).toEqual({
      isValid: true,
      type: 'Identity',
      createdBy: alice.address,
    });
    // Signed with a device key instead, or by another identity: not valid.
    const byDevice = second!.session.signChallengeWithDevice(challenge);
    expect((await bob.devices[0]!.session.validateChallenge(challenge.id, byDevice)).isValid).toBe(false);
    const byBob = bob.devices[0]!.session.signChallengeWithIdentity(bob.first.identity, challenge);
    expect((await first!.session.validateChallenge(challenge.id, byBob)).isValid).toBe(false);
    expect((await first!.session.validateChallenge(challenge.id, 'not-base64!')).isValid).toBe(false);
  });

  it('of type Device validate against the creating device’s key only', async () => {
    const [first, second] = alice.devices;
    const challenge = await second!.session.createChallenge('Device');
    expect(challenge.createdByDevice).toBe(second!.secrets.device.publicKey);
    const good = second!.session.signChallengeWithDevice(challenge);
    expect(await bob.devices[0]!.session.validateChallenge(challenge.id, good)).toEqual({
      isValid: true,
      type: 'Device',
      createdBy: alice.address,
      createdByDevice: second!.secrets.device.publicKey,
    });
    const otherDevice = first!.session.signChallengeWithDevice(challenge);
    expect((await bob.devices[0]!.session.validateChallenge(challenge.id, otherDevice)).isValid).toBe(false);
    const byIdentity = first!.session.signChallengeWithIdentity(alice.first.identity, challenge);
    expect((await bob.devices[0]!.session.validateChallenge(challenge.id, byIdentity)).isValid).toBe(false);
  });

  it('cannot be validated when anonymous, unknown or expired', async () => {
    const bootstrap = await BootstrapClient.connect(test.endpoint, test.bootstrapCreds);
    const anonymous = await bootstrap.createChallenge();
    await bootstrap.close();
    const session = alice.devices[0]!.session;
    const signature = toBase64Url(new Uint8Array(64));
    expect(await errorCode(session.validateChallenge(anonymous.id, signature))).toBe(
      'error.challenges.wrongType',
    );
    expect(await errorCode(session.validateChallenge(`CHL${'x'.repeat(20)}`, signature))).toBe(
      'error.challenges.notFound',
    );
    const challenge = await session.createChallenge('Identity');
    const valid = session.signChallengeWithIdentity(alice.first.identity, challenge);
    now += 10 * 60 * 1000;
    expect(await errorCode(session.validateChallenge(challenge.id, valid))).toBe('error.challenges.expired');
  });
});
