import type { DeviceCaller } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError, type RequestOf, type ResponseOf, toBase64Url } from '@enmesh/protocol';
import type { FilesDeps } from './context.js';
import { liveFile, toWire } from './rows.js';

/**
 * Describes a file to any device that knows its id (its content is useless without the key from the
 * reference): before expiry and while not deleted; an upload in progress only to its owner's identity.
 * @throws ProtocolError `error.files.notFound|expired`.
 */
export async function getFile(
  deps: FilesDeps,
  caller: DeviceCaller,
  request: RequestOf<'getFile'>,
): Promise<ResponseOf<'getFile'>> {
  return toWire(deps, await liveFile(deps, caller, request.id));
}

/**
 * Returns one sealed chunk of a complete file, to any device that knows its id.
 * @throws ProtocolError `error.files.notFound|expired|notReady|invalidChunk`.
 */
export async function getFileChunk(
  deps: FilesDeps,
  caller: DeviceCaller,
  request: RequestOf<'getFileChunk'>,
): Promise<ResponseOf<'getFileChunk'>> {
  const row = await liveFile(deps, caller, request.id);
  if (row.completedAt === null) {
    throw new ProtocolError(ErrorCodes.fileNotReady, 'the upload is not complete yet');
  }
  if (request.index >= row.chunkCount) {
    throw new ProtocolError(ErrorCodes.fileInvalidChunk, 'no such chunk in this file', {
      details: { index: request.index, chunkCount: row.chunkCount },
    });
  }
  const data = await deps.chunks.get(row.id, request.index);
  if (!data) throw new ProtocolError(ErrorCodes.fileNotFound, 'the chunk is not stored');
  return { data: toBase64Url(data) };
}
