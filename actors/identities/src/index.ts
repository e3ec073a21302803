export { createIdentitiesActor } from './actor.js';
export type { IdentitiesDeps } from './context.js';
export {
  ChallengeEntity,
  DeletionAuditEntity,
  DeviceEntity,
  IdentityEntity,
  type IdentityRow,
  identityEntities,
  RevocationEntity,
} from './entities.js';
export { addressHash, announceDeletion, dueDeletions, eraseIdentity } from './erase.js';
export { CreateIdentities1764144000000 } from './migrations/1764144000000-create-identities.js';
export { IdentityStanding1764150000006 } from './migrations/1764150000006-identity-standing.js';
export type { BrokerPort, IdentitiesSettings } from './ports.js';
