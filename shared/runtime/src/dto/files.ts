import type { FileRow } from '../storage/entities.js';
import type { ObjectReferenceDTO } from './shared-objects.js';

/** A file as the Enmeshed Connector API returns it (`FileMetadata`). */
export interface FileDTO {
  readonly id: string;
  readonly isOwn: boolean;
  readonly filename: string;
  readonly filesize: number;
  readonly mimetype: string;
  readonly title: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly createdByDevice: string;
  readonly expiresAt: string;
  readonly owner: string;
  /** Only for a file this identity owns. */
  readonly ownershipToken?: string;
  /** `true` when a wrong ownership token locked the ownership; absent otherwise. */
  readonly ownershipIsLocked?: true;
  readonly reference: ObjectReferenceDTO;
}

/** The DTO of a stored file. */
export function fileDto(row: FileRow, own: string): FileDTO {
  const owned = row.owner === own;
  return {
    id: row.id,
    isOwn: row.isOwn,
    filename: row.filename,
    filesize: row.filesize,
    mimetype: row.mimetype,
    title: row.title ?? row.filename,
    ...(row.description === null ? {} : { description: row.description }),
    ...(row.tags === null ? {} : { tags: JSON.parse(row.tags) as string[] }),
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    createdByDevice: row.createdByDevice,
    expiresAt: row.expiresAt,
    owner: row.owner,
    ...(owned && row.ownershipToken !== null ? { ownershipToken: row.ownershipToken } : {}),
    ...(owned && row.ownershipIsLocked ? { ownershipIsLocked: true as const } : {}),
    reference: { truncated: row.truncatedReference, url: row.url },
  };
}
