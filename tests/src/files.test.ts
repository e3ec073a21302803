import {
  fileChunkSubject,
  filesStreamName,
  fromBase64Url,
  type ProtocolError,
  randomBytes,
  toBase64Url,
} from '@enmesh/protocol';
import {
  type AccountEvent,
  downloadFile,
  type TransportAccount,
  type TransportError,
} from '@enmesh/transport';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { collectingSink, pseudoRandomBuffer, relate } from './kit/files.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

type Received = Extract<AccountEvent, { type: 'messageReceived' }>;

/** The stable code a call failed with (backbone or SDK), or 'no error'. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return (error as ProtocolError | TransportError).code ?? `no code: ${(error as Error).message}`;
  }
}

describe('files', () => {
  let test: TestStack;
  let now = Date.now();
  let alice: TestPerson;
  let bob: TestPerson;
  let carol: TestPerson;
  let broker: NatsConnection;
  const inDays = (days: number) => new Date(now + days * 86_400_000);
  const a = () => alice.devices[0]!.account;
  const b = () => bob.devices[0]!.account;
  const c = () => carol.devices[0]!.account;

  /** Uploads `bytes` as alice with small chunks (so that small files have many). */
  const upload = (bytes: Uint8Array, name = 'notes.txt', chunkSize = 1024) =>
    a().uploadFile([bytes], {
      name,
      mimeType: 'text/plain',
      size: bytes.length,
      expiresAt: inDays(7),
      chunkSize,
    });

  /** Reads a stored chunk as the backbone holds it. */
  async function storedChunk(id: string, index: number): Promise<Uint8Array | undefined> {
    const jsm = await jetstreamManager(broker);
    const stored = await jsm.direct.getMessage(filesStreamName, {
      last_by_subj: fileChunkSubject(id, index),
    });
    return stored?.data;
  }

  /** Replaces a stored chunk, as whoever controls the broker could. */
  async function replaceChunk(id: string, index: number, data: Uint8Array): Promise<void> {
    await jetstream(broker).publish(fileChunkSubject(id, index), data);
  }

  beforeAll(async () => {
    test = await startTestStack({ clock: () => now });
    [alice, bob, carol] = await Promise.all([
      createTestPerson(test, 2),
      createTestPerson(test, 1),
      createTestPerson(test, 1),
    ]);
    await relate(alice, bob);
    broker = await test.stack.broker.connectActor('tamperer');
  });

  afterAll(async () => {
    await broker?.close();
    await stopAll(alice, bob, carol);
    await test?.destroy();
  });

  it('travel as message attachments: another identity downloads them by reference, byte for byte', async () => {
    const files = [
      { name: 'empty.bin', bytes: new Uint8Array(0) },
      { name: 'one chunk.txt', bytes: await pseudoRandomBuffer('one', 1000) },
      { name: 'exactly two chunks', bytes: await pseudoRandomBuffer('two', 2048) },
      { name: 'Bericht – März.pdf', bytes: await pseudoRandomBuffer('many', 10 * 1024 + 5) },
    ];
    const uploaded = [];
    for (const file of files) uploaded.push(await upload(file.bytes, file.name));
    expect(uploaded.map((u) => u.file.chunkCount)).toEqual([1, 1, 2, 11]);
    expect(uploaded[0]!.file).toMatchObject({
      status: 'Ready',
      owner: alice.address,
      createdBy: alice.address,
    });
    const sent = await a().sendMessage(
      [bob.address],
      { text: 'see attached' },
      {
        attachments: uploaded.map((u) => u.reference),
      },
    );
    const device = bob.devices[0]!;
    await waitFor(
      () => device.events.some((e) => e.type === 'messageReceived' && e.message.id === sent.id),
      'the message with attachments',
    );
    const message = (
      device.events.find((e) => e.type === 'messageReceived' && e.message.id === sent.id) as Received
    ).message;
    expect(message.content).toEqual({ text: 'see attached' });
    expect(message.attachments).toEqual(uploaded.map((u) => u.id));
    expect(message.fileReferences).toEqual(uploaded.map((u) => u.reference));
    for (const [i, reference] of message.fileReferences.entries()) {
      const { sink, bytes } = collectingSink();
      const downloaded = await b().downloadFile(reference, sink);
      expect(Buffer.compare(bytes(), Buffer.from(files[i]!.bytes))).toBe(0);
      expect(downloaded).toMatchObject({
        name: files[i]!.name,
        mimeType: 'text/plain',
        size: files[i]!.bytes.length,
      });
      expect(downloaded.sha256).toBe(uploaded[i]!.sha256);
    }
    // The sender's other device sees the content without the references wrapper.
    await waitFor(
      () => alice.devices[1]!.events.some((e) => e.type === 'messageSent' && e.id === sent.id),
      'the sent message on the other device',
    );
    const copy = alice.devices[1]!.events.find((e) => e.type === 'messageSent' && e.id === sent.id);
    expect(copy && 'content' in copy ? copy.content : undefined).toEqual({ text: 'see attached' });
  });

  it('travel in tokens: an identity without a relationship downloads from the link', async () => {
    const bytes = await pseudoRandomBuffer('token', 3000);
    const file = await upload(bytes, 'via token');
    const { url } = await a().createToken({ file: file.url }, { expiresAt: inDays(1) });
    const token = await c().loadToken(url);
    const { sink, bytes: received } = collectingSink();
    await downloadFile(c().session, (token.content as { file: string }).file, sink);
    expect(Buffer.compare(received(), bytes)).toBe(0);
  });

  it('refuse a tampered chunk, handing out only the chunks verified before it', async () => {
    const bytes = await pseudoRandomBuffer('tamper', 8 * 1024);
    const file = await upload(bytes);
    const original = (await storedChunk(file.id, 5))!;
    const flipped = new Uint8Array(original);
    flipped[10]! ^= 1;
    await replaceChunk(file.id, 5, flipped);
    const { sink, bytes: received } = collectingSink();
    expect(await codeOf(b().downloadFile(file.reference, sink))).toBe('error.transport.fileIntegrity');
    expect(Buffer.compare(received(), bytes.subarray(0, 5 * 1024))).toBe(0);

    // A genuine chunk of the same file at another index is refused too (nonce and associated data).
    await replaceChunk(file.id, 5, original);
    await replaceChunk(file.id, 2, (await storedChunk(file.id, 3))!);
    const second = collectingSink();
    expect(await codeOf(b().downloadFile(file.reference, second.sink))).toBe('error.transport.fileIntegrity');
    expect(second.bytes()).toHaveLength(2 * 1024);
  });

  it('refuse a chunk of another file, tampered metadata and sizes that disagree with the metadata', async () => {
    const bytes = await pseudoRandomBuffer('meta', 4 * 1024);
    const file = await upload(bytes);
    const other = await upload(await pseudoRandomBuffer('other', 4 * 1024));
    await replaceChunk(file.id, 0, (await storedChunk(other.id, 0))!);
    expect(await codeOf(b().downloadFile(file.reference, () => undefined))).toBe(
      'error.transport.fileIntegrity',
    );

    const fresh = await upload(bytes);
    const rows = () => test.stack.db.createQueryBuilder().update('File');
    const received: Uint8Array[] = [];
    const sink = (chunk: Uint8Array) => void received.push(chunk);
    const sealed = fromBase64Url(fresh.file.metadata!);
    sealed[40]! ^= 1;
    await rows()
      .set({ metadata: toBase64Url(sealed) })
      .where('id = :id', { id: fresh.id })
      .execute();
    expect(await codeOf(b().downloadFile(fresh.reference, sink))).toBe('error.transport.fileIntegrity');
    // Another file's genuine metadata does not open under this id either.
    await rows().set({ metadata: other.file.metadata }).where('id = :id', { id: fresh.id }).execute();
    expect(await codeOf(b().downloadFile(fresh.reference, sink))).toBe('error.transport.fileIntegrity');
    // The backbone claiming fewer chunks (a file cut short) disagrees with the sealed size.
    await rows()
      .set({ metadata: fresh.file.metadata, size: 3 * 1024, chunkCount: 3 })
      .where('id = :id', { id: fresh.id })
      .execute();
    expect(await codeOf(b().downloadFile(fresh.reference, sink))).toBe('error.transport.fileIntegrity');
    expect(received).toEqual([]);
  });

  it('move to whoever claims them with the token; a wrong token locks the ownership until regenerated', async () => {
    const file = await upload(await pseudoRandomBuffer('own', 100));
    const claim = (who: () => TransportAccount, token: string) =>
      who().session.call('claimFileOwnership', { id: file.id, ownershipToken: token });
    const wrong = 'W'.repeat(40);
    expect(await codeOf(claim(c, wrong))).toBe('error.files.wrongOwnershipToken');
    expect((await b().session.call('getFile', { id: file.id })).ownershipIsLocked).toBe(true);
    // Locked: even the right token is refused now.
    expect(await codeOf(claim(b, file.ownershipToken))).toBe('error.files.ownershipLocked');
    // Only the owner regenerates; that unlocks, and the old token stops working.
    expect(await codeOf(b().session.call('regenerateFileOwnershipToken', { id: file.id }))).toBe(
      'error.files.notOwner',
    );
    const regenerated = await a().session.call('regenerateFileOwnershipToken', { id: file.id });
    expect(regenerated.file.ownershipIsLocked).toBe(false);
    expect(regenerated.ownershipToken).not.toBe(file.ownershipToken);
    expect(await codeOf(claim(b, file.ownershipToken))).toBe('error.files.wrongOwnershipToken');
    const again = await a().session.call('regenerateFileOwnershipToken', { id: file.id });
    const claimed = await claim(b, again.ownershipToken);
    expect(claimed.file).toMatchObject({
      owner: bob.address,
      createdBy: alice.address,
      ownershipIsLocked: false,
    });
    expect(claimed.ownershipToken).not.toBe(again.ownershipToken);
    // The new owner decides now; the uploader no longer may.
    expect(await codeOf(a().session.call('deleteFile', { id: file.id }))).toBe('error.files.notOwner');
    expect(await codeOf(claim(c, again.ownershipToken))).toBe('error.files.wrongOwnershipToken');
    await b().session.call('regenerateFileOwnershipToken', { id: file.id });
    await b().session.call('deleteFile', { id: file.id });
    expect(await codeOf(a().session.call('getFile', { id: file.id }))).toBe('error.files.notFound');
  });

  it('expire for everyone, their owner included', async () => {
    const bytes = await pseudoRandomBuffer('expiry', 2000);
    const file = await a().uploadFile([bytes], { name: 'x', size: bytes.length, expiresAt: inDays(1) });
    expect(await codeOf(b().downloadFile(file.reference, () => undefined))).toBe('no error');
    now += 2 * 86_400_000;
    try {
      expect(await codeOf(b().downloadFile(file.reference, () => undefined))).toBe('error.files.expired');
      expect(await codeOf(a().session.call('getFileChunk', { id: file.id, index: 0 }))).toBe(
        'error.files.expired',
      );
      expect(await codeOf(a().session.call('deleteFile', { id: file.id }))).toBe('error.files.expired');
    } finally {
      now -= 2 * 86_400_000;
    }
    expect(
      await codeOf(
        a().session.call('createFile', { size: 1, chunkSize: 1024, expiresAt: inDays(-1).toISOString() }),
      ),
    ).toBe('error.protocol.invalidExpiry');
  });

  it('are refused above the maximum size before a byte travels, and when the source has another size', async () => {
    const limit = test.settings.fileMaxBytes;
    expect(limit).toBe(1024 ** 3);
    const create = (size: number) =>
      a().session.call('createFile', { size, chunkSize: 128 * 1024, expiresAt: inDays(1).toISOString() });
    try {
      await create(limit + 1);
      expect.unreachable();
    } catch (error) {
      expect((error as ProtocolError).code).toBe('error.files.tooLarge');
      expect((error as ProtocolError).details?.limit).toBe(limit);
    }
    expect((await create(limit)).file.chunkCount).toBe(8192);
    const options = { name: 'x', size: 5000, expiresAt: inDays(1) };
    expect(await codeOf(a().uploadFile([randomBytes(4000)], options))).toBe(
      'error.transport.fileSizeMismatch',
    );
    expect(await codeOf(a().uploadFile([randomBytes(6000)], options))).toBe(
      'error.transport.fileSizeMismatch',
    );
  });

  it('are gone for everyone once deleted, their chunks purged from the stream', async () => {
    const file = await upload(await pseudoRandomBuffer('delete', 3 * 1024));
    expect(await storedChunk(file.id, 2)).toBeDefined();
    expect(await codeOf(b().session.call('deleteFile', { id: file.id }))).toBe('error.files.notOwner');
    await a().session.call('deleteFile', { id: file.id });
    for (const index of [0, 1, 2]) expect(await storedChunk(file.id, index)).toBeUndefined();
    expect(await codeOf(b().downloadFile(file.reference, () => undefined))).toBe('error.files.notFound');
    expect(await codeOf(a().session.call('deleteFile', { id: file.id }))).toBe('error.files.notFound');
  });

  it('check every chunk of an upload and complete only when all are stored', async () => {
    const s = a().session;
    const { file } = await s.call('createFile', {
      size: 2500,
      chunkSize: 1024,
      expiresAt: inDays(1).toISOString(),
    });
    const chunk = (length: number) => toBase64Url(randomBytes(length));
    const put = (index: number, data: string) => s.call('putFileChunk', { id: file.id, index, data });
    expect(await codeOf(put(0, chunk(1024)))).toBe('error.files.invalidChunk');
    expect(await codeOf(put(2, chunk(1024 + 16)))).toBe('error.files.invalidChunk');
    expect(await codeOf(put(3, chunk(452 + 16)))).toBe('error.files.invalidChunk');
    // An upload in progress is its owner's only.
    expect(await codeOf(b().session.call('getFile', { id: file.id }))).toBe('error.files.notFound');
    expect(await codeOf(b().session.call('putFileChunk', { id: file.id, index: 0, data: chunk(1040) }))).toBe(
      'error.files.notFound',
    );
    expect(await codeOf(s.call('getFileChunk', { id: file.id, index: 0 }))).toBe('error.files.notReady');
    await put(0, chunk(1040));
    await put(0, chunk(1040));
    await put(2, chunk(452 + 16));
    try {
      await s.call('completeFile', { id: file.id, metadata: chunk(100) });
      expect.unreachable();
    } catch (error) {
      expect((error as ProtocolError).code).toBe('error.files.incomplete');
      expect((error as ProtocolError).details?.missing).toBe(1);
    }
    await put(1, chunk(1040));
    const metadata = chunk(100);
    const done = await s.call('completeFile', { id: file.id, metadata });
    expect(done.status).toBe('Ready');
    // Completing again with the same metadata answers the same; chunks are fixed now.
    expect((await s.call('completeFile', { id: file.id, metadata })).completedAt).toBe(done.completedAt);
    expect(await codeOf(s.call('completeFile', { id: file.id, metadata: chunk(100) }))).toBe(
      'error.files.alreadyComplete',
    );
    expect(await codeOf(put(1, chunk(1040)))).toBe('error.files.alreadyComplete');
    expect(await codeOf(s.call('getFileChunk', { id: file.id, index: 3 }))).toBe('error.files.invalidChunk');
    // A repeated chunk was stored once: one message per chunk subject.
    const jsm = await jetstreamManager(broker);
    const info = await jsm.streams.info(filesStreamName, { subjects_filter: `file.${file.id}.*` });
    expect(info.state.subjects).toEqual({
      [fileChunkSubject(file.id, 0)]: 1,
      [fileChunkSubject(file.id, 1)]: 1,
      [fileChunkSubject(file.id, 2)]: 1,
    });
  });

  it('limit the uploads in progress per identity', async () => {
    const s = c().session;
    const create = () =>
      s.call('createFile', { size: 10, chunkSize: 1024, expiresAt: inDays(1).toISOString() });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await create()).file.id);
    expect(await codeOf(create())).toBe('error.files.tooManyUploads');
    await s.call('deleteFile', { id: ids[0]! });
    expect(await codeOf(create())).toBe('no error');
  });
});

