import type { DeviceCaller } from '@enmesh/actor-kit';
import {
  AuditReason,
  ErrorCodes,
  ProtocolError,
  type Relationship,
  RelationshipStatus,
  type RequestOf,
  type ResponseOf,
  randomId,
} from '@enmesh/protocol';
import { type EntityManager, In } from 'typeorm';
import type { RelationshipsDeps } from './context.js';
import {
  AllocationEntity,
  AuditEntity,
  type AuditRow,
  RelationshipEntity,
  type RelationshipRow,
  TemplateEntity,
} from './entities.js';
import { enqueueChange, loadAudit, relationshipFor } from './relationship-view.js';

/** States in which a pair of identities already has a relationship, so that no second one can start. */
const blockingStates = [
  RelationshipStatus.pending,
  RelationshipStatus.active,
  RelationshipStatus.terminated,
  RelationshipStatus.deletionProposed,
];

async function appendAudit(
  manager: EntityManager,
  row: RelationshipRow,
  caller: DeviceCaller,
  reason: AuditRow['reason'],
  oldStatus: string | null,
  now: number,
): Promise<AuditRow> {
  const entry = {
    relationshipId: row.id,
    reason,
    oldStatus,
    newStatus: row.decomposedBy ? RelationshipStatus.deletionProposed : row.status,
    createdByToken: caller.identityToken,
    createdByDevice: caller.deviceKey,
    createdAt: now,
  };
  const inserted = await manager.getRepository(AuditEntity).insert(entry);
  return { ...entry, seq: Number(inserted.identifiers[0]?.seq) };
}

/** Finds why `requestor` cannot create a relationship from a template now, or returns the templator. */
async function creationProblem(
  manager: EntityManager,
  requestor: string,
  templateId: string,
  now: number,
): Promise<ProtocolError | { templator: string }> {
  const template = await manager.getRepository(TemplateEntity).findOneBy({ id: templateId });
  if (!template) return new ProtocolError(ErrorCodes.templateNotFound, 'no such template');
  if (template.expiresAt <= now)
    return new ProtocolError(ErrorCodes.templateExpired, 'the template has expired');
  if (template.ownerToken === requestor) {
    return new ProtocolError(ErrorCodes.relationshipWithSelf, 'an identity cannot relate to itself');
  }
  const allocated = await manager
    .getRepository(AllocationEntity)
    .existsBy({ templateId, identityToken: requestor });
  if (!allocated) {
    return new ProtocolError(ErrorCodes.relationshipTemplateNotLoaded, 'load the template before requesting');
  }
  const existing = await manager.getRepository(RelationshipEntity).find({
    where: [
      { fromToken: requestor, toToken: template.ownerToken, status: In(blockingStates) },
      { fromToken: template.ownerToken, toToken: requestor, status: In(blockingStates) },
    ],
  });
  if (existing.length > 0) {
    return new ProtocolError(
      ErrorCodes.relationshipAlreadyExists,
      'these identities already have a relationship',
      {
        details: { relationshipId: existing[0]!.id },
      },
    );
  }
  return { templator: template.ownerToken };
}

/** Answers whether the caller could create a relationship from a template now, and if not, why. */
export async function canCreateRelationship(
  deps: RelationshipsDeps,
  caller: DeviceCaller,
  request: RequestOf<'canCreateRelationship'>,
): Promise<ResponseOf<'canCreateRelationship'>> {
  const problem = await deps.store.run((m) =>
    creationProblem(m, caller.identityToken, request.templateId, deps.clock()),
  );
  return problem instanceof ProtocolError
    ? { isSuccess: false, code: problem.code, message: problem.message }
    : { isSuccess: true };
}

/**
 * Requests a relationship from a template the caller loaded: Pending, with the sealed creation content for
 * the templator. Both identities' devices learn of it through their mailboxes.
 * @throws ProtocolError with the code `canCreate` would report.
 */
export async function createRelationship(
  deps: RelationshipsDeps,
  caller: DeviceCaller,
  request: RequestOf<'createRelationship'>,
): Promise<ResponseOf<'createRelationship'>> {
  const now = deps.clock();
  const view = await deps.store.transaction(async (m) => {
    const problem = await creationProblem(m, caller.identityToken, request.templateId, now);
    if (problem instanceof ProtocolError) throw problem;
    const row: RelationshipRow = {
      id: randomId('REL', 20),
      templateId: request.templateId,
      fromToken: caller.identityToken,
      toToken: problem.templator,
      status: RelationshipStatus.pending,
      createdAt: now,
      creationContent: request.creationContent,
      reactivationRequestedBy: null,
      decomposedBy: null,
    };
    await m.getRepository(RelationshipEntity).insert(row);
    const change = await appendAudit(m, row, caller, AuditReason.creation, null, now);
    await enqueueChange(deps, m, row, row.id, [row.fromToken, row.toToken], change);
    return relationshipFor(deps, row, await loadAudit(m, row.id), caller.identityToken)!;
  });
  await deps.outbox.flush();
  return view;
}

