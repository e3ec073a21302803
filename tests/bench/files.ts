import { createHash } from 'node:crypto';
import { TransportAccount } from '@enmesh/transport';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { pseudoRandomBytes } from '../src/kit/files.js';
import { closeAll, createTestIdentity } from '../src/kit/identities.js';
import type { TestStack } from '../src/kit/stack.js';
import { type Figure, figure } from './report.js';

/** Sizes of the file benchmark. */
export interface FilesBenchOptions {
  /** Bytes of the file (a deterministic pseudo-random stream, never held in memory). */
  readonly size: number;
  /** Bytes per raw chunk, and raw publishes in flight. */
  readonly rawChunkBytes: number;
  readonly rawWindow: number;
  readonly timeoutMs: number;
}

const defaults: FilesBenchOptions = {
  size: 200 * 1024 ** 2,
  rawChunkBytes: 128 * 1024,
  rawWindow: 8,
  timeoutMs: 120_000,
};

const seed = 'bench file';
const mib = 1024 ** 2;
const mibPerSecond = (bytes: number, ms: number) => (ms > 0 ? bytes / mib / (ms / 1000) : Number.NaN);

/** Everything the benchmark measured, for the JSON next to the figures. */
export interface FilesDetails {
  readonly setup: string;
  readonly size: number;
  readonly sdk: { uploadMs: number; downloadMs: number; chunkBytes: number; concurrency: number };
  readonly raw: { putMs: number; getMs: number; chunkBytes: number; window: number };
}

/** Hashes everything `source` yields. */
async function hashOf(source: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of source) hash.update(piece);
  return hash.digest('hex');
}

/**
 * The raw baseline: the same bytes in `chunkBytes` messages published to a plain file-storage stream of the
 * APP account, `window` publishes in flight, then read back by a pull consumer (plain acks) into a hash.
 * Returns the ms of both halves; fails when the bytes differ.
 */
async function rawChunks(
  test: TestStack,
  o: FilesBenchOptions,
  expected: string,
): Promise<{ putMs: number; getMs: number }> {
  const nc = await test.stack.broker.connectActor('bench-files-raw');
  const name = 'bench_files_raw';
  const subject = `bench.${name}`;
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const chunks = Math.ceil(o.size / o.rawChunkBytes);
  await jsm.streams.add({
    name,
    subjects: [subject],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: 1,
    // The bytes plus per-message overhead (subject, headers, index).
    max_bytes: o.size + chunks * 1024 + 4 * mib,
    max_msg_size: 2 * mib,
    discard: DiscardPolicy.New,
  });
  try {
    const putStarted = performance.now();
    const inFlight = new Set<Promise<unknown>>();
    let failure: unknown;
    let index = 0;
    for await (const piece of pseudoRandomBytes(seed, o.size, o.rawChunkBytes)) {
      if (failure !== undefined) break;
      while (inFlight.size >= o.rawWindow) await Promise.race(inFlight);
      const task: Promise<unknown> = js
        .publish(subject, piece, { msgID: `${name}:${index++}` })
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    const putMs = performance.now() - putStarted;

    const getStarted = performance.now();
    await jsm.consumers.add(name, {
      durable_name: 'bench',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30_000 * 1_000_000,
    });
    const consumer = await js.consumers.get(name, 'bench');
    const messages = await consumer.consume({ max_messages: 16, expires: 30_000 });
    const timer = setTimeout(() => void messages.stop(), o.timeoutMs);
    const hash = createHash('sha256');
    let received = 0;
    try {
      for await (const msg of messages) {
        hash.update(msg.data);
        msg.ack();
        if (++received >= chunks) break;
      }
      await nc.flush();
    } finally {
      clearTimeout(timer);
      await messages.close().catch(() => undefined);
    }
    const getMs = performance.now() - getStarted;
    if (received < chunks) throw new Error(`raw: read ${received} of ${chunks} chunks`);
    if (hash.digest('hex') !== expected) throw new Error('raw: the bytes read back differ');
    return { putMs, getMs };
  } finally {
    await jsm.streams.delete(name).catch(() => undefined);
    await nc.close();
  }
}

/**
 * A large file through the SDK: A uploads it (sealed chunk by chunk on the device, `putFileChunk` requests
 * with the SDK's default chunk size and concurrency, stored by the files actor in the files stream), B
 * downloads it by reference (every chunk verified, the hash checked) into a SHA-256 hash. Against it, the
 * same bytes as raw JetStream chunks (the object store client `@nats-io/obj` is not a dependency).
 */
export async function benchFiles(
  test: TestStack,
  overrides: Partial<FilesBenchOptions> = {},
): Promise<{ figures: Figure[]; details: FilesDetails }> {
  const o = { ...defaults, ...overrides };
  const expected = await hashOf(pseudoRandomBytes(seed, o.size));
  const identities = await Promise.all([createTestIdentity(test, 1), createTestIdentity(test, 1)]);
  const [aSecrets, bSecrets] = identities.map((identity) => identity.devices[0]!.secrets);
  await closeAll(...identities);
  const a = await TransportAccount.open(test.endpoint, aSecrets!);
  const b = await TransportAccount.open(test.endpoint, bSecrets!);
  try {
    const uploadStarted = performance.now();
    const file = await a.uploadFile(pseudoRandomBytes(seed, o.size), {
      name: 'bench.bin',
      size: o.size,
      expiresAt: new Date(Date.now() + 86_400_000),
      timeoutMs: o.timeoutMs,
    });
    const uploadMs = performance.now() - uploadStarted;
    if (file.sha256 !== expected) throw new Error('the SDK hashed other bytes than the source');

    const hash = createHash('sha256');
    let bytes = 0;
    const downloadStarted = performance.now();
    await b.downloadFile(
      file.reference,
      (chunk) => {
        hash.update(chunk);
        bytes += chunk.length;
      },
      { timeoutMs: o.timeoutMs },
    );
    const downloadMs = performance.now() - downloadStarted;
    if (bytes !== o.size || hash.digest('hex') !== expected) throw new Error('downloaded bytes differ');

    const raw = await rawChunks(test, o, expected);
    const details: FilesDetails = {
      setup:
        'one Node process runs the actors, uploader A and downloader B (one device each) and the raw client; ' +
        'nats-server is its own process; source: AES-CTR pseudo-random stream, sink: SHA-256',
      size: o.size,
      sdk: { uploadMs, downloadMs, chunkBytes: 128 * 1024, concurrency: 4 },
      raw: { ...raw, chunkBytes: o.rawChunkBytes, window: o.rawWindow },
    };
    return { figures: figuresOf(details), details };
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

function figuresOf(d: FilesDetails): Figure[] {
  const benchmark = 'files';
  const size = `${Math.round(d.size / mib)} MiB`;
  const raw = `raw JetStream chunks (${d.raw.chunkBytes / 1024} KiB, ${d.raw.window} in flight)`;
  const rate = { benchmark, unit: 'MiB/s', higherIsBetter: true } as const;
  return [
    figure({
      ...rate,
      name: `SDK uploadFile ${size} (${d.sdk.concurrency} chunks in flight)`,
      value: mibPerSecond(d.size, d.sdk.uploadMs),
      baselineName: `${raw} put`,
      baseline: mibPerSecond(d.size, d.raw.putMs),
    }),
    figure({
      ...rate,
      name: `SDK downloadFile ${size} (${d.sdk.concurrency} chunks ahead)`,
      value: mibPerSecond(d.size, d.sdk.downloadMs),
      baselineName: `${raw} get`,
      baseline: mibPerSecond(d.size, d.raw.getMs),
    }),
  ];
}
