import type { DeviceCaller } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError, type RequestOf, type ResponseOf } from '@enmesh/protocol';
import type { FilesDeps } from './context.js';
import { FileChunkEntity, FileEntity } from './entities.js';
import { requireFileRoom } from './holdings.js';
import { assertOwner, hashOwnershipToken, liveFile, newOwnershipToken, toWire } from './rows.js';

/**
 * Deletes a file of the caller's identity: it is gone for everyone at once and its chunks are purged from
 * the stream. (Housekeeping purges once more before it forgets the row, for a chunk stored concurrently.)
 * @throws ProtocolError `error.files.notFound|expired|notOwner`.
 */
export async function deleteFile(
  deps: FilesDeps,
  caller: DeviceCaller,
  request: RequestOf<'deleteFile'>,
): Promise<ResponseOf<'deleteFile'>> {
  const row = await liveFile(deps, caller, request.id);
  assertOwner(row, caller);
  await deps.store.transaction(async (m) => {
    await m.getRepository(FileEntity).update({ id: row.id }, { deletedAt: deps.clock() });
    await m.getRepository(FileChunkEntity).delete({ fileId: row.id });
  });
  await deps.chunks.purge(row.id);
  return { ok: true };
}

/**
 * Gives the owner a new ownership token: the old one stops working, and a lock (after a wrong claim) is
 * lifted.
 * @throws ProtocolError `error.files.notFound|expired|notOwner`.
 */
export async function regenerateFileOwnershipToken(
  deps: FilesDeps,
  caller: DeviceCaller,
  request: RequestOf<'regenerateFileOwnershipToken'>,
): Promise<ResponseOf<'regenerateFileOwnershipToken'>> {
  const row = await liveFile(deps, caller, request.id);
  assertOwner(row, caller);
  const ownership = newOwnershipToken();
  const result = await deps.store.run((m) =>
    m
      .createQueryBuilder()
      .update(FileEntity)
      .set({ ownershipTokenHash: ownership.hash, ownershipLockedAt: null })
      .where('id = :id AND "ownerToken" = :owner AND "deletedAt" IS NULL', {
        id: row.id,
        owner: caller.identityToken,
      })
      .execute(),
  );
  // Claimed or deleted in the meantime.
  if (result.affected !== 1) return regenerateFileOwnershipToken(deps, caller, request);
  return {
    file: toWire(deps, { ...row, ownershipTokenHash: ownership.hash, ownershipLockedAt: null }),
    ownershipToken: ownership.token,
  };
}

/**
 * Moves a complete file to the caller's identity when it presents the current ownership token; the caller
 * gets a new token (the presented one stops working). A wrong token locks the file's ownership until its
 * owner regenerates the token, so a token cannot be guessed. Both outcomes are single SQL statements, so
 * concurrent claims cannot both win or slip past the lock.
 * @throws ProtocolError `error.files.notFound|expired|notReady|ownershipLocked|wrongOwnershipToken`,
 *   `error.quotas.exceeded` when the caller's identity has no room for it.
 */
export async function claimFileOwnership(
  deps: FilesDeps,
  caller: DeviceCaller,
  request: RequestOf<'claimFileOwnership'>,
): Promise<ResponseOf<'claimFileOwnership'>> {
  const row = await liveFile(deps, caller, request.id);
  if (row.completedAt === null) {
    throw new ProtocolError(ErrorCodes.fileNotReady, 'the upload is not complete yet');
  }
  const locked = () =>
    new ProtocolError(ErrorCodes.fileOwnershipLocked, 'the ownership is locked until the owner unlocks it');
  if (row.ownershipLockedAt !== null) throw locked();
  await deps.store.run((m) => requireFileRoom(deps, m, caller.identityToken, row.size));
  const ownership = newOwnershipToken();
  const claimed = await deps.store.run((m) =>
    m
      .createQueryBuilder()
      .update(FileEntity)
      .set({
        ownerToken: caller.identityToken,
        ownerDevice: caller.deviceKey,
        ownershipTokenHash: ownership.hash,
      })
      .where(
        'id = :id AND "ownershipTokenHash" = :hash AND "ownershipLockedAt" IS NULL AND "deletedAt" IS NULL',
        { id: row.id, hash: hashOwnershipToken(request.ownershipToken) },
      )
      .execute(),
  );
  if (claimed.affected === 1) {
    const updated = {
      ...row,
      ownerToken: caller.identityToken,
      ownerDevice: caller.deviceKey,
      ownershipTokenHash: ownership.hash,
    };
    return { file: toWire(deps, updated), ownershipToken: ownership.token };
  }
  const locking = await deps.store.run((m) =>
    m
      .createQueryBuilder()
      .update(FileEntity)
      .set({ ownershipLockedAt: deps.clock() })
      .where('id = :id AND "ownershipLockedAt" IS NULL', { id: row.id })
      .execute(),
  );
  if (locking.affected !== 1) throw locked();
  throw new ProtocolError(
    ErrorCodes.fileWrongOwnershipToken,
    'the ownership token is wrong; the ownership is now locked',
  );
}
