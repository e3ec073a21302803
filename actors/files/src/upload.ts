import { type DeviceCaller, parseExpiry } from '@enmesh/actor-kit';
import {
  ErrorCodes,
  FILE_CHUNK_OVERHEAD,
  fileChunkLength,
  fromBase64Url,
  Limits,
  ProtocolError,
  type RequestOf,
  type ResponseOf,
  randomId,
} from '@enmesh/protocol';
import { IsNull } from 'typeorm';
import type { FilesDeps } from './context.js';
import { FileChunkEntity, FileEntity, type FileRow } from './entities.js';
import { requireFileRoom } from './holdings.js';
import { assertOwner, liveFile, newOwnershipToken, toWire } from './rows.js';

/**
 * Starts an upload for the caller's identity: checks the size against the limit and the number of uploads
 * in progress, and returns the file with its first ownership token (only its hash is stored).
 * @throws ProtocolError `error.files.tooLarge|tooManyUploads`, `error.protocol.invalidExpiry`,
 *   `error.quotas.exceeded`.
 */
export async function createFile(
  deps: FilesDeps,
  caller: DeviceCaller,
  request: RequestOf<'createFile'>,
): Promise<ResponseOf<'createFile'>> {
  const limit = deps.settings.fileMaxBytes;
  const chunkCount = Math.max(1, Math.ceil(request.size / request.chunkSize));
  if (request.size > limit || chunkCount > Limits.fileMaxChunks) {
    throw new ProtocolError(ErrorCodes.fileTooLarge, `a file may hold at most ${limit} bytes`, {
      details: { limit, maxChunks: Limits.fileMaxChunks },
    });
  }
  const now = deps.clock();
  const expiresAt = parseExpiry(request.expiresAt, now);
  const ownership = newOwnershipToken();
  const row: FileRow = {
    id: randomId('FIL', 20),
    ownerToken: caller.identityToken,
    ownerDevice: caller.deviceKey,
    createdByToken: caller.identityToken,
    createdByDevice: caller.deviceKey,
    createdAt: now,
    expiresAt,
    size: request.size,
    chunkSize: request.chunkSize,
    chunkCount,
    metadata: null,
    completedAt: null,
    ownershipTokenHash: ownership.hash,
    ownershipLockedAt: null,
    deletedAt: null,
  };
  await deps.store.transaction(async (m) => {
    const uploading = await m.getRepository(FileEntity).countBy({
      ownerToken: caller.identityToken,
      completedAt: IsNull(),
      deletedAt: IsNull(),
    });
    if (uploading >= Limits.fileUploadsInProgress) {
      throw new ProtocolError(ErrorCodes.fileTooManyUploads, 'too many uploads in progress', {
        details: { limit: Limits.fileUploadsInProgress },
      });
    }
    await requireFileRoom(deps, m, caller.identityToken, row.size);
    await m.getRepository(FileEntity).insert(row);
  });
  return { file: toWire(deps, row), ownershipToken: ownership.token };
}

/** Loads an upload in progress of the caller's identity. */
async function upload(deps: FilesDeps, caller: DeviceCaller, id: string): Promise<FileRow> {
  const row = await liveFile(deps, caller, id);
  assertOwner(row, caller);
  return row;
}

const invalidChunk = (message: string, details: Record<string, number>) =>
  new ProtocolError(ErrorCodes.fileInvalidChunk, message, { details });

/**
 * Stores one sealed chunk of an upload in progress. Its length must be exactly what the declared sizes
 * imply (the chunk's plaintext length plus the 16-byte tag). Storing the same chunk again replaces it, so a
 * retry is harmless.
 * @throws ProtocolError `error.files.notFound|expired|notOwner|alreadyComplete|invalidChunk|storageFull`.
 */
export async function putFileChunk(
  deps: FilesDeps,
  caller: DeviceCaller,
  request: RequestOf<'putFileChunk'>,
): Promise<ResponseOf<'putFileChunk'>> {
  const row = await upload(deps, caller, request.id);
  if (row.completedAt !== null) {
    throw new ProtocolError(ErrorCodes.fileAlreadyComplete, 'the upload is complete; chunks cannot change');
  }
  const { index } = request;
  if (index >= row.chunkCount) {
    throw invalidChunk('no such chunk in this file', { index, chunkCount: row.chunkCount });
  }
  const expected = fileChunkLength(row.size, row.chunkSize, index) + FILE_CHUNK_OVERHEAD;
  let data: Uint8Array;
  try {
    data = fromBase64Url(request.data);
  } catch {
    throw invalidChunk('the chunk is not canonical base64url', { index });
  }
  if (data.length !== expected) {
    throw invalidChunk(`chunk ${index} must be ${expected} sealed bytes`, { index, expected });
  }
  // The chunk first, then the record of it: a crash in between leaves a chunk the retry stores again.
  await deps.chunks.put(row.id, index, data);
  await deps.store.run((m) =>
    m
      .createQueryBuilder()
      .insert()
      .into(FileChunkEntity)
      .values({ fileId: row.id, chunkIndex: index })
      .orIgnore()
      .execute(),
  );
  return { ok: true };
}

/**
 * Completes an upload: every chunk must be stored (their lengths were checked one by one, so the sizes add
 * up); the sealed metadata is stored and the file becomes readable. Repeating the same completion answers
 * the same.
 * @throws ProtocolError `error.files.notFound|expired|notOwner|incomplete|alreadyComplete`.
 */
export async function completeFile(
  deps: FilesDeps,
  caller: DeviceCaller,
  request: RequestOf<'completeFile'>,
): Promise<ResponseOf<'completeFile'>> {
  const row = await upload(deps, caller, request.id);
  if (row.completedAt !== null) {
    if (row.metadata === request.metadata) return toWire(deps, row);
    throw new ProtocolError(ErrorCodes.fileAlreadyComplete, 'the upload is already complete');
  }
  const now = deps.clock();
  const done = await deps.store.transaction(async (m) => {
    const stored = await m.getRepository(FileChunkEntity).countBy({ fileId: row.id });
    if (stored !== row.chunkCount) {
      throw new ProtocolError(ErrorCodes.fileIncomplete, 'chunks are missing', {
        details: { missing: row.chunkCount - stored, chunkCount: row.chunkCount },
      });
    }
    const result = await m
      .createQueryBuilder()
      .update(FileEntity)
      .set({ metadata: request.metadata, completedAt: now })
      .where('id = :id AND "completedAt" IS NULL AND "deletedAt" IS NULL', { id: row.id })
      .execute();
    if (result.affected !== 1) return false;
    await m.getRepository(FileChunkEntity).delete({ fileId: row.id });
    return true;
  });
  if (!done) return completeFile(deps, caller, request);
  return toWire(deps, { ...row, metadata: request.metadata, completedAt: now });
}
