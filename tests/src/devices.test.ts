import { generateDeviceKeyPair, generateSigningKeyPair, SignaturePurpose } from '@enmesh/protocol';
import {
  BootstrapClient,
  type DeviceSecrets,
  type DeviceSession,
  prepareDeviceJoin,
  signWithDevice,
  TransportAccount,
} from '@enmesh/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from './kit/errors.js';
import { closeAll, createTestIdentity, type TestIdentity } from './kit/identities.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

describe('devices of an identity', () => {
  let test: TestStack;
  let bootstrap: BootstrapClient;
  let alice: TestIdentity;
  let bob: TestIdentity;

  beforeAll(async () => {
    test = await startTestStack({ env: { ENMESH_DEVICES_PER_IDENTITY: '3' } });
    bootstrap = await BootstrapClient.connect(test.endpoint, test.bootstrapCreds);
    [alice, bob] = await Promise.all([createTestIdentity(test, 2), createTestIdentity(test, 1)]);
  });

  afterAll(async () => {
    await bootstrap?.close();
    await closeAll(alice, bob);
    await test?.destroy();
  });

  it('lists the identity’s devices, marking the caller', async () => {
    const [first, second] = alice.devices;
    const listed = await second!.session.listDevices();
    expect(listed.map((d) => [d.id, d.name, d.isCurrent])).toEqual([
      [first!.secrets.device.publicKey, 'device 1', false],
      [second!.secrets.device.publicKey, 'device 2', true],
    ]);
    expect(listed[1]?.createdByDevice).toBe(first!.secrets.device.publicKey);
  });

  it('renames a device; another identity’s device is not found, a bad name is refused', async () => {
    const [first, second] = alice.devices;
    const renamed = await first!.session.renameDevice(second!.secrets.device.publicKey, 'phone');
    expect(renamed.name).toBe('phone');
    expect((await second!.session.listDevices()).find((d) => d.isCurrent)?.name).toBe('phone');
    expect(await errorCode(bob.devices[0]!.session.renameDevice(first!.secrets.device.publicKey, 'x'))).toBe(
      'error.devices.notFound',
    );
    expect(await errorCode(first!.session.renameDevice(second!.secrets.device.publicKey, ' '))).toBe(
      'error.protocol.malformedRequest',
    );
  });

  it('adds a device only with both proofs, once, and within the device limit', async () => {
    const owner = alice.devices[0]!.session;
    const identity = alice.first.identity;
    const stranger = { ...identity, ...generateSigningKeyPair(), address: identity.address };
    const join = await prepareDeviceJoin(bootstrap, identity.address);
    // The identity key of someone else does not consent for alice.
    expect(await errorCode(owner.addDevice(stranger, join))).toBe('error.challenges.invalidSignature');
    // A device signature bound to another identity's address does not prove the join.
    const wrongBinding = {
      ...join,
      deviceSignature: signWithDevice(join.device.seed, SignaturePurpose.addDeviceDevice, join.challenge, [
        bob.address,
      ]),
    };
    expect(await errorCode(owner.addDevice(identity, wrongBinding))).toBe(
      'error.challenges.invalidSignature',
    );
    const added = await owner.addDevice(identity, join, 'tablet');
    expect(added.device.name).toBe('tablet');
    expect(await errorCode(owner.addDevice(identity, join))).toBe('error.challenges.alreadyUsed');
    // That was the third active device, the limit here.
    const fourth = await prepareDeviceJoin(bootstrap, identity.address);
    expect(await errorCode(owner.addDevice(identity, fourth))).toBe('error.quotas.exceeded');
    // A device key that is already registered cannot be added again.
    const again = await prepareDeviceJoin(bootstrap, identity.address);
    const reuse = {
      ...again,
      device: join.device,
      deviceSignature: signWithDevice(join.device.seed, SignaturePurpose.addDeviceDevice, again.challenge, [
        identity.address,
      ]),
    };
    await owner.revokeDevice(added.device.id);
    expect(await errorCode(owner.addDevice(identity, reuse))).toBe('error.devices.alreadyExists');
  });

  it('does not let a device use another identity’s challenge to add a device', async () => {
    const bobChallenge = await bob.devices[0]!.session.createChallenge('Identity');
    const device = generateDeviceKeyPair();
    const join = {
      device,
      challenge: bobChallenge,
      deviceSignature: signWithDevice(device.seed, SignaturePurpose.addDeviceDevice, bobChallenge, [
        alice.address,
      ]),
    };
    expect(await errorCode(alice.devices[0]!.session.addDevice(alice.first.identity, join))).toBe(
      'error.challenges.wrongType',
    );
  });
});

describe('device credentials', () => {
  it('renew themselves before the JWT expires, so a session outlives its first JWT', async () => {
    // The backbone's clock runs an hour minus four seconds behind: its one-hour JWTs expire in four seconds.
    const offset = 3_600_000 - 4_000;
    const test = await startTestStack({
      env: { ENMESH_DEVICE_JWT_LIFETIME_HOURS: '1' },
      clock: () => Date.now() - offset,
    });
    try {
      const alice = await createTestIdentity(test, 1);
      const session: DeviceSession = alice.devices[0]!.session;
      const firstExpiry = Date.parse(session.credentials.jwtExpiresAt);
      expect(firstExpiry - Date.now()).toBeLessThan(5_000);
      await waitFor(() => Date.now() > firstExpiry + 1_500, 'the first JWT to expire', 10_000);
      expect(Date.parse(session.credentials.jwtExpiresAt)).toBeGreaterThan(firstExpiry);
      expect((await session.listDevices()).length).toBe(1);
      await closeAll(alice);
      // A device whose stored JWT has expired logs in with its key before it connects, and reports the
      // new credentials and each renewal after them, so that the owner can persist what a restart needs.
      const stored = alice.devices[0]!.secrets;
      expect(Date.parse(stored.credentials.jwtExpiresAt)).toBeLessThan(Date.now());
      const reported: DeviceSecrets[] = [];
      const account = await TransportAccount.open(test.endpoint, stored, {
        bootstrapCreds: test.bootstrapCreds,
        onCredentials: (secrets) => reported.push(secrets),
      });
      expect(reported).toHaveLength(1);
      expect(Date.parse(reported[0]!.credentials.jwtExpiresAt)).toBeGreaterThan(Date.now());
      expect((await account.session.listDevices()).length).toBe(1);
      await waitFor(() => reported.length > 1, 'a renewal to be reported', 10_000);
      expect(reported[1]!.credentials.jwt).not.toBe(reported[0]!.credentials.jwt);
      await account.close();
    } finally {
      await test.destroy();
    }
  });
});
