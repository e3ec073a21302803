import { CreateIdentities1764144000000, identityEntities } from '@enmesh/actor-identities';
import { CreateTokens1764150000000, tokenEntities } from '@enmesh/actor-tokens';
import type { SchemaParts } from './database.js';

/** The SQL schema of every actor this process can host. */
export const backboneSchema: SchemaParts = {
  entities: [...identityEntities, ...tokenEntities],
  migrations: [CreateIdentities1764144000000, CreateTokens1764150000000],
};
