export { createFilesActor, expiredFileRetentionMs } from './actor.js';
export { jetStreamChunkStore } from './chunk-store.js';
export type { ChunkStore, FilesDeps } from './context.js';
export { FileChunkEntity, type FileChunkRow, FileEntity, type FileRow, fileEntities } from './entities.js';
export { CreateFiles1764150000004 } from './migrations/1764150000004-create-files.js';
export { purgeIdentityFiles } from './purge.js';
