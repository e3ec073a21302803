import { addressOfToken } from '@enmesh/actor-kit';
import {
  type AuditEntry,
  MailboxEntryType,
  mailboxSubject,
  mailboxTypeHeader,
  type Relationship,
  RelationshipStatus,
} from '@enmesh/protocol';
import type { EntityManager } from 'typeorm';
import type { RelationshipsDeps } from './context.js';
import { AuditEntity, type AuditRow, type RelationshipRow } from './entities.js';

/** Returns an audit row's wire form. */
export function auditToWire(deps: RelationshipsDeps, row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    reason: row.reason as AuditEntry['reason'],
    newStatus: row.newStatus as AuditEntry['newStatus'],
    createdBy: addressOfToken(deps.settings.backboneHost, row.createdByToken),
    createdByDevice: row.createdByDevice,
    createdAt: new Date(row.createdAt).toISOString(),
  };
  if (row.oldStatus) entry.oldStatus = row.oldStatus as AuditEntry['newStatus'];
  return entry;
}

/**
 * Returns a relationship as one party sees it, or undefined when that party decomposed it (it is gone for
 * them). The peer of a decomposer sees DeletionProposed.
 */
export function relationshipFor(
  deps: RelationshipsDeps,
  row: RelationshipRow,
  audit: readonly AuditRow[],
  viewer: string,
): Relationship | undefined {
  if (row.decomposedBy === viewer) return undefined;
  const host = deps.settings.backboneHost;
  const relationship: Relationship = {
    id: row.id,
    templateId: row.templateId,
    from: addressOfToken(host, row.fromToken),
    to: addressOfToken(host, row.toToken),
    status: (row.decomposedBy ? RelationshipStatus.deletionProposed : row.status) as Relationship['status'],
    createdAt: new Date(row.createdAt).toISOString(),
    creationContent: row.creationContent,
    auditLog: audit.map((entry) => auditToWire(deps, entry)),
  };
  if (row.reactivationRequestedBy) {
    relationship.reactivationRequestedBy = addressOfToken(host, row.reactivationRequestedBy);
  }
  return relationship;
}

/** Loads a relationship's audit log in order. */
export function loadAudit(manager: EntityManager, relationshipId: string): Promise<AuditRow[]> {
  return manager.getRepository(AuditEntity).find({ where: { relationshipId }, order: { seq: 'ASC' } });
}

/**
 * Enqueues the change event for both parties (each sees the relationship as visible to them), in the
 * transaction that made the change. The dedup id names the audit entry, so a re-published event is stored once.
 */
export async function enqueueChange(
  deps: RelationshipsDeps,
  manager: EntityManager,
  row: RelationshipRow | undefined,
  relationshipId: string,
  parties: readonly string[],
  change: AuditRow,
): Promise<void> {
  const audit = row ? await loadAudit(manager, relationshipId) : [];
  await deps.outbox.enqueue(
    manager,
    parties.map((party) => ({
      subject: mailboxSubject(party, deps.settings.shardCount),
      msgId: `rel:${relationshipId}:${change.seq}:${party}`,
      headers: { [mailboxTypeHeader]: MailboxEntryType.relationshipChanged },
      payload: JSON.stringify({
        '@type': MailboxEntryType.relationshipChanged,
        relationship: (row && relationshipFor(deps, row, audit, party)) ?? null,
        relationshipId,
        change: auditToWire(deps, change),
      }),
    })),
  );
}
