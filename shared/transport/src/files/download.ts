import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import {
  constantTimeEqual,
  contentKey,
  deriveFileChunkKey,
  FILE_CHUNK_OVERHEAD,
  type FileInfo,
  type FileMetadata,
  fileChunkCount,
  fileChunkLength,
  fromBase64Url,
  openFileChunk,
  openFileMetadata,
  type Reference,
} from '@enmesh/protocol';
import { TransportError, TransportErrorCodes } from '../errors.js';
import { withRetry } from '../retry.js';
import type { CallOptions } from '../rpc.js';
import type { DeviceSession } from '../session.js';
import { parseReference } from '../shared-objects.js';

/**
 * Where downloaded bytes go: a Node `Writable` (backpressure is respected; it is ended after the last
 * chunk, and destroyed on failure), or a function called with each verified piece in order.
 */
export type ByteSink = Writable | ((chunk: Uint8Array) => unknown);

/** Options of a download. */
export interface DownloadOptions extends CallOptions {
  /** Chunks requested ahead; default 4. */
  readonly concurrency?: number;
  /** How long a chunk request is repeated after transient failures; default 30 s. */
  readonly retryForMs?: number;
}

/** A downloaded file: the backbone's description and what its (verified) metadata says. */
export interface DownloadedFile {
  readonly file: FileInfo;
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  /** SHA-256 of the plaintext, hex (checked against the bytes). */
  readonly sha256: string;
}

const integrity = (message: string, cause?: unknown) =>
  new TransportError(TransportErrorCodes.fileIntegrity, message, cause === undefined ? {} : { cause });

/** Opens the metadata and checks that the backbone's sizes agree with it. */
function verifiedMetadata(file: FileInfo, ref: Reference): FileMetadata {
  if (file.metadata === undefined) throw integrity('the file has no metadata');
  let metadata: FileMetadata;
  try {
    metadata = openFileMetadata(contentKey(ref.key), file.id, fromBase64Url(file.metadata));
  } catch (cause) {
    throw integrity('the file metadata does not open with this reference', cause);
  }
  if (
    metadata.size !== file.size ||
    metadata.chunkSize !== file.chunkSize ||
    fileChunkCount(metadata.size, metadata.chunkSize) !== file.chunkCount
  ) {
    throw integrity('the backbone describes the file differently from its metadata');
  }
  return metadata;
}

function writerFor(sink: ByteSink): { write(chunk: Uint8Array): Promise<void>; end(): Promise<void> } {
  if (typeof sink === 'function') {
    return { write: async (chunk) => void (await sink(chunk)), end: async () => undefined };
  }
  return {
    async write(chunk) {
      if (!sink.write(chunk)) await once(sink, 'drain');
    },
    async end() {
      const finished = once(sink, 'finish');
      sink.end();
      await finished;
    },
  };
}

/**
 * Downloads a file by its reference (text, link, or a decoded reference) into a sink. Every chunk is
 * opened (authenticated at its index, with the last-chunk flag, for this file) before any of its bytes
 * reach the sink, so nothing unverified is handed out; the SHA-256 of all bytes is checked at the end
 * against the metadata. A few chunks are requested ahead; memory stays at a few chunks.
 * @throws TransportError `error.transport.fileIntegrity` for a tampered, truncated, reordered or foreign
 *   chunk or metadata, or a wrong hash; `error.transport.wrongReference` for a reference that is not a
 *   file's; ProtocolError `error.files.*` from the backbone.
 */
export async function downloadFile(
  session: DeviceSession,
  reference: string | Reference,
  sink: ByteSink,
  options: DownloadOptions = {},
): Promise<DownloadedFile> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  if (ref.type !== 'file')
    throw new TransportError(TransportErrorCodes.wrongReference, 'not a file reference');
  const call = {
    ...(options.signal ? { signal: options.signal } : {}),
    timeoutMs: options.timeoutMs ?? 30_000,
  };
  const retryFor = options.retryForMs ?? 30_000;
  const writer = writerFor(sink);
  try {
    const file = await session.call('getFile', { id: ref.id }, call);
    const metadata = verifiedMetadata(file, ref);
    const chunkKey = deriveFileChunkKey(metadata.contentKey, metadata.fileSalt);
    const hash = createHash('sha256');
    const count = file.chunkCount;
    const fetch = (index: number) => {
      const pending = withRetry(
        () => session.call('getFileChunk', { id: file.id, index }, call),
        retryFor,
        options.signal,
      );
      pending.catch(() => undefined); // awaited in order below; never an unhandled rejection meanwhile
      return pending;
    };
    const ahead: Promise<{ data: string }>[] = [];
    const lookahead = Math.max(1, options.concurrency ?? 4);
    for (let next = 0; next < Math.min(lookahead, count); next++) ahead.push(fetch(next));
    for (let index = 0; index < count; index++) {
      const { data } = await ahead.shift()!;
      if (index + lookahead < count) ahead.push(fetch(index + lookahead));
      const isLast = index === count - 1;
      let plaintext: Uint8Array;
      try {
        const sealed = fromBase64Url(data);
        const expected = fileChunkLength(metadata.size, metadata.chunkSize, index) + FILE_CHUNK_OVERHEAD;
        if (sealed.length !== expected) throw new Error(`chunk ${index} has the wrong length`);
        plaintext = openFileChunk(chunkKey, metadata.fileSalt, index, isLast, sealed);
      } catch (cause) {
        throw integrity(`chunk ${index} does not verify`, cause);
      }
      hash.update(plaintext);
      await writer.write(plaintext);
    }
    if (!constantTimeEqual(new Uint8Array(hash.digest()), metadata.sha256)) {
      throw integrity('the file does not match the hash in its metadata');
    }
    await writer.end();
    return {
      file,
      name: metadata.name,
      mimeType: metadata.mimeType,
      size: metadata.size,
      sha256: Buffer.from(metadata.sha256).toString('hex'),
    };
  } catch (error) {
    if (typeof sink !== 'function') sink.destroy(error as Error);
    throw error;
  }
}
