export { createIdentitiesActor } from './actor.js';
export type { IdentitiesDeps } from './context.js';
export {
  ChallengeEntity,
  DeviceEntity,
  IdentityEntity,
  identityEntities,
  RevocationEntity,
} from './entities.js';
export { CreateIdentities1764144000000 } from './migrations/1764144000000-create-identities.js';
export type { BrokerPort, IdentitiesSettings } from './ports.js';
