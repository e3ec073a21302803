import {
  addressOfToken,
  type Caller,
  type DeviceCaller,
  insertWithinHoldingQuota,
  loadThroughGate,
  newGuardedRecord,
} from '@enmesh/actor-kit';
import {
  ErrorCodes,
  MailboxEntryType,
  mailboxSubject,
  mailboxTypeHeader,
  ProtocolError,
  type RequestOf,
  type ResponseOf,
  randomId,
  type Template,
} from '@enmesh/protocol';
import type { RelationshipsDeps } from './context.js';
import { AllocationEntity, TemplateEntity, type TemplateRow } from './entities.js';

const codes = {
  expired: ErrorCodes.templateExpired,
  locked: ErrorCodes.templateLocked,
  wrongPassword: ErrorCodes.templateWrongPassword,
  notForYou: ErrorCodes.templateNotForYou,
} as const;

/** Returns the wire form of a stored template. */
export function templateToWire(deps: RelationshipsDeps, row: TemplateRow): Template {
  const template: Template = {
    id: row.id,
    createdBy: addressOfToken(deps.settings.backboneHost, row.ownerToken),
    createdByDevice: row.ownerDevice,
    createdAt: new Date(row.createdAt).toISOString(),
    expiresAt: new Date(row.expiresAt).toISOString(),
    content: row.content,
  };
  if (row.forIdentity) template.forIdentity = row.forIdentity;
  if (row.passwordKind) template.passwordKind = row.passwordKind as 'password' | 'pin';
  if (row.maxNumberOfAllocations !== null) template.maxNumberOfAllocations = row.maxNumberOfAllocations;
  return template;
}

/** Stores a relationship template for the caller's identity. */
export async function createTemplate(
  deps: RelationshipsDeps,
  caller: DeviceCaller,
  request: RequestOf<'createTemplate'>,
): Promise<ResponseOf<'createTemplate'>> {
  const now = deps.clock();
  const row: TemplateRow = {
    id: randomId('RLT', 20),
    ...newGuardedRecord(caller, request, now),
    maxNumberOfAllocations: request.maxNumberOfAllocations ?? null,
    content: request.content,
    exhaustedNotifiedAt: null,
  };
  await deps.store.transaction((m) =>
    insertWithinHoldingQuota(
      m,
      TemplateEntity,
      'templates',
      deps.settings.quotas,
      caller.identityToken,
      row,
      now,
    ),
  );
  return templateToWire(deps, row);
}

/**
 * Loads a template through the access gate. A device of another identity allocates it (once per identity);
 * when every allocation is taken, later identities get `allocationsExhausted` and the owner's devices are
 * told once, through the mailbox. Anonymous callers may read templates without recipient or allocation
 * limit, and allocate nothing.
 * @throws ProtocolError `error.templates.notFound|expired|notForYou|locked|wrongPassword|allocationsExhausted`.
 */
export async function loadTemplate(
  deps: RelationshipsDeps,
  caller: Caller,
  request: RequestOf<'loadTemplate'>,
): Promise<ResponseOf<'loadTemplate'>> {
  const now = deps.clock();
  const { row, who } = await loadThroughGate(deps.store, TemplateEntity, request, caller, {
    backboneHost: deps.settings.backboneHost,
    now,
    codes,
    notFound: ErrorCodes.templateNotFound,
  });
  if (who === undefined) {
    if (row.maxNumberOfAllocations !== null) {
      throw new ProtocolError(
        ErrorCodes.templateNotForYou,
        'this template can only be loaded by an identity',
      );
    }
    return templateToWire(deps, row);
  }
  if (who.token !== row.ownerToken) await allocate(deps, row, who.token, now);
  return templateToWire(deps, row);
}

async function allocate(
  deps: RelationshipsDeps,
  row: TemplateRow,
  identity: string,
  now: number,
): Promise<void> {
  const exhausted = await deps.store.transaction(async (m) => {
    const allocations = m.getRepository(AllocationEntity);
    if (await allocations.existsBy({ templateId: row.id, identityToken: identity })) return false;
    const taken = await allocations.countBy({ templateId: row.id });
    if (row.maxNumberOfAllocations === null || taken < row.maxNumberOfAllocations) {
      await allocations.insert({ templateId: row.id, identityToken: identity, allocatedAt: now });
      return false;
    }
    const first = await m
      .createQueryBuilder()
      .update(TemplateEntity)
      .set({ exhaustedNotifiedAt: now })
      .where('id = :id AND "exhaustedNotifiedAt" IS NULL', { id: row.id })
      .execute();
    if (first.affected === 1) {
      await deps.outbox.enqueue(m, [
        {
          subject: mailboxSubject(row.ownerToken, deps.settings.shardCount),
          msgId: `template-exhausted:${row.id}`,
          headers: { [mailboxTypeHeader]: MailboxEntryType.templateAllocationsExhausted },
          payload: JSON.stringify({
            '@type': MailboxEntryType.templateAllocationsExhausted,
            templateId: row.id,
          }),
        },
      ]);
    }
    return true;
  });
  await deps.outbox.flush();
  if (exhausted) {
    throw new ProtocolError(
      ErrorCodes.templateAllocationsExhausted,
      'every allocation of this template is taken',
      {
        details: { maxNumberOfAllocations: row.maxNumberOfAllocations },
      },
    );
  }
}

/**
 * Deletes one of the caller's identity's templates (and its allocations).
 * @throws ProtocolError `error.templates.notFound` for a template that is not the caller's.
 */
export async function deleteTemplate(
  deps: RelationshipsDeps,
  caller: DeviceCaller,
  request: RequestOf<'deleteTemplate'>,
): Promise<ResponseOf<'deleteTemplate'>> {
  await deps.store.transaction(async (m) => {
    const result = await m
      .getRepository(TemplateEntity)
      .delete({ id: request.id, ownerToken: caller.identityToken });
    if (result.affected !== 1)
      throw new ProtocolError(ErrorCodes.templateNotFound, 'no such template of yours');
    await m.getRepository(AllocationEntity).delete({ templateId: request.id });
  });
  return { ok: true };
}
