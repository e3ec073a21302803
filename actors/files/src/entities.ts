import { epochMsColumn as ms } from '@enmesh/actor-kit';
import { EntitySchema } from 'typeorm';

/**
 * A file. The backbone holds its sealed metadata and (in JetStream) its sealed chunks, never a key: the
 * metadata key travels in the file's reference, the content key inside the metadata.
 */
export interface FileRow {
  id: string;
  /** Identity token and device of the current owner (the uploader until someone claims the file). */
  ownerToken: string;
  ownerDevice: string;
  /** Identity token and device that uploaded it. */
  createdByToken: string;
  createdByDevice: string;
  createdAt: number;
  expiresAt: number;
  /** Plaintext size, chunk size and chunk count, as declared at creation. */
  size: number;
  chunkSize: number;
  chunkCount: number;
  /** Sealed metadata, base64url; null until the upload is complete. */
  metadata: string | null;
  completedAt: number | null;
  /** base64url SHA-256 of the current ownership token. */
  ownershipTokenHash: string;
  /** Set by a claim with a wrong token; cleared when the owner regenerates the token. */
  ownershipLockedAt: number | null;
  /** Set when the file was deleted, or when housekeeping purged its chunks (expired, abandoned upload). */
  deletedAt: number | null;
}

/** Which chunks of an upload in progress are stored (rows are removed when the upload completes). */
export interface FileChunkRow {
  fileId: string;
  chunkIndex: number;
}

/** Table `files`. */
export const FileEntity = new EntitySchema<FileRow>({
  name: 'File',
  tableName: 'files',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    ownerToken: { type: 'varchar', length: 128 },
    ownerDevice: { type: 'varchar', length: 56 },
    createdByToken: { type: 'varchar', length: 128 },
    createdByDevice: { type: 'varchar', length: 56 },
    createdAt: { ...ms },
    expiresAt: { ...ms },
    // Sizes beyond 2^53 never occur (the maximum file size is far below); numbers like the timestamps.
    size: { ...ms },
    chunkSize: { type: 'integer' },
    chunkCount: { type: 'integer' },
    metadata: { type: 'text', nullable: true },
    completedAt: { ...ms, nullable: true },
    ownershipTokenHash: { type: 'varchar', length: 64 },
    ownershipLockedAt: { ...ms, nullable: true },
    deletedAt: { ...ms, nullable: true },
  },
  indices: [
    { name: 'idx_files_owner', columns: ['ownerToken'] },
    { name: 'idx_files_expires', columns: ['expiresAt'] },
    { name: 'idx_files_deleted', columns: ['deletedAt'] },
  ],
});

/** Table `file_chunks`. */
export const FileChunkEntity = new EntitySchema<FileChunkRow>({
  name: 'FileChunk',
  tableName: 'file_chunks',
  columns: {
    fileId: { type: 'varchar', length: 64, primary: true },
    chunkIndex: { type: 'integer', primary: true },
  },
});

/** Every entity of this actor. */
export const fileEntities = [FileEntity, FileChunkEntity];
