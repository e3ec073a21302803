import { loadQuotas, requireRoom } from '@enmesh/actor-kit';
import { type EntityManager, IsNull, MoreThan } from 'typeorm';
import type { FilesDeps } from './context.js';
import { FileEntity } from './entities.js';

/**
 * Checks that an identity may hold one more file of `size` plaintext bytes: its files quota (files owned,
 * not deleted, not expired, uploads in progress included) and its storage quota (their declared sizes).
 * @throws ProtocolError `error.quotas.exceeded` naming `files` or `storageBytes`.
 */
export async function requireFileRoom(
  deps: FilesDeps,
  m: EntityManager,
  identityToken: string,
  size: number,
): Promise<void> {
  const quotas = await loadQuotas(m, deps.settings.quotas, identityToken);
  const held = await m
    .getRepository(FileEntity)
    .createQueryBuilder('f')
    .select('COUNT(*)', 'files')
    .addSelect('COALESCE(SUM(f.size), 0)', 'bytes')
    .where({ ownerToken: identityToken, deletedAt: IsNull(), expiresAt: MoreThan(deps.clock()) })
    .getRawOne<{ files: string | number; bytes: string | number }>();
  requireRoom('files', quotas, Number(held?.files ?? 0));
  requireRoom('storageBytes', quotas, Number(held?.bytes ?? 0), size);
}
