import { AuditReason, ErrorCodes, ProtocolError, RelationshipStatus } from '@enmesh/protocol';
import type { AuditRow, RelationshipRow } from './entities.js';

/** A state change: who may make it, from which state, and what it does to the row. */
export interface Transition {
  readonly reason: AuditRow['reason'];
  readonly allowed: (row: RelationshipRow, caller: string) => boolean;
  readonly from: readonly string[];
  /** Extra precondition on the reactivation request; returns an error to refuse. */
  readonly check?: (row: RelationshipRow, caller: string) => ProtocolError | undefined;
  readonly apply: (row: RelationshipRow, caller: string) => void;
}

const templator = (row: RelationshipRow, caller: string) => row.toToken === caller;
const requestor = (row: RelationshipRow, caller: string) => row.fromToken === caller;
const either = () => true;
const needsRequest = (byCaller: boolean) => (row: RelationshipRow, caller: string) => {
  if (row.reactivationRequestedBy === null) {
    return new ProtocolError(
      ErrorCodes.relationshipReactivationNotRequested,
      'no reactivation was requested',
    );
  }
  if ((row.reactivationRequestedBy === caller) !== byCaller) {
    return new ProtocolError(
      ErrorCodes.relationshipNotAllowed,
      'the other party must answer this reactivation',
    );
  }
  return undefined;
};

/** Every state change of the lifecycle except creation and decomposition. */
export const transitions = {
  acceptRelationship: {
    reason: AuditReason.acceptanceOfCreation,
    allowed: templator,
    from: [RelationshipStatus.pending],
    apply: (row) => {
      row.status = RelationshipStatus.active;
    },
  },
  rejectRelationship: {
    reason: AuditReason.rejectionOfCreation,
    allowed: templator,
    from: [RelationshipStatus.pending],
    apply: (row) => {
      row.status = RelationshipStatus.rejected;
    },
  },
  revokeRelationship: {
    reason: AuditReason.revocationOfCreation,
    allowed: requestor,
    from: [RelationshipStatus.pending],
    apply: (row) => {
      row.status = RelationshipStatus.revoked;
    },
  },
  terminateRelationship: {
    reason: AuditReason.termination,
    allowed: either,
    from: [RelationshipStatus.active],
    apply: (row) => {
      row.status = RelationshipStatus.terminated;
    },
  },
  requestReactivation: {
    reason: AuditReason.reactivation,
    allowed: either,
    from: [RelationshipStatus.terminated],
    check: (row) =>
      row.reactivationRequestedBy === null
        ? undefined
        : new ProtocolError(
            ErrorCodes.relationshipReactivationAlreadyRequested,
            'a reactivation is already requested',
          ),
    apply: (row, caller) => {
      row.reactivationRequestedBy = caller;
    },
  },
  acceptReactivation: {
    reason: AuditReason.acceptanceOfReactivation,
    allowed: either,
    from: [RelationshipStatus.terminated],
    check: needsRequest(false),
    apply: (row) => {
      row.status = RelationshipStatus.active;
      row.reactivationRequestedBy = null;
    },
  },
  rejectReactivation: {
    reason: AuditReason.rejectionOfReactivation,
    allowed: either,
    from: [RelationshipStatus.terminated],
    check: needsRequest(false),
    apply: (row) => {
      row.reactivationRequestedBy = null;
    },
  },
  revokeReactivation: {
    reason: AuditReason.revocationOfReactivation,
    allowed: either,
    from: [RelationshipStatus.terminated],
    check: needsRequest(true),
    apply: (row) => {
      row.reactivationRequestedBy = null;
    },
  },
} satisfies Record<string, Transition>;

/** The operations that are plain transitions. */
export type TransitionName = keyof typeof transitions;
