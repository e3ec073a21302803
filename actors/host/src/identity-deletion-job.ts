import { type ChunkStore, purgeIdentityFiles } from '@enmesh/actor-files';
import type { IdentityRow } from '@enmesh/actor-identities';
import { announceDeletion, dueDeletions, eraseIdentity, type IdentitiesDeps } from '@enmesh/actor-identities';
import { purgeIdentityMessages } from '@enmesh/actor-messages';
import { purgeIdentityRelationships } from '@enmesh/actor-relationships';
import { purgeIdentityTokens } from '@enmesh/actor-tokens';
import type { Logger } from 'pino';

/** The steps of one identity's deletion, in the order they run. */
export const deletionSteps = [
  'announce',
  'relationships',
  'messages',
  'files',
  'tokens',
  'identity',
] as const;
/** One step of an identity's deletion. */
export type DeletionStep = (typeof deletionSteps)[number];

/** What the deletion job needs: the identities actor's ports, the file chunk store, a logger. */
export interface DeletionJobDeps {
  readonly identities: IdentitiesDeps;
  readonly chunks: ChunkStore;
  readonly log: Logger;
  /** Called after each finished step; a test throws here to stop the job half-way, as a crash would. */
  readonly afterStep?: (step: DeletionStep, identity: IdentityRow) => void;
}

/** Identities one run of the job deletes at most; the next run takes the rest. */
const batchSize = 50;

/**
 * Deletes every identity whose grace period has ended (the identity deletion job). Every step is
 * idempotent and the identity row goes last, so a job stopped at any point is finished by the next run:
 * the identity is still due and each step removes only what is left. Returns how many were deleted.
 */
export async function runIdentityDeletions(deps: DeletionJobDeps): Promise<number> {
  const due = await dueDeletions(deps.identities, batchSize);
  let deleted = 0;
  for (const identity of due) {
    await deleteIdentity(deps, identity);
    deleted += 1;
  }
  return deleted;
}

async function deleteIdentity(deps: DeletionJobDeps, identity: IdentityRow): Promise<void> {
  const { store } = deps.identities;
  const token = identity.token;
  const run: Record<DeletionStep, () => Promise<void>> = {
    announce: () => announceDeletion(deps.identities, identity),
    relationships: () => store.transaction((m) => purgeIdentityRelationships(m, token)),
    messages: () => store.transaction((m) => purgeIdentityMessages(m, token)),
    files: () => purgeIdentityFiles(store, deps.chunks, token),
    tokens: () => store.transaction((m) => purgeIdentityTokens(m, token)),
    identity: () => eraseIdentity(deps.identities, identity),
  };
  for (const step of deletionSteps) {
    await run[step]();
    deps.afterStep?.(step, identity);
  }
  // The address is not logged: after deletion only its hash may remain.
  deps.log.info({ shard: identity.shard }, 'an identity was deleted');
}
