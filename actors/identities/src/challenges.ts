import type { SqlStore } from '@enmesh/actor-kit';
import { type Challenge, ChallengeType, ErrorCodes, Limits, ProtocolError, randomId } from '@enmesh/protocol';
import type { EntityManager } from 'typeorm';
import { ChallengeEntity, type ChallengeRow } from './entities.js';

/** Returns the wire form of a stored challenge. */
export function challengeToWire(row: ChallengeRow): Challenge {
  return {
    id: row.id,
    type: row.type as Challenge['type'],
    expiresAt: new Date(row.expiresAt).toISOString(),
    ...(row.createdBy ? { createdBy: row.createdBy } : {}),
    ...(row.createdByDevice ? { createdByDevice: row.createdByDevice } : {}),
  };
}

/** Stores a new challenge valid for ten minutes. */
export async function createChallenge(
  store: SqlStore,
  now: number,
  type: Challenge['type'],
  createdBy: string | null,
  createdByDevice: string | null,
): Promise<Challenge> {
  const row: ChallengeRow = {
    id: randomId('CHL', 20),
    type,
    createdBy,
    createdByDevice,
    expiresAt: now + Limits.challengeLifetimeMs,
    usedAt: null,
  };
  await store.run((m) => m.getRepository(ChallengeEntity).insert(row));
  return challengeToWire(row);
}

/**
 * Loads a challenge that can still be used to prove a key: it exists, has not expired, has not been used,
 * is of type Identity, and was created anonymously or by `createdBy`.
 * @throws ProtocolError `error.challenges.notFound|expired|alreadyUsed|wrongType`.
 */
export async function loadUsableChallenge(
  store: SqlStore,
  id: string,
  now: number,
  allowedCreator: string | null,
): Promise<Challenge> {
  const row = await store.run((m) => m.getRepository(ChallengeEntity).findOneBy({ id }));
  if (!row) throw new ProtocolError(ErrorCodes.challengeNotFound, 'no such challenge');
  if (row.expiresAt <= now) throw new ProtocolError(ErrorCodes.challengeExpired, 'the challenge has expired');
  if (row.usedAt !== null)
    throw new ProtocolError(ErrorCodes.challengeAlreadyUsed, 'the challenge was already used');
  if (row.type !== ChallengeType.identity || (row.createdBy !== null && row.createdBy !== allowedCreator)) {
    throw new ProtocolError(ErrorCodes.challengeWrongType, 'this challenge cannot be used here');
  }
  return challengeToWire(row);
}

/**
 * Marks a challenge used inside a transaction; exactly one concurrent caller wins.
 * @throws ProtocolError `error.challenges.alreadyUsed` for every other caller (a replay).
 */
export async function markChallengeUsed(tx: EntityManager, id: string, now: number): Promise<void> {
  const result = await tx
    .createQueryBuilder()
    .update(ChallengeEntity)
    .set({ usedAt: now })
    .where('id = :id AND "usedAt" IS NULL', { id })
    .execute();
  if (result.affected !== 1) {
    throw new ProtocolError(ErrorCodes.challengeAlreadyUsed, 'the challenge was already used');
  }
}
