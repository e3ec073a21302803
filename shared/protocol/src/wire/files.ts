import { z } from 'zod';
import { Limits } from '../limits.js';
import { devicePublicKey, identityAddress, isoTime, prefixedId } from './primitives.js';

/** A file id: `FIL` + random characters. */
export const fileId = prefixedId('FIL');

/** A file's ownership token: whoever presents it may claim the file. */
export const ownershipToken = z.string().regex(/^[A-Za-z0-9]{20,64}$/, 'must be an ownership token');

/** Largest sealed chunk, in bytes: the largest plaintext chunk and its 16-byte tag. */
export const maxSealedChunkBytes = Limits.fileChunkBytes + 16;

function base64UrlText(maxBytes: number, minBytes = 1) {
  return z
    .string()
    .min(Math.ceil((minBytes * 4) / 3))
    .max(Math.ceil((maxBytes * 4) / 3), `must be at most ${maxBytes} bytes`)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');
}

/** A sealed chunk, base64url (at most 128 KiB + 16 bytes: about 175,000 characters, well inside a request). */
export const sealedChunk = base64UrlText(maxSealedChunkBytes, 16);
/** Sealed file metadata, base64url, at most 16 KiB. */
export const sealedFileMetadata = base64UrlText(Limits.fileMetadataBytes);

/** Where a file is in its life: being uploaded (only its owner sees it), or complete and readable. */
export const FileStatus = { uploading: 'Uploading', ready: 'Ready' } as const;
/** One file status. */
export type FileStatus = (typeof FileStatus)[keyof typeof FileStatus];

/**
 * Request to start an upload: the plaintext size and chunk size (so the backbone knows every sealed chunk's
 * exact length) and the expiry. The sealed metadata follows with `files.complete`, once the client has
 * hashed the whole stream.
 */
export const createFileRequest = z.strictObject({
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  chunkSize: z.number().int().min(Limits.fileMinChunkBytes).max(Limits.fileChunkBytes),
  expiresAt: isoTime,
});

/** A file as the backbone describes it. `metadata` is present once the upload is complete. */
export const fileSchema = z.strictObject({
  id: fileId,
  createdBy: identityAddress,
  createdByDevice: devicePublicKey,
  createdAt: isoTime,
  expiresAt: isoTime,
  owner: identityAddress,
  ownershipIsLocked: z.boolean(),
  status: z.enum([FileStatus.uploading, FileStatus.ready]),
  size: z.number().int().min(0),
  chunkSize: z.number().int().min(1),
  chunkCount: z.number().int().min(1),
  completedAt: isoTime.optional(),
  metadata: sealedFileMetadata.optional(),
});
/** A file as the backbone describes it. */
export type FileInfo = z.infer<typeof fileSchema>;

/** A file and a fresh ownership token (only its hash stays on the backbone). */
export const fileWithTokenResponse = z.strictObject({ file: fileSchema, ownershipToken });

/** Request to store chunk `index` of an upload; repeating it with the same bytes is harmless. */
export const putFileChunkRequest = z.strictObject({
  id: fileId,
  index: z
    .number()
    .int()
    .min(0)
    .max(Limits.fileMaxChunks - 1),
  data: sealedChunk,
});

/** Request to finish an upload with the file's sealed metadata. */
export const completeFileRequest = z.strictObject({ id: fileId, metadata: sealedFileMetadata });

/** Request naming a file. */
export const fileIdRequest = z.strictObject({ id: fileId });

/** Request to read chunk `index` of a complete file. */
export const getFileChunkRequest = z.strictObject({
  id: fileId,
  index: z
    .number()
    .int()
    .min(0)
    .max(Limits.fileMaxChunks - 1),
});

/** A sealed chunk as stored. */
export const fileChunkResponse = z.strictObject({ data: sealedChunk });

/** Request to take over a file with its ownership token. */
export const claimFileRequest = z.strictObject({ id: fileId, ownershipToken });
