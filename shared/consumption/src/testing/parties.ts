/**
 * Two consumption instances for the tests (an organisation and a person, each with its own database),
 * and the fixtures their exchanges use. Test-only; never re-exported.
 */

import type { RequestItem } from '@enmesh/content';
import { encodeReference } from '@enmesh/protocol';
import { type Consumption, createConsumption } from '../consumption.js';
import type { ConsumptionEvent } from '../events.js';
import {
  postgresTestDatabase,
  sqliteTestDatabase,
  type TestClock,
  type TestDatabase,
  testAddress,
  testContext,
} from './test-support.js';

/** A consumption instance with its database and recorded events. */
export interface Party {
  address: string;
  db: TestDatabase;
  consumption: Consumption;
  events: ConsumptionEvent[];
  claimed: string[];
}

/** Which database a party uses. */
export type DatabaseKind = 'sqlite' | 'postgres';

/** Opens a party's database and creates its consumption instance. */
export async function createParty(seed: number, kind: DatabaseKind, clock: TestClock): Promise<Party> {
  const db = kind === 'sqlite' ? await sqliteTestDatabase() : await postgresTestDatabase();
  const address = testAddress(seed);
  const context = testContext(db.dataSource, address, clock);
  const claimed: string[] = [];
  const consumption = createConsumption({
    ...context,
    claimFileOwnership: async (reference) => {
      claimed.push(reference);
    },
  });
  return { address, db, consumption, events: context.events, claimed };
}

/** A file reference as the transport encodes it. */
export const fileReference = encodeReference({
  type: 'file',
  id: 'FILaaaaaaaaaaaaaaaaa',
  key: new Uint8Array(32).fill(7),
  host: 'enmesh.example',
});

/** Hands JSON over as a message would: serialised and parsed. */
export function overTheWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A request item of a type with the common fields. */
export function item(type: string, fields: Record<string, unknown>, mustBeAccepted = true): RequestItem {
  return { '@type': type, mustBeAccepted, ...fields } as unknown as RequestItem;
}

/** The namespaces of events, in order. */
export function namespaces(events: readonly ConsumptionEvent[]): string[] {
  return events.map((event) => event.namespace);
}
