import { fromBase64Url, type Relationship } from '@enmesh/protocol';
import type { RelationshipRow } from '../storage/entities.js';

/** The status of a relationship, as Enmeshed names it. */
export type RelationshipStatusDTO = Relationship['status'];

/** One entry of a relationship's audit log (Enmeshed `RelationshipAuditLogEntry`). */
export interface RelationshipAuditLogEntryDTO {
  readonly createdAt: string;
  readonly createdBy: string;
  readonly createdByDevice: string;
  readonly reason: string;
  readonly oldStatus?: RelationshipStatusDTO;
  readonly newStatus: RelationshipStatusDTO;
}

/** Where the peer of a relationship stands in its deletion. */
export interface PeerDeletionInfoDTO {
  readonly deletionStatus: 'ToBeDeleted' | 'Deleted';
  readonly deletionDate: string;
}

/** A relationship as the Enmeshed Connector API returns it (`Relationship`). */
export interface RelationshipDTO {
  readonly id: string;
  readonly templateId: string;
  readonly status: RelationshipStatusDTO;
  readonly peer: string;
  readonly peerIdentity: { readonly address: string; readonly publicKey: string };
  readonly peerDeletionInfo?: PeerDeletionInfoDTO;
  readonly creationContent: unknown;
  readonly auditLog: readonly RelationshipAuditLogEntryDTO[];
}

/** Enmeshed calls the request of a reactivation `ReactivationRequested`. */
const reasonNames: Record<string, string> = { Reactivation: 'ReactivationRequested' };

/** The peer of a relationship for `own`. */
export function peerOf(relationship: Relationship, own: string): string {
  return relationship.from === own ? relationship.to : relationship.from;
}

/**
 * The identity key of the requestor, from the clear part of the creation content (the transport checked
 * its signature against the requestor's address before it handed the relationship out).
 */
export function requestorPublicKey(relationship: Relationship): string | undefined {
  try {
    const clear = JSON.parse(new TextDecoder().decode(fromBase64Url(relationship.creationContent)));
    const key = (clear as { requestorIdentityPublicKey?: unknown }).requestorIdentityPublicKey;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The DTO of a stored relationship; with `wire`, as it was at that change (for an event) instead of as
 * last stored.
 */
export function relationshipDto(row: RelationshipRow, wire?: Relationship): RelationshipDTO {
  const relationship = wire ?? (JSON.parse(row.wire) as Relationship);
  return {
    id: relationship.id,
    templateId: relationship.templateId,
    status: relationship.status,
    peer: row.peer,
    peerIdentity: { address: row.peer, publicKey: row.peerPublicKey ?? '' },
    ...(row.peerDeletionInfo
      ? { peerDeletionInfo: JSON.parse(row.peerDeletionInfo) as PeerDeletionInfoDTO }
      : {}),
    creationContent: row.creationContent === null ? {} : (JSON.parse(row.creationContent) as unknown),
    auditLog: relationship.auditLog.map((entry) => ({
      createdAt: entry.createdAt,
      createdBy: entry.createdBy,
      createdByDevice: entry.createdByDevice,
      reason: reasonNames[entry.reason] ?? entry.reason,
      ...(entry.oldStatus ? { oldStatus: entry.oldStatus } : {}),
      newStatus: entry.newStatus,
    })),
  };
}
