import { IdentityEntity } from '@enmesh/actor-identities';
import type { QuotaTiers } from '@enmesh/actor-kit';
import type { DataSource } from 'typeorm';

/** An operator command that could not be carried out; the message says why. */
export class AdminError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = 'AdminError';
  }
}

/**
 * Moves an identity to a quota tier (operator action); it takes effect with the identity's next request.
 * @throws AdminError for an unknown tier or identity.
 */
export async function setIdentityTier(
  db: DataSource,
  tiers: QuotaTiers,
  address: string,
  tier: string,
): Promise<void> {
  if (!Object.hasOwn(tiers, tier)) {
    throw new AdminError(`unknown tier ${tier}; the tiers are: ${Object.keys(tiers).join(', ')}`);
  }
  const result = await db.getRepository(IdentityEntity).update({ address }, { tier });
  if (result.affected !== 1) throw new AdminError(`no identity ${address}`);
}
