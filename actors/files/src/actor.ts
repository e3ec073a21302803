import { type Actor, type DeviceCaller, defineActor, type HandlerContext } from '@enmesh/actor-kit';
import { ErrorCodes, Limits, ProtocolError } from '@enmesh/protocol';
import { In } from 'typeorm';
import type { FilesDeps } from './context.js';
import { FileChunkEntity, FileEntity } from './entities.js';
import { claimFileOwnership, deleteFile, regenerateFileOwnershipToken } from './ownership.js';
import { getFile, getFileChunk } from './read.js';
import { completeFile, createFile, putFileChunk } from './upload.js';

function device(context: HandlerContext): DeviceCaller {
  if (context.caller.kind !== 'device')
    throw new ProtocolError(ErrorCodes.unauthorized, 'a device must call this');
  return context.caller;
}

/** Expired files are remembered this long (answering `expired`), their chunks purged at once. */
export const expiredFileRetentionMs = 30 * 24 * 3600 * 1000;
/** A deleted file's row stays this long; housekeeping purges its subjects once more, then forgets it. */
const deletedRetentionMs = 3600 * 1000;
/** Files handled per housekeeping step. */
const batch = 100;

/** The files actor: chunked uploads and downloads of sealed files, expiry, deletion and ownership. */
export function createFilesActor(deps: FilesDeps): Actor & { housekeep(): Promise<void> } {
  const actor = defineActor({
    name: 'files',
    handlers: {
      createFile: (request, context) => createFile(deps, device(context), request),
      putFileChunk: (request, context) => putFileChunk(deps, device(context), request),
      completeFile: (request, context) => completeFile(deps, device(context), request),
      getFile: (request, context) => getFile(deps, device(context), request),
      getFileChunk: (request, context) => getFileChunk(deps, device(context), request),
      deleteFile: (request, context) => deleteFile(deps, device(context), request),
      regenerateFileOwnershipToken: (request, context) =>
        regenerateFileOwnershipToken(deps, device(context), request),
      claimFileOwnership: (request, context) => claimFileOwnership(deps, device(context), request),
    },
  });
  return { ...actor, housekeep: () => housekeep(deps) };
}

/**
 * Purges the chunks of expired files and of uploads abandoned for a day (marking them deleted), and forgets
 * deleted files after an hour (purging once more) and expired ones after 30 days.
 */
async function housekeep(deps: FilesDeps): Promise<void> {
  const now = deps.clock();
  while (true) {
    const stale = await deps.store.run((m) =>
      m
        .getRepository(FileEntity)
        .createQueryBuilder('f')
        .select('f.id', 'id')
        .where('f."deletedAt" IS NULL')
        .andWhere('(f."expiresAt" <= :now OR (f."completedAt" IS NULL AND f."createdAt" < :abandoned))', {
          now,
          abandoned: now - Limits.fileUploadLifetimeMs,
        })
        .limit(batch)
        .getRawMany<{ id: string }>(),
    );
    for (const { id } of stale) {
      await deps.store.transaction(async (m) => {
        await m.getRepository(FileEntity).update({ id }, { deletedAt: now });
        await m.getRepository(FileChunkEntity).delete({ fileId: id });
      });
      await deps.chunks.purge(id);
    }
    if (stale.length < batch) break;
  }
  while (true) {
    const gone = await deps.store.run((m) =>
      m
        .getRepository(FileEntity)
        .createQueryBuilder('f')
        .select('f.id', 'id')
        .where('f."deletedAt" < :deleted', { deleted: now - deletedRetentionMs })
        .andWhere('(f."expiresAt" > :now OR f."expiresAt" < :expired)', {
          now,
          expired: now - expiredFileRetentionMs,
        })
        .limit(batch)
        .getRawMany<{ id: string }>(),
    );
    for (const { id } of gone) await deps.chunks.purge(id);
    const ids = gone.map((row) => row.id);
    if (ids.length > 0) await deps.store.run((m) => m.getRepository(FileEntity).delete({ id: In(ids) }));
    if (gone.length < batch) break;
  }
}
