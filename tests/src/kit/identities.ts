import { identityToken, mailboxSubject } from '@enmesh/protocol';
import {
  BootstrapClient,
  createIdentity,
  type DeviceSecrets,
  DeviceSession,
  loginDevice,
  prepareDeviceJoin,
} from '@enmesh/transport';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { TestStack } from './stack.js';

/** A test identity with its devices' secrets and open sessions. */
export interface TestIdentity {
  readonly address: string;
  readonly token: string;
  readonly first: DeviceSecrets;
  readonly devices: { secrets: DeviceSecrets; session: DeviceSession }[];
}

/** Creates an identity through the SDK and adds `deviceCount - 1` more devices to it. */
export async function createTestIdentity(test: TestStack, deviceCount = 1): Promise<TestIdentity> {
  const bootstrap = await BootstrapClient.connect(test.endpoint, test.bootstrapCreds);
  try {
    const first = await createIdentity(bootstrap, { deviceName: 'device 1' });
    const firstSession = await DeviceSession.fromSecrets(test.endpoint, first);
    const devices = [{ secrets: first, session: firstSession }];
    for (let i = 1; i < deviceCount; i++) {
      const secrets = await joinDevice(bootstrap, firstSession, first, `device ${i + 1}`);
      devices.push({ secrets, session: await DeviceSession.fromSecrets(test.endpoint, secrets) });
    }
    return { address: first.identity.address, token: identityToken(first.identity.address), first, devices };
  } finally {
    await bootstrap.close();
  }
}

async function joinDevice(
  bootstrap: BootstrapClient,
  session: DeviceSession,
  first: DeviceSecrets,
  name: string,
): Promise<DeviceSecrets> {
  const join = await prepareDeviceJoin(bootstrap, first.identity.address);
  const added = await session.addDevice(first.identity, join, name);
  return { identity: first.identity, device: join.device, credentials: added.credentials };
}

/**
 * Adds a device to an identity through a session of its own, as another device of the identity would,
 * without any running account of the identity taking part; returns the new device's secrets.
 */
export async function addDevice(test: TestStack, first: DeviceSecrets, name: string): Promise<DeviceSecrets> {
  const bootstrap = await BootstrapClient.connect(test.endpoint, test.bootstrapCreds);
  const session = await DeviceSession.fromSecrets(test.endpoint, first);
  try {
    return await joinDevice(bootstrap, session, first, name);
  } finally {
    await session.close();
    await bootstrap.close();
  }
}

/** Publishes an entry into an identity's mailbox as a backbone actor would (APP account, with dedup id). */
export async function publishToMailbox(
  actor: NatsConnection,
  test: TestStack,
  token: string,
  text: string,
): Promise<number> {
  const subject = mailboxSubject(token, test.settings.broker.shardCount);
  const ack = await jetstream(actor).publish(subject, text, { msgID: `${token}:${text}` });
  return ack.seq;
}

/** Closes every session of the identities. */
export async function closeAll(...identities: TestIdentity[]): Promise<void> {
  await Promise.all(identities.flatMap((identity) => identity.devices.map(({ session }) => session.close())));
}

/** Logs a device in again with its key (a fresh challenge), as a device whose JWT expired does. */
export async function loginAgain(test: TestStack, secrets: DeviceSecrets) {
  const bootstrap = await BootstrapClient.connect(test.endpoint, test.bootstrapCreds);
  try {
    return (await loginDevice(bootstrap, secrets)).credentials;
  } finally {
    await bootstrap.close();
  }
}
