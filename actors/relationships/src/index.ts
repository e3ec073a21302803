export { createRelationshipsActor } from './actor.js';
export type { RelationshipsDeps } from './context.js';
export {
  AllocationEntity,
  AuditEntity,
  RelationshipEntity,
  type RelationshipRow,
  relationshipEntities,
  TemplateEntity,
} from './entities.js';
export { CreateRelationships1764150000002 } from './migrations/1764150000002-create-relationships.js';
export { purgeIdentityRelationships } from './purge.js';
