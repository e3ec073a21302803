/**
 * What every consumption controller is given, and the unit of work its operations run in: one database
 * transaction whose events are delivered only once it has committed.
 */
import { randomId } from '@enmesh/protocol';
import type { DataSource, EntityManager } from 'typeorm';
import type { ConsumptionEvent, ConsumptionEventData, ConsumptionEventName, EventSink } from './events.js';

/** Claims the ownership of a transferred file (the runtime wires this to the transport). */
export type ClaimFileOwnership = (fileReference: string, ownershipToken: string) => Promise<void>;

/** The things a consumption instance works with, passed in. */
export interface ConsumptionContext {
  /** The database holding the consumption tables (`consumptionSchema`). */
  readonly dataSource: DataSource;
  /** The own identity's address. */
  readonly address: string;
  /** The current time; the system clock when absent. */
  readonly clock?: () => Date;
  /** Receives the events of every committed change. */
  readonly emit?: EventSink;
  /** Makes a new id with the given prefix; random ids of Enmeshed's length when absent. */
  readonly newId?: (prefix: string) => string;
  /** Whether the first OwnIdentityAttribute of a value type becomes its default (true when absent). */
  readonly setDefaultOwnIdentityAttributes?: boolean;
  /** Claims a file's ownership when a TransferFileOwnershipRequestItem is accepted. */
  readonly claimFileOwnership?: ClaimFileOwnership;
}

/** One unit of work: a transaction, the own address, the time, ids and the events raised so far. */
export interface Tx {
  readonly manager: EntityManager;
  readonly address: string;
  readonly context: ConsumptionContext;
  /** The current time as a Date. */
  clock(): Date;
  /** The current time as an ISO-8601 string. */
  now(): string;
  /** A new id with the prefix (`ATT`, `REQ`, `NOT`, …). */
  newId(prefix: string): string;
  /** Records an event, delivered when the unit commits. */
  emit<N extends ConsumptionEventName>(namespace: N, data: ConsumptionEventData[N]): void;
}

/** Enmeshed ids are 20 characters: a prefix and random letters and digits. */
function defaultId(prefix: string): string {
  return randomId(prefix, Math.max(20 - prefix.length, 14));
}

/**
 * Runs `work` in one transaction; on success delivers the events it raised, in order, and returns its
 * result; on failure rolls everything back, drops the events and rethrows.
 * @throws whatever `work` throws
 */
export async function runInTransaction<T>(
  context: ConsumptionContext,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const events: ConsumptionEvent[] = [];
  const result = await context.dataSource.transaction(async (manager) => {
    const tx: Tx = {
      manager,
      address: context.address,
      context,
      clock: () => context.clock?.() ?? new Date(),
      now: () => (context.clock?.() ?? new Date()).toISOString(),
      newId: (prefix) => (context.newId ?? defaultId)(prefix),
      emit: (namespace, data) => {
        events.push({
          namespace,
          eventTargetAddress: context.address,
          data: structuredClone(data),
        } as ConsumptionEvent);
      },
    };
    return await work(tx);
  });
  for (const event of events) context.emit?.(event);
  return result;
}
