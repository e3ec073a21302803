import { type Actor, type DeviceCaller, defineActor, type HandlerContext } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError } from '@enmesh/protocol';
import { LessThan } from 'typeorm';
import type { RelationshipsDeps } from './context.js';
import { TemplateEntity } from './entities.js';
import {
  canCreateRelationship,
  createRelationship,
  decomposeRelationship,
  getRelationship,
  listRelationships,
  transition,
} from './relationships.js';
import { createTemplate, deleteTemplate, loadTemplate } from './templates.js';

function device(context: HandlerContext): DeviceCaller {
  if (context.caller.kind !== 'device')
    throw new ProtocolError(ErrorCodes.unauthorized, 'a device must call this');
  return context.caller;
}

/** Expired templates are kept this long (answering `expired`), then removed by housekeeping. */
const expiredRetentionMs = 30 * 24 * 3600 * 1000;

/** The relationships actor: relationship templates and relationships, their lifecycle and events. */
export function createRelationshipsActor(deps: RelationshipsDeps): Actor & { housekeep(): Promise<void> } {
  const actor = defineActor({
    name: 'relationships',
    handlers: {
      createTemplate: (request, context) => createTemplate(deps, device(context), request),
      loadTemplate: (request, context) => loadTemplate(deps, context.caller, request),
      loadTemplateAnonymously: (request, context) => loadTemplate(deps, context.caller, request),
      deleteTemplate: (request, context) => deleteTemplate(deps, device(context), request),
      createRelationship: (request, context) => createRelationship(deps, device(context), request),
      canCreateRelationship: (request, context) => canCreateRelationship(deps, device(context), request),
      getRelationship: (request, context) => getRelationship(deps, device(context), request),
      listRelationships: (_request, context) => listRelationships(deps, device(context)),
      acceptRelationship: (request, context) =>
        transition(deps, device(context), 'acceptRelationship', request.id),
      rejectRelationship: (request, context) =>
        transition(deps, device(context), 'rejectRelationship', request.id),
      revokeRelationship: (request, context) =>
        transition(deps, device(context), 'revokeRelationship', request.id),
      terminateRelationship: (request, context) =>
        transition(deps, device(context), 'terminateRelationship', request.id),
      requestReactivation: (request, context) =>
        transition(deps, device(context), 'requestReactivation', request.id),
      acceptReactivation: (request, context) =>
        transition(deps, device(context), 'acceptReactivation', request.id),
      rejectReactivation: (request, context) =>
        transition(deps, device(context), 'rejectReactivation', request.id),
      revokeReactivation: (request, context) =>
        transition(deps, device(context), 'revokeReactivation', request.id),
      decomposeRelationship: (request, context) => decomposeRelationship(deps, device(context), request),
    },
  });
  const housekeep = async () => {
    const before = deps.clock() - expiredRetentionMs;
    await deps.store.run((m) => m.getRepository(TemplateEntity).delete({ expiresAt: LessThan(before) }));
  };
  return { ...actor, housekeep };
}
