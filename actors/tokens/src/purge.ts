import type { EntityManager } from 'typeorm';
import { TokenEntity } from './entities.js';

/**
 * Removes every token an identity created (identity deletion). Idempotent: a second run finds nothing.
 * Tokens others made for this identity (`forIdentity`) are theirs and expire on their own.
 */
export async function purgeIdentityTokens(m: EntityManager, identityToken: string): Promise<void> {
  await m.getRepository(TokenEntity).delete({ ownerToken: identityToken });
}
