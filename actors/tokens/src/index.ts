export { createTokensActor } from './actor.js';
export type { TokensDeps } from './context.js';
export { TokenEntity, tokenEntities } from './entities.js';
export { CreateTokens1764150000000 } from './migrations/1764150000000-create-tokens.js';
export { purgeIdentityTokens } from './purge.js';
