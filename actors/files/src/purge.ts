import type { SqlStore } from '@enmesh/actor-kit';
import type { ChunkStore } from './context.js';
import { FileChunkEntity, FileEntity } from './entities.js';

/**
 * Removes every file an identity owns (identity deletion): chunks first, then the rows, so that a crash
 * in between leaves rows to find on the next run. Idempotent. A file whose ownership another identity
 * claimed is that identity's and stays.
 */
export async function purgeIdentityFiles(
  store: SqlStore,
  chunks: ChunkStore,
  identityToken: string,
): Promise<void> {
  const owned = await store.run((m) =>
    m.getRepository(FileEntity).find({ select: { id: true }, where: { ownerToken: identityToken } }),
  );
  for (const { id } of owned) {
    await chunks.purge(id);
    await store.transaction(async (m) => {
      await m.getRepository(FileChunkEntity).delete({ fileId: id });
      await m.getRepository(FileEntity).delete({ id });
    });
  }
}
