import { ErrorCodes, ProtocolError } from '@enmesh/protocol';
import {
  type EntityManager,
  type EntityTarget,
  type FindOptionsWhere,
  MoreThan,
  type ObjectLiteral,
} from 'typeorm';
import { selectRows } from './sql-bulk.js';

/** What one identity may hold or do. Each tier defines all of them. */
export interface Quotas {
  /** Tokens not yet expired. */
  readonly tokens: number;
  /** Relationship templates not yet expired. */
  readonly templates: number;
  /** Messages sent in any hour. */
  readonly messagesPerHour: number;
  /** Relationships not yet decomposed by the identity. */
  readonly relationships: number;
  /** Files held (owned and not deleted). */
  readonly files: number;
  /** Plaintext bytes of the files held. */
  readonly storageBytes: number;
  /** Devices not revoked. */
  readonly devices: number;
}

/** The quota tiers of a backbone: every identity is in one (`basic` unless the operator moved it). */
export interface QuotaTiers {
  readonly basic: Quotas;
  readonly [tier: string]: Quotas;
}

/** Where an identity stands: its tier, and whether its deletion has started (it then gets zero of all). */
export interface IdentityStanding {
  readonly tier: string;
  readonly inDeletion: boolean;
}

/** The quotas of an identity in deletion: nothing new. */
const zeroQuotas: Quotas = {
  tokens: 0,
  templates: 0,
  messagesPerHour: 0,
  relationships: 0,
  files: 0,
  storageBytes: 0,
  devices: 0,
};

/**
 * Loads the standing of identities by token, for one batch.
 * Read-only coupling: reads the identities actor's table `identities` (columns `token`, `tier`,
 * `deletionStartedAt`), as the messages actor reads `relationships`; a token without a row has no standing.
 */
export async function loadStandings(
  manager: EntityManager,
  tokens: readonly string[],
): Promise<Map<string, IdentityStanding>> {
  const standings = new Map<string, IdentityStanding>();
  if (tokens.length === 0) return standings;
  const rows = await selectRows<{ token: string; tier: string; deletionStartedAt: string | number | null }>(
    manager,
    `SELECT i.token AS token, i.tier AS tier, i."deletionStartedAt" AS "deletionStartedAt"
       FROM {identities} i WHERE i.token IN (?)`,
    [[...new Set(tokens)]],
  );
  for (const row of rows) {
    standings.set(row.token, { tier: row.tier, inDeletion: row.deletionStartedAt !== null });
  }
  return standings;
}

/** The quotas of an identity's standing under these tiers; an unknown tier falls back to `basic`. */
export function quotasFor(tiers: QuotaTiers, standing: IdentityStanding | undefined): Quotas {
  if (!standing || standing.inDeletion) return zeroQuotas;
  return tiers[standing.tier] ?? tiers.basic;
}

/** Loads one identity's standing and returns its quotas. */
export async function loadQuotas(manager: EntityManager, tiers: QuotaTiers, token: string): Promise<Quotas> {
  return quotasFor(tiers, (await loadStandings(manager, [token])).get(token));
}

/**
 * The error for a request over a quota: which quota, its limit, and for a rate when room frees up again.
 * A limit of 0 is an identity in deletion.
 */
export function quotaExceeded(quota: keyof Quotas, limit: number, resetsAt?: number): ProtocolError {
  const message =
    limit === 0
      ? `the ${quota} quota is 0: the identity is being deleted`
      : `the ${quota} quota of ${limit} is used up`;
  return new ProtocolError(ErrorCodes.quotaExceeded, message, {
    details: {
      quota,
      limit,
      ...(resetsAt === undefined ? {} : { resetsAt: new Date(resetsAt).toISOString() }),
    },
  });
}

/**
 * Checks that holding one more (or `adding` more) stays within a quota.
 * @throws ProtocolError `error.quotas.exceeded` with the limit.
 */
export function requireRoom(quota: keyof Quotas, quotas: Quotas, held: number, adding = 1): void {
  if (held + adding > quotas[quota]) throw quotaExceeded(quota, quotas[quota]);
}

/**
 * Inserts a token or template in the caller's transaction if its owner holds fewer unexpired ones than its
 * quota allows (counted in the same transaction, so concurrent creations cannot both slip past).
 * @throws ProtocolError `error.quotas.exceeded`.
 */
export async function insertWithinHoldingQuota<Row extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<Row>,
  quota: 'tokens' | 'templates',
  tiers: QuotaTiers,
  owner: string,
  row: Row,
  now: number,
): Promise<void> {
  const quotas = await loadQuotas(manager, tiers, owner);
  const held = await manager
    .getRepository(entity)
    .countBy({ ownerToken: owner, expiresAt: MoreThan(now) } as unknown as FindOptionsWhere<Row>);
  requireRoom(quota, quotas, held);
  await manager.getRepository(entity).insert(row);
}
