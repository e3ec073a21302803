import { z } from 'zod';
import { devicePublicKey, identityAddress, isoTime, prefixedId } from './primitives.js';
import { sealedContent } from './shared-content.js';
import { templateId } from './templates.js';

/** A relationship id: `REL` + random characters. */
export const relationshipId = prefixedId('REL');

/** The states of a relationship, as in Enmeshed. */
export const RelationshipStatus = {
  pending: 'Pending',
  active: 'Active',
  rejected: 'Rejected',
  revoked: 'Revoked',
  terminated: 'Terminated',
  deletionProposed: 'DeletionProposed',
} as const;
/** One relationship state. */
export type RelationshipStatus = (typeof RelationshipStatus)[keyof typeof RelationshipStatus];

/** Why a relationship changed: one audit log entry each. */
export const AuditReason = {
  creation: 'Creation',
  acceptanceOfCreation: 'AcceptanceOfCreation',
  rejectionOfCreation: 'RejectionOfCreation',
  revocationOfCreation: 'RevocationOfCreation',
  termination: 'Termination',
  reactivation: 'Reactivation',
  acceptanceOfReactivation: 'AcceptanceOfReactivation',
  rejectionOfReactivation: 'RejectionOfReactivation',
  revocationOfReactivation: 'RevocationOfReactivation',
  decomposition: 'Decomposition',
} as const;
/** One audit reason. */
export type AuditReason = (typeof AuditReason)[keyof typeof AuditReason];

const status = z.enum(Object.values(RelationshipStatus) as [RelationshipStatus, ...RelationshipStatus[]]);

/** One entry of a relationship's audit log: who (identity and device), when, why, from which state to which. */
export const auditEntrySchema = z.strictObject({
  reason: z.enum(Object.values(AuditReason) as [AuditReason, ...AuditReason[]]),
  oldStatus: status.optional(),
  newStatus: status,
  createdBy: identityAddress,
  createdByDevice: devicePublicKey,
  createdAt: isoTime,
});
/** One entry of a relationship's audit log. */
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/**
 * A relationship as either party sees it. `from` requested it from the template of `to`. The creation
 * content is sealed for the templator (it carries the requestor's exchange key and signature).
 */
export const relationshipSchema = z.strictObject({
  id: relationshipId,
  templateId,
  from: identityAddress,
  to: identityAddress,
  status,
  createdAt: isoTime,
  creationContent: sealedContent,
  /** Who asked to reactivate a terminated relationship, while that request is open. */
  reactivationRequestedBy: identityAddress.optional(),
  auditLog: z.array(auditEntrySchema),
});
/** A relationship as either party sees it. */
export type Relationship = z.infer<typeof relationshipSchema>;

/** Request to create a relationship from a loaded template. */
export const createRelationshipRequest = z.strictObject({ templateId, creationContent: sealedContent });

/** Names one relationship of the caller. */
export const relationshipIdRequest = z.strictObject({ id: relationshipId });

/** Asks whether a relationship could be created from a template, and why not. */
export const canCreateRelationshipRequest = z.strictObject({ templateId });

/** The answer of `canCreate`: success, or the error code and message creation would fail with. */
export const canCreateRelationshipResponse = z.strictObject({
  isSuccess: z.boolean(),
  code: z.string().optional(),
  message: z.string().optional(),
});

/** The caller's relationships. */
export const listRelationshipsResponse = z.strictObject({ relationships: z.array(relationshipSchema) });
