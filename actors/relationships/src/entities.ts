import { guardedRecordColumns, epochMsColumn as ms } from '@enmesh/actor-kit';
import { EntitySchema } from 'typeorm';

/** A relationship template. The backbone holds its sealed content, never its key. */
export interface TemplateRow {
  id: string;
  ownerToken: string;
  ownerDevice: string;
  createdAt: number;
  expiresAt: number;
  forIdentity: string | null;
  passwordVerifier: string | null;
  passwordKind: string | null;
  failedAttempts: number;
  lockedAt: number | null;
  maxNumberOfAllocations: number | null;
  content: string;
  /** Set once the owner was told that the allocations are exhausted (told once). */
  exhaustedNotifiedAt: number | null;
}

/** One identity's allocation of a template: it loaded the template and may request a relationship. */
export interface AllocationRow {
  templateId: string;
  identityToken: string;
  allocatedAt: number;
}

/**
 * A relationship between the requestor (`fromToken`) and the templator (`toToken`). Read by the messages
 * actor (read-only) to check who may message whom.
 */
export interface RelationshipRow {
  id: string;
  templateId: string;
  fromToken: string;
  toToken: string;
  status: string;
  createdAt: number;
  creationContent: string;
  reactivationRequestedBy: string | null;
  /** The identity token that decomposed first; the peer sees DeletionProposed. */
  decomposedBy: string | null;
}

/** One audit log entry. */
export interface AuditRow {
  seq: number;
  relationshipId: string;
  reason: string;
  oldStatus: string | null;
  newStatus: string;
  createdByToken: string;
  createdByDevice: string;
  createdAt: number;
}

/** Table `relationship_templates`. */
export const TemplateEntity = new EntitySchema<TemplateRow>({
  name: 'RelationshipTemplate',
  tableName: 'relationship_templates',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    ownerToken: { type: 'varchar', length: 128 },
    ownerDevice: { type: 'varchar', length: 56 },
    createdAt: { ...ms },
    ...guardedRecordColumns,
    maxNumberOfAllocations: { type: 'integer', nullable: true },
    content: { type: 'text' },
    exhaustedNotifiedAt: { ...ms, nullable: true },
  },
  indices: [{ name: 'idx_templates_owner', columns: ['ownerToken'] }],
});

/** Table `template_allocations`. */
export const AllocationEntity = new EntitySchema<AllocationRow>({
  name: 'TemplateAllocation',
  tableName: 'template_allocations',
  columns: {
    templateId: { type: 'varchar', length: 64, primary: true },
    identityToken: { type: 'varchar', length: 128, primary: true },
    allocatedAt: { ...ms },
  },
});

/** Table `relationships`. */
export const RelationshipEntity = new EntitySchema<RelationshipRow>({
  name: 'Relationship',
  tableName: 'relationships',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    templateId: { type: 'varchar', length: 64 },
    fromToken: { type: 'varchar', length: 128 },
    toToken: { type: 'varchar', length: 128 },
    status: { type: 'varchar', length: 32 },
    createdAt: { ...ms },
    creationContent: { type: 'text' },
    reactivationRequestedBy: { type: 'varchar', length: 128, nullable: true },
    decomposedBy: { type: 'varchar', length: 128, nullable: true },
  },
  indices: [
    { name: 'idx_relationships_from', columns: ['fromToken'] },
    { name: 'idx_relationships_to', columns: ['toToken'] },
  ],
});

/** Table `relationship_audit`. */
export const AuditEntity = new EntitySchema<AuditRow>({
  name: 'RelationshipAudit',
  tableName: 'relationship_audit',
  columns: {
    seq: { type: 'integer', primary: true, generated: 'increment' },
    relationshipId: { type: 'varchar', length: 64 },
    reason: { type: 'varchar', length: 40 },
    oldStatus: { type: 'varchar', length: 32, nullable: true },
    newStatus: { type: 'varchar', length: 32 },
    createdByToken: { type: 'varchar', length: 128 },
    createdByDevice: { type: 'varchar', length: 56 },
    createdAt: { ...ms },
  },
  indices: [{ name: 'idx_audit_relationship', columns: ['relationshipId'] }],
});

/** Every entity of this actor. */
export const relationshipEntities = [TemplateEntity, AllocationEntity, RelationshipEntity, AuditEntity];
