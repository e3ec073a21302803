import { addressOfToken, type DeviceCaller } from '@enmesh/actor-kit';
import {
  ErrorCodes,
  type FileInfo,
  FileStatus,
  ProtocolError,
  randomId,
  sha256,
  toBase64Url,
  utf8,
} from '@enmesh/protocol';
import type { FilesDeps } from './context.js';
import { FileEntity, type FileRow } from './entities.js';

/** A file as the backbone describes it on the wire. */
export function toWire(deps: FilesDeps, row: FileRow): FileInfo {
  const host = deps.settings.backboneHost;
  const file: FileInfo = {
    id: row.id,
    createdBy: addressOfToken(host, row.createdByToken),
    createdByDevice: row.createdByDevice,
    createdAt: new Date(row.createdAt).toISOString(),
    expiresAt: new Date(row.expiresAt).toISOString(),
    owner: addressOfToken(host, row.ownerToken),
    ownershipIsLocked: row.ownershipLockedAt !== null,
    status: row.completedAt === null ? FileStatus.uploading : FileStatus.ready,
    size: row.size,
    chunkSize: row.chunkSize,
    chunkCount: row.chunkCount,
  };
  if (row.completedAt !== null) file.completedAt = new Date(row.completedAt).toISOString();
  if (row.metadata !== null) file.metadata = row.metadata;
  return file;
}

/** A fresh ownership token (40 base62 characters, about 238 bits) and the hash the backbone keeps of it. */
export function newOwnershipToken(): { token: string; hash: string } {
  const token = randomId('', 40);
  return { token, hash: hashOwnershipToken(token) };
}

/** The hash of an ownership token as stored: base64url(SHA-256(UTF-8 token)). */
export function hashOwnershipToken(token: string): string {
  return toBase64Url(sha256(utf8(token)));
}

const notFound = () => new ProtocolError(ErrorCodes.fileNotFound, 'no such file');

/**
 * Loads a file that exists for the caller: not deleted, not expired; an upload in progress only for its
 * owner's identity.
 * @throws ProtocolError `error.files.notFound|expired`.
 */
export async function liveFile(deps: FilesDeps, caller: DeviceCaller, id: string): Promise<FileRow> {
  const row = await deps.store.run((m) => m.getRepository(FileEntity).findOneBy({ id }));
  if (!row) throw notFound();
  if (row.expiresAt <= deps.clock()) throw new ProtocolError(ErrorCodes.fileExpired, 'the file has expired');
  if (row.deletedAt !== null) throw notFound();
  if (row.completedAt === null && row.ownerToken !== caller.identityToken) throw notFound();
  return row;
}

/**
 * Checks that the caller's identity owns the file.
 * @throws ProtocolError `error.files.notOwner`.
 */
export function assertOwner(row: FileRow, caller: DeviceCaller): void {
  if (row.ownerToken !== caller.identityToken) {
    throw new ProtocolError(ErrorCodes.fileNotOwner, 'only the owner of the file may do this');
  }
}
