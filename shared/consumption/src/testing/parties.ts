/**
 * Two consumption instances for the tests (an organisation and a person, each with its own database),
 * and the fixtures their exchanges use. Test-only; never re-exported.
 */

import type { Request, RequestItem } from '@enmesh/content';
import { encodeReference } from '@enmesh/protocol';
import { type Consumption, type ConsumptionOptions, createConsumption } from '../consumption.js';
import type { ConsumptionEvent } from '../events.js';
import type { LocalNotification, OutgoingNotification } from '../notifications/local-notification.js';
import type { DecideRequestParams } from '../requests/incoming-requests.js';
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
export async function createParty(
  seed: number,
  kind: DatabaseKind,
  clock: TestClock,
  options: ConsumptionOptions = {},
): Promise<Party> {
  const db = kind === 'sqlite' ? await sqliteTestDatabase() : await postgresTestDatabase();
  return partyIn(db, seed, clock, options);
}

/** A party whose consumption data lives in a database another party may share (`db`). */
export function partyIn(
  db: TestDatabase,
  seed: number,
  clock: TestClock,
  options: ConsumptionOptions = {},
): Party {
  const address = testAddress(seed);
  const context = testContext(db.dataSource, address, clock);
  const claimed: string[] = [];
  const consumption = createConsumption(
    {
      ...context,
      claimFileOwnership: async (reference) => {
        claimed.push(reference);
      },
    },
    options,
  );
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

let messages = 0;

/** A new message id. */
export function messageId(): string {
  return `MSG${String(++messages).padStart(17, '0')}`;
}

/**
 * Sends a request from `sender` to `recipient`, has the recipient decide with `items` and the sender
 * apply the response; returns the request id.
 */
export async function exchange(
  sender: Party,
  recipient: Party,
  content: Request,
  items: DecideRequestParams['items'],
): Promise<string> {
  const draft = await sender.consumption.outgoingRequests.create({ content, peer: recipient.address });
  const requestMessage = messageId();
  const sent = await sender.consumption.outgoingRequests.sent({
    requestId: draft.id,
    messageId: requestMessage,
  });
  const incoming = recipient.consumption.incomingRequests;
  await incoming.received({
    content: overTheWire(sent.content),
    peer: sender.address,
    source: { type: 'Message', reference: requestMessage },
  });
  await incoming.checkPrerequisites(draft.id);
  const decided = await incoming.accept({ requestId: draft.id, items });
  const responseMessage = messageId();
  await sender.consumption.outgoingRequests.complete({
    requestId: draft.id,
    response: overTheWire(decided.response!.content),
    responseSource: { type: 'Message', reference: responseMessage },
  });
  await incoming.complete({
    requestId: draft.id,
    responseSource: { type: 'Message', reference: responseMessage },
  });
  return draft.id;
}

/** Hands notifications built by `from` to `to` and has `to` process them. */
export async function deliver(
  from: Party,
  to: Party,
  notifications: readonly OutgoingNotification[],
): Promise<LocalNotification[]> {
  const processed: LocalNotification[] = [];
  for (const { peer, notification } of notifications) {
    if (peer !== to.address) continue;
    const message = messageId();
    await from.consumption.notifications.sent({ notificationId: notification.id, messageId: message });
    await to.consumption.notifications.received({
      content: overTheWire(notification),
      peer: from.address,
      messageId: message,
    });
    processed.push(await to.consumption.notifications.process(notification.id));
  }
  return processed;
}
