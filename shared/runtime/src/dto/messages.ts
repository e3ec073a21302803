import type { MessageRow } from '../storage/entities.js';
import type { FileDTO } from './files.js';

/** One recipient of a message (Enmeshed `Recipient`). */
export interface RecipientDTO {
  readonly address: string;
  readonly relationshipId?: string;
  /** When the backbone delivered it, for the recipients this identity knows it of (itself when received). */
  readonly receivedAt?: string;
  readonly receivedByDevice?: string;
  /** Why it did not reach this recipient, when it did not (runtime addition). */
  readonly notDelivered?: string;
}

/** A message as the Enmeshed Connector API returns it in lists (`Message`). */
export interface MessageDTO {
  readonly id: string;
  readonly isOwn: boolean;
  readonly createdBy: string;
  readonly createdByDevice: string;
  readonly createdAt: string;
  readonly recipients: readonly RecipientDTO[];
  readonly content: unknown;
  readonly attachments: readonly string[];
  readonly wasReadAt?: string;
}

/** A message with its attachments' metadata (`MessageWithAttachments`). */
export interface MessageWithAttachmentsDTO extends Omit<MessageDTO, 'attachments'> {
  readonly attachments: readonly FileDTO[];
}

/** The DTO of a stored message. */
export function messageDto(row: MessageRow): MessageDTO {
  return {
    id: row.id,
    isOwn: row.isOwn,
    createdBy: row.createdBy,
    createdByDevice: row.createdByDevice,
    createdAt: row.createdAt,
    recipients: JSON.parse(row.recipients) as RecipientDTO[],
    content: row.content === null ? {} : (JSON.parse(row.content) as unknown),
    attachments: JSON.parse(row.attachments) as string[],
    ...(row.wasReadAt === null ? {} : { wasReadAt: row.wasReadAt }),
  };
}
