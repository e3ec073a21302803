import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { encodeDeviceSecrets } from '@enmesh/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { pseudoRandomBytes, relate } from './kit/files.js';
import { startTestStack, type TestStack } from './kit/stack.js';

const size = 200 * 1024 ** 2;
const seed = 'a large file';
const maxRssMiB = 150;
const child = join(import.meta.dirname, 'kit', 'file-transfer-child.ts');
/**
 * V8 limits for the two processes, as a memory-constrained deployment sets them: a 96 MiB old space (a
 * 200 MiB file could not even be held there) and 2 MiB semi-spaces, so that V8 collects the chunks' garbage
 * before it grows the heap. With node's defaults the peak is a plateau of about 170–200 MiB whatever the file
 * size (20, 50 and 200 MiB measured alike): garbage V8 has not collected yet, not data the SDK holds.
 */
const v8Limits = ['--max-old-space-size=96', '--max-semi-space-size=2'];

interface ChildResult {
  readonly sha256: string;
  readonly maxRssKiB: number;
  readonly ms: number;
  readonly bytes?: number;
  readonly metadataSha256?: string;
}

/** Runs one side of the transfer in a process of its own and returns what it reports at the end. */
function run(test: TestStack, mode: 'upload' | 'download', person: TestPerson, peer: TestPerson) {
  const task = {
    endpoint: test.endpoint,
    secrets: Buffer.from(encodeDeviceSecrets(person.identity.first)).toString('base64url'),
    peer: peer.address,
    size,
    seed,
  };
  const process_: ChildProcess = spawn(process.execPath, [...v8Limits, '--import', 'tsx', child, mode], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, ENMESH_FILE_TRANSFER: JSON.stringify(task) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  process_.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  process_.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const result = new Promise<ChildResult>((resolve, reject) => {
    process_.once('exit', (code) => {
      const line = output.split('\n').find((text) => text.startsWith('result '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('result '.length)) as ChildResult);
      else reject(new Error(`the ${mode} process exited with ${code}:\n${output}`));
    });
  });
  return { result, kill: () => process_.kill('SIGKILL') };
}

/**
 * A 200 MiB file from one identity to another through a message attachment, each side in a process of its
 * own: the bytes arrive identical, and neither process ever holds much more than a few chunks.
 */
describe('a 200 MiB file', () => {
  let test: TestStack;
  let alice: TestPerson;
  let bob: TestPerson;

  beforeAll(async () => {
    // 20 % of 2 GiB for the files stream: room for the file and its per-chunk overhead.
    test = await startTestStack({
      env: { ENMESH_JETSTREAM_MAX_FILE_BYTES: String(2 * 1024 ** 3), ENMESH_FILES_STORAGE_PERCENT: '20' },
    });
    [alice, bob] = await Promise.all([createTestPerson(test, 1), createTestPerson(test, 1)]);
    await relate(alice, bob);
    // The child processes take over these devices.
    await stopAll(alice, bob);
  });

  afterAll(async () => {
    await test?.destroy();
  });

  it('goes through a message attachment byte for byte, each side under 150 MiB of memory', async () => {
    const downloader = run(test, 'download', bob, alice);
    const uploader = run(test, 'upload', alice, bob);
    try {
      const hash = createHash('sha256');
      for await (const piece of pseudoRandomBytes(seed, size)) hash.update(piece);
      const expected = hash.digest('hex');
      const [up, down] = await Promise.all([uploader.result, downloader.result]);
      const mib = (kib: number) => Math.round(kib / 102.4) / 10;
      const rate = (ms: number) => Math.round(size / 1024 ** 2 / (ms / 1000));
      console.log(
        `200 MiB file: upload ${rate(up.ms)} MiB/s (peak RSS ${mib(up.maxRssKiB)} MiB), ` +
          `download ${rate(down.ms)} MiB/s (peak RSS ${mib(down.maxRssKiB)} MiB)`,
      );
      expect(up.sha256).toBe(expected);
      expect(down.bytes).toBe(size);
      expect(down.sha256).toBe(expected);
      expect(down.metadataSha256).toBe(expected);
      expect(up.maxRssKiB / 1024).toBeLessThan(maxRssMiB);
      expect(down.maxRssKiB / 1024).toBeLessThan(maxRssMiB);
    } finally {
      uploader.kill();
      downloader.kill();
    }
  }, 120_000);
});
