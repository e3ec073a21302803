import { connectDevice, type DeviceSecrets } from '@enmesh/transport';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from './kit/errors.js';
import { closeAll, createTestIdentity, loginAgain as login, type TestIdentity } from './kit/identities.js';
import { startTestStack, type TestStack } from './kit/stack.js';

async function connectWithOldJwt(test: TestStack, secrets: DeviceSecrets): Promise<NatsConnection> {
  return connectDevice(
    test.endpoint,
    { publicKey: secrets.device.publicKey, seed: secrets.device.seed, jwt: () => secrets.credentials.jwt },
    { maxReconnectAttempts: 0 },
  );
}

describe('device revocation and deletion', () => {
  let test: TestStack;
  let alice: TestIdentity;

  beforeAll(async () => {
    test = await startTestStack();
    alice = await createTestIdentity(test, 4);
  });

  afterAll(async () => {
    await closeAll(alice);
    await test?.destroy();
  });

  it('cuts a connected revoked device off within a second and deletes its consumer', async () => {
    const [owner, victim] = alice.devices;
    const mailbox = await victim!.session.mailbox({ cursor: 0 });
    const jsm = await jetstreamManager(await test.stack.broker.connectActor('observer'));
    const stream = victim!.secrets.credentials.mailboxStream;
    expect((await jsm.consumers.info(stream, victim!.secrets.device.publicKey)).name).toBe(
      victim!.secrets.device.publicKey,
    );

    // A second connection of the victim that does not reconnect shows the moment the server cuts it off.
    const watcher = await connectWithOldJwt(test, victim!.secrets);
    const cutOff = watcher.closed().then(() => Date.now());
    const started = Date.now();
    const revoked = await owner!.session.revokeDevice(victim!.secrets.device.publicKey);
    expect(revoked.revokedAt).toBeDefined();
    const outcome = await Promise.race([
      cutOff,
      new Promise<'still connected'>((resolve) => setTimeout(() => resolve('still connected'), 1000)),
    ]);
    expect(outcome).not.toBe('still connected');
    expect((outcome as number) - started).toBeLessThan(1000);
    // The session (which would reconnect) ends too: the server refuses its JWT from now on.
    await victim!.session.closed();
    await mailbox.close().catch(() => undefined);
    await expect(jsm.consumers.info(stream, victim!.secrets.device.publicKey)).rejects.toThrow(/not found/i);
  });

  it('refuses the revoked device’s old JWT and any new login, and lists it as revoked', async () => {
    const victim = alice.devices[1]!.secrets;
    await expect(connectWithOldJwt(test, victim)).rejects.toThrow(/authorization/i);
    expect(await errorCode(login(test, victim))).toBe('error.devices.revoked');
    const listed = await alice.devices[0]!.session.listDevices();
    expect(listed.find((device) => device.id === victim.device.publicKey)?.revokedAt).toBeDefined();
  });

  it('deletes a device: gone from the list, its old JWT refused, no login, even after a broker restart', async () => {
    const owner = alice.devices[0]!.session;
    const deleted = alice.devices[2]!;
    await owner.deleteDevice(deleted.secrets.device.publicKey);
    await deleted.session.closed();
    const ids = (await owner.listDevices()).map((device) => device.id);
    expect(ids).not.toContain(deleted.secrets.device.publicKey);
    await expect(connectWithOldJwt(test, deleted.secrets)).rejects.toThrow(/authorization/i);
    expect(await errorCode(login(test, deleted.secrets))).toBe('error.devices.notFound');

    await closeAll(alice);
    test = await test.restart();
    await expect(connectWithOldJwt(test, deleted.secrets)).rejects.toThrow(/authorization/i);
    await expect(connectWithOldJwt(test, alice.devices[1]!.secrets)).rejects.toThrow(/authorization/i);
    // An active device still connects after the restart with its JWT.
    const active = await connectWithOldJwt(test, alice.devices[3]!.secrets);
    await active.close();
  });

  it('keeps the last active device: it cannot be revoked or deleted', async () => {
    const solo = await createTestIdentity(test, 1);
    const self = solo.first.device.publicKey;
    expect(await errorCode(solo.devices[0]!.session.revokeDevice(self))).toBe(
      'error.devices.lastActiveDevice',
    );
    expect(await errorCode(solo.devices[0]!.session.deleteDevice(self))).toBe(
      'error.devices.lastActiveDevice',
    );
    await closeAll(solo);
  });

  it('gives an active device fresh credentials on login', async () => {
    const active = alice.devices[3]!.secrets;
    const fresh = await login(test, active);
    expect(fresh.deviceId).toBe(active.device.publicKey);
    const nc = await connectWithOldJwt(test, { ...active, credentials: fresh });
    await nc.close();
  });
});