describe('files on PostgreSQL', () => {
  let test: TestStack;
  let alice: TestPerson;
  let bob: TestPerson;
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

  beforeAll(async () => {
    test = await startTestStack({ database: 'postgres' });
    [alice, bob] = await Promise.all([createTestPerson(test, 1), createTestPerson(test, 1)]);
  });

  afterAll(async () => {
    await stopAll(alice, bob);
    await test?.destroy();
  });

  it('upload, download by reference, claim, lock, regenerate and delete', async () => {
    const a = alice.devices[0]!.account;
    const b = bob.devices[0]!.account;
    const bytes = await pseudoRandomBuffer('postgres', 5000);
    const file = await a.uploadFile([bytes], {
      name: 'pg',
      size: bytes.length,
      expiresAt: inDays(1),
      chunkSize: 1024,
    });
    const { sink, bytes: received } = collectingSink();
    await b.downloadFile(file.url, sink);
    expect(Buffer.compare(received(), bytes)).toBe(0);
    const claim = (token: string) =>
      b.session.call('claimFileOwnership', { id: file.id, ownershipToken: token });
    expect(await codeOf(claim('x'.repeat(40)))).toBe('error.files.wrongOwnershipToken');
    expect(await codeOf(claim(file.ownershipToken))).toBe('error.files.ownershipLocked');
    const { ownershipToken } = await a.session.call('regenerateFileOwnershipToken', { id: file.id });
    expect((await claim(ownershipToken)).file.owner).toBe(bob.address);
    const { file: upload } = await a.session.call('createFile', {
      size: 1,
      chunkSize: 1024,
      expiresAt: inDays(1).toISOString(),
    });
    expect(await codeOf(a.session.call('completeFile', { id: upload.id, metadata: 'AAAA' }))).toBe(
      'error.files.incomplete',
    );
    await b.session.call('deleteFile', { id: file.id });
    expect(await codeOf(a.downloadFile(file.reference, () => undefined))).toBe('error.files.notFound');
  });
});

