import { CreateIdentities1764144000000, identityEntities } from '@enmesh/actor-identities';
import type { SchemaParts } from './database.js';

/** The SQL schema of every actor this process can host. */
export const backboneSchema: SchemaParts = {
  entities: [...identityEntities],
  migrations: [CreateIdentities1764144000000],
};
