import { createHash } from 'node:crypto';
import {
  checkFileMetadata,
  contentKey,
  deriveFileChunkKey,
  encodeReference,
  type FileInfo,
  fileChunkCount,
  Limits,
  randomBytes,
  referenceToUrl,
  sealFileChunk,
  sealFileMetadata,
  toBase64Url,
} from '@enmesh/protocol';
import { TransportError, TransportErrorCodes } from '../errors.js';
import { TaskWindow, withRetry } from '../retry.js';
import type { CallOptions } from '../rpc.js';
import type { DeviceSession } from '../session.js';
import { defaultReferenceBaseUrl } from '../shared-objects.js';

/** Bytes to upload: a Node `Readable`, or any (async) iterable of byte chunks of any size. */
export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>;

/** What an upload needs to know besides the bytes. */
export interface UploadOptions extends CallOptions {
  readonly name: string;
  /** Default `application/octet-stream`. */
  readonly mimeType?: string;
  /** The exact number of bytes the source yields (the backbone checks it against the maximum first). */
  readonly size: number;
  readonly expiresAt: Date;
  /** Plaintext bytes per chunk, 1 KiB..128 KiB; default 128 KiB. */
  readonly chunkSize?: number;
  /** Chunk requests in flight at once; default 4. */
  readonly concurrency?: number;
  /** How long a chunk request is repeated after transient failures; default 30 s. */
  readonly retryForMs?: number;
}

/** An uploaded file: its reference (to share it) and the ownership token (to hand the file over). */
export interface UploadedFile {
  readonly file: FileInfo;
  readonly id: string;
  readonly reference: string;
  readonly url: string;
  readonly ownershipToken: string;
  /** SHA-256 of the plaintext, hex. */
  readonly sha256: string;
}

const placeholders = {
  sha256: new Uint8Array(32),
  contentKey: new Uint8Array(32),
  fileSalt: new Uint8Array(16),
};

function hostOf(address: string): string {
  return address.split(':')[2] ?? '';
}

/**
 * Cuts a byte stream into pieces of exactly `size` bytes (the last one shorter), copying each byte once.
 * One buffer is reused: a piece is valid until the consumer asks for the next one.
 */
async function* rechunk(source: ByteSource, size: number): AsyncGenerator<Uint8Array> {
  const current = new Uint8Array(size);
  let filled = 0;
  for await (const piece of source) {
    const bytes = typeof piece === 'string' ? new TextEncoder().encode(piece) : piece;
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(size - filled, bytes.length - offset);
      current.set(bytes.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        yield current;
        filled = 0;
      }
    }
  }
  if (filled > 0) yield current.subarray(0, filled);
}

const sizeMismatch = (message: string) => new TransportError(TransportErrorCodes.fileSizeMismatch, message);

/**
 * Uploads a file: seals it on this device chunk by chunk as the source streams in (a random content key
 * and salt per file; memory holds a few chunks, whatever the size), sends the chunks with a few requests
 * in flight, then completes the upload with the sealed metadata (name, type, size, SHA-256, content key).
 * The reference carries the metadata key only. A failed upload is deleted again.
 * @throws ProtocolError with the backbone's code (`error.files.tooLarge`, …); TransportError
 *   `error.transport.fileSizeMismatch` when the source yields another number of bytes than `size`.
 */
export async function uploadFile(
  session: DeviceSession,
  source: ByteSource,
  options: UploadOptions,
): Promise<UploadedFile> {
  const chunkSize = options.chunkSize ?? Limits.fileChunkBytes;
  const chunkCount = fileChunkCount(options.size, chunkSize);
  const described = { name: options.name, mimeType: options.mimeType ?? 'application/octet-stream' };
  // Checked before any byte travels (placeholders for what only the upload yields).
  checkFileMetadata({ ...described, size: options.size, chunkSize, ...placeholders });
  const call = {
    ...(options.signal ? { signal: options.signal } : {}),
    timeoutMs: options.timeoutMs ?? 30_000,
  };
  const retryFor = options.retryForMs ?? 30_000;
  const created = await session.call(
    'createFile',
    { size: options.size, chunkSize, expiresAt: options.expiresAt.toISOString() },
    call,
  );
  const id = created.file.id;
  const window = new TaskWindow(options.concurrency ?? 4);
  try {
    const key = randomBytes(32);
    const fileSalt = randomBytes(16);
    const chunkKey = deriveFileChunkKey(key, fileSalt);
    const hash = createHash('sha256');
    let index = 0;
    let total = 0;
    for await (const plaintext of rechunk(source, chunkSize)) {
      total += plaintext.length;
      if (total > options.size) throw sizeMismatch(`the source yields more than ${options.size} bytes`);
      hash.update(plaintext);
      const data = toBase64Url(sealFileChunk(chunkKey, fileSalt, index, index === chunkCount - 1, plaintext));
      const body = { id, index, data };
      await window.run(() =>
        withRetry(() => session.call('putFileChunk', body, call), retryFor, options.signal),
      );
      index += 1;
    }
    if (total !== options.size) throw sizeMismatch(`the source yielded ${total} of ${options.size} bytes`);
    if (options.size === 0) {
      const body = {
        id,
        index: 0,
        data: toBase64Url(sealFileChunk(chunkKey, fileSalt, 0, true, new Uint8Array(0))),
      };
      await window.run(() =>
        withRetry(() => session.call('putFileChunk', body, call), retryFor, options.signal),
      );
    }
    await window.settle();
    const sha256 = new Uint8Array(hash.digest());
    const referenceKey = randomBytes(32);
    const metadata = sealFileMetadata(contentKey(referenceKey), id, {
      ...described,
      size: options.size,
      chunkSize,
      sha256,
      contentKey: key,
      fileSalt,
    });
    const body = { id, metadata: toBase64Url(metadata) };
    const file = await withRetry(() => session.call('completeFile', body, call), retryFor, options.signal);
    const ref = { type: 'file' as const, id, key: referenceKey, host: hostOf(session.address) };
    return {
      file,
      id,
      reference: encodeReference(ref),
      url: referenceToUrl(ref, defaultReferenceBaseUrl),
      ownershipToken: created.ownershipToken,
      sha256: Buffer.from(sha256).toString('hex'),
    };
  } catch (error) {
    // Chunks still in flight first, so that none lands after the purge.
    await window.settle().catch(() => undefined);
    await session.call('deleteFile', { id }).catch(() => undefined);
    throw error;
  }
}