describe('files when the storage is full', () => {
  let test: TestStack;
  let alice: TestPerson;

  beforeAll(async () => {
    // 1 % of 64 MiB: the files stream holds about 670 KB.
    test = await startTestStack({
      env: { ENMESH_JETSTREAM_MAX_FILE_BYTES: String(64 * 1024 ** 2), ENMESH_FILES_STORAGE_PERCENT: '1' },
    });
    alice = await createTestPerson(test, 1);
  });

  afterAll(async () => {
    await stopAll(alice);
    await test?.destroy();
  });

  it('refuse further chunks with a stable code, and the failed upload is deleted again', async () => {
    const a = alice.devices[0]!.account;
    const bytes = await pseudoRandomBuffer('full', 1024 ** 2);
    const options = { name: 'big', size: bytes.length, expiresAt: new Date(Date.now() + 86_400_000) };
    expect(await codeOf(a.uploadFile([bytes], options))).toBe('error.files.storageFull');
    // The partial upload was purged, so a file that fits goes through.
    const small = await pseudoRandomBuffer('small', 300 * 1024);
    const file = await a.uploadFile([small], { ...options, size: small.length });
    const { sink, bytes: received } = collectingSink();
    await a.downloadFile(file.reference, sink);
    expect(Buffer.compare(received(), small)).toBe(0);
  });
});
