import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deviceSeedToRaw, toBase64Url, toHex } from '@enmesh/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, createTestIdentity, type TestIdentity } from './kit/identities.js';
import { startTestStack, type TestStack } from './kit/stack.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * What the backbone operator holds after identities registered and devices joined: public keys and
 * addresses, never an identity's private key or a device's seed, in SQL, on disk or in the logs.
 */
describe('the backbone operator’s view', () => {
  let test: TestStack;
  let alice: TestIdentity;
  const logs: string[] = [];

  beforeAll(async () => {
    test = await startTestStack({ env: { ENMESH_LOG_LEVEL: 'trace' }, logSink: (line) => logs.push(line) });
    alice = await createTestIdentity(test, 2);
    // An error path too: a failing call is logged, its body must not be.
    await alice.devices[0]!.session.call('renameDevice', {
      deviceId: alice.devices[1]!.secrets.device.publicKey,
      name: 'x',
    });
  });

  afterAll(async () => {
    await closeAll(alice);
    await test?.destroy();
  });

  const secretsOf = (identity: TestIdentity): string[] => [
    toBase64Url(identity.first.identity.privateKey),
    toHex(identity.first.identity.privateKey),
    ...identity.devices.flatMap(({ secrets }) => {
      const raw = deviceSeedToRaw(secrets.device.seed);
      return [new TextDecoder().decode(secrets.device.seed), toBase64Url(raw), toHex(raw)];
    }),
  ];

  it('keeps public keys and addresses in SQL, and no private key or seed', async () => {
    const db = test.stack.db;
    const dump = JSON.stringify(
      await Promise.all(
        ['Identity', 'Device', 'Challenge', 'DeviceRevocation'].map((name) => db.getRepository(name).find()),
      ),
    );
    expect(dump).toContain(alice.address);
    expect(dump).toContain(toBase64Url(alice.first.identity.publicKey));
    for (const secret of secretsOf(alice)) expect(dump).not.toContain(secret);
  });

  it('writes no private key or seed of an identity anywhere under the data directory', async () => {
    const files = await filesUnder(test.settings.broker.dataDir);
    expect(files.some((file) => file.endsWith('backbone.sqlite'))).toBe(true);
    let scanned = 0;
    for (const file of files) {
      const bytes = await readFile(file);
      const text = bytes.toString('latin1');
      scanned += bytes.length;
      for (const secret of secretsOf(alice))
        expect(text.includes(secret), `${file} holds a secret`).toBe(false);
      for (const { secrets } of alice.devices) {
        expect(bytes.includes(Buffer.from(deviceSeedToRaw(secrets.device.seed))), file).toBe(false);
      }
      expect(bytes.includes(Buffer.from(alice.first.identity.privateKey)), file).toBe(false);
    }
    expect(scanned).toBeGreaterThan(0);
  });

  it('logs no private key, seed or JWT, even at trace level', async () => {
    expect(logs.length).toBeGreaterThan(0);
    const text = logs.join('\n');
    for (const secret of secretsOf(alice)) expect(text).not.toContain(secret);
    for (const { secrets } of alice.devices) expect(text).not.toContain(secrets.credentials.jwt);
  });
});