/** A state change: who may make it, from which state, and what it does to the row. */
interface Transition {
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

async function loadForParty(m: EntityManager, id: string, caller: string): Promise<RelationshipRow> {
  const row = await m.getRepository(RelationshipEntity).findOneBy({ id });
  // A relationship of others, or one the caller decomposed, does not exist for the caller.
  if (!row || (row.fromToken !== caller && row.toToken !== caller) || row.decomposedBy === caller) {
    throw new ProtocolError(ErrorCodes.relationshipNotFound, 'no such relationship');
  }
  return row;
}

/**
 * Applies one lifecycle transition for the caller, appends the audit entry and tells both parties.
 * @throws ProtocolError `error.relationships.notFound|notAllowed|wrongStatus|reactivation…`.
 */
export async function transition(
  deps: RelationshipsDeps,
  caller: DeviceCaller,
  name: TransitionName,
  id: string,
): Promise<Relationship> {
  const spec: Transition = transitions[name];
  const now = deps.clock();
  const view = await deps.store.transaction(async (m) => {
    const row = await loadForParty(m, id, caller.identityToken);
    if (!spec.allowed(row, caller.identityToken)) {
      throw new ProtocolError(ErrorCodes.relationshipNotAllowed, 'the other party must do this');
    }
    if (row.decomposedBy !== null || !spec.from.includes(row.status)) {
      throw new ProtocolError(
        ErrorCodes.relationshipWrongStatus,
        `not possible while the relationship is ${row.status}`,
        {
          details: { status: row.decomposedBy ? RelationshipStatus.deletionProposed : row.status },
        },
      );
    }
    const refused = spec.check?.(row, caller.identityToken);
    if (refused) throw refused;
    const oldStatus = row.status;
    spec.apply(row, caller.identityToken);
    await m
      .getRepository(RelationshipEntity)
      .update({ id: row.id }, { status: row.status, reactivationRequestedBy: row.reactivationRequestedBy });
    const change = await appendAudit(m, row, caller, spec.reason, oldStatus, now);
    await enqueueChange(deps, m, row, row.id, [row.fromToken, row.toToken], change);
    return relationshipFor(deps, row, await loadAudit(m, row.id), caller.identityToken)!;
  });
  await deps.outbox.flush();
  return view;
}

/**
 * Decomposes a finished relationship (Terminated, Rejected or Revoked): gone for the caller at once, shown as
 * DeletionProposed to the peer; when the peer decomposes too, it is removed for both.
 * @throws ProtocolError `error.relationships.notFound|wrongStatus`.
 */
export async function decomposeRelationship(
  deps: RelationshipsDeps,
  caller: DeviceCaller,
  request: RequestOf<'decomposeRelationship'>,
): Promise<ResponseOf<'decomposeRelationship'>> {
  const now = deps.clock();
  const finished: string[] = [
    RelationshipStatus.terminated,
    RelationshipStatus.rejected,
    RelationshipStatus.revoked,
  ];
  await deps.store.transaction(async (m) => {
    const row = await loadForParty(m, request.id, caller.identityToken);
    if (!finished.includes(row.status)) {
      throw new ProtocolError(
        ErrorCodes.relationshipWrongStatus,
        `not possible while the relationship is ${row.status}`,
        {
          details: { status: row.decomposedBy ? RelationshipStatus.deletionProposed : row.status },
        },
      );
    }
    const parties = [row.fromToken, row.toToken];
    const oldStatus = row.decomposedBy ? RelationshipStatus.deletionProposed : row.status;
    if (row.decomposedBy === null) {
      row.decomposedBy = caller.identityToken;
      await m.getRepository(RelationshipEntity).update({ id: row.id }, { decomposedBy: row.decomposedBy });
      const change = await appendAudit(m, row, caller, AuditReason.decomposition, oldStatus, now);
      await enqueueChange(deps, m, row, row.id, parties, change);
      return;
    }
    // The peer decomposed before: nothing of it remains for either side.
    const change = await appendAudit(m, row, caller, AuditReason.decomposition, oldStatus, now);
    await enqueueChange(deps, m, undefined, row.id, parties, change);
    await m.getRepository(AuditEntity).delete({ relationshipId: row.id });
    await m.getRepository(RelationshipEntity).delete({ id: row.id });
  });
  await deps.outbox.flush();
  return { ok: true };
}

/** Returns one of the caller's relationships. */
export async function getRelationship(
  deps: RelationshipsDeps,
  caller: DeviceCaller,
  request: RequestOf<'getRelationship'>,
): Promise<ResponseOf<'getRelationship'>> {
  return deps.store.run(async (m) => {
    const row = await loadForParty(m, request.id, caller.identityToken);
    return relationshipFor(deps, row, await loadAudit(m, row.id), caller.identityToken)!;
  });
}

/** Lists the caller's relationships (those it decomposed are gone). */
export async function listRelationships(
  deps: RelationshipsDeps,
  caller: DeviceCaller,
): Promise<ResponseOf<'listRelationships'>> {
  return deps.store.run(async (m) => {
    const rows = await m.getRepository(RelationshipEntity).find({
      where: [{ fromToken: caller.identityToken }, { toToken: caller.identityToken }],
      order: { createdAt: 'ASC' },
    });
    const relationships: Relationship[] = [];
    for (const row of rows) {
      const view = relationshipFor(deps, row, await loadAudit(m, row.id), caller.identityToken);
      if (view) relationships.push(view);
    }
    return { relationships };
  });
}
