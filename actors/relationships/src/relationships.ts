import { type DeviceCaller, loadQuotas, requireRoom } from '@enmesh/actor-kit';
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
import { type Transition, type TransitionName, transitions } from './transitions.js';

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
    await requireRelationshipRoom(deps, m, caller.identityToken, 0);
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

/**
 * Checks the relationships quota of an identity: Pending, Active and Terminated relationships it has not
 * decomposed count; `including` of them are the one being decided.
 * @throws ProtocolError `error.quotas.exceeded`.
 */
async function requireRelationshipRoom(
  deps: RelationshipsDeps,
  m: EntityManager,
  identity: string,
  including: number,
): Promise<void> {
  const counted = [RelationshipStatus.pending, RelationshipStatus.active, RelationshipStatus.terminated];
  const held = await m
    .getRepository(RelationshipEntity)
    .createQueryBuilder('rel')
    .where('(rel.fromToken = :identity OR rel.toToken = :identity)', { identity })
    .andWhere('(rel.decomposedBy IS NULL OR rel.decomposedBy <> :identity)', { identity })
    .andWhere('rel.status IN (:...counted)', { counted })
    .getCount();
  requireRoom('relationships', await loadQuotas(m, deps.settings.quotas, identity), held - including);
}

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
    // The pending relationship already counts for the templator; accepting must keep it within the quota.
    if (name === 'acceptRelationship') await requireRelationshipRoom(deps, m, caller.identityToken, 1);
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
