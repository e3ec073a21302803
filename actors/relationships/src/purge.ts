import { type EntityManager, In } from 'typeorm';
import { AllocationEntity, AuditEntity, RelationshipEntity, TemplateEntity } from './entities.js';

/**
 * Removes an identity's templates (with their allocations), its allocations of others' templates, and
 * every relationship it is a party of with its audit log: decomposed for both sides at once, since the
 * peers were told before that the identity is deleted. Idempotent: a second run finds nothing.
 */
export async function purgeIdentityRelationships(m: EntityManager, identityToken: string): Promise<void> {
  const relationships = await m.getRepository(RelationshipEntity).find({
    select: { id: true },
    where: [{ fromToken: identityToken }, { toToken: identityToken }],
  });
  const ids = relationships.map((row) => row.id);
  if (ids.length > 0) {
    await m.getRepository(AuditEntity).delete({ relationshipId: In(ids) });
    await m.getRepository(RelationshipEntity).delete({ id: In(ids) });
  }
  const templates = await m
    .getRepository(TemplateEntity)
    .find({ select: { id: true }, where: { ownerToken: identityToken } });
  if (templates.length > 0) {
    await m.getRepository(AllocationEntity).delete({ templateId: In(templates.map((row) => row.id)) });
    await m.getRepository(TemplateEntity).delete({ ownerToken: identityToken });
  }
  await m.getRepository(AllocationEntity).delete({ identityToken });
}
