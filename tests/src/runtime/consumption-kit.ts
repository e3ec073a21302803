import type {
  LocalAttributeDTO as LocalAttribute,
  LocalRequestDTO as LocalRequest,
  RequestStatusChangeDTO as RequestStatusChange,
  RuntimeEvent,
} from '@enmesh/runtime';
import type { TestRuntime } from './runtime-kit.js';

/** A request item of a type with the common fields. */
export function item(type: string, fields: Record<string, unknown>, mustBeAccepted = true) {
  return { '@type': type, mustBeAccepted, ...fields };
}

/** The consumption and transport services of a test runtime's account. */
export function servicesOf(test: TestRuntime) {
  const account = test.runtime.account;
  return { ...account.consumption, transport: account.transport, address: account.address };
}

/** Matches a request status change to `status` (of the request `id`, when given). */
export const becomes =
  (status: string, id?: string) =>
  (data: RequestStatusChange): boolean =>
    data.newStatus === status && (id === undefined || data.request.id === id);

/** Waits for a request to reach a status (incoming or outgoing) and returns the request. */
export async function requestReaches(
  test: TestRuntime,
  direction: 'incoming' | 'outgoing',
  status: string,
  id?: string,
  after = 0,
): Promise<LocalRequest> {
  const event = await test.next(
    `consumption.${direction}RequestStatusChanged`,
    becomes(status, id) as (data: never) => boolean,
    after,
  );
  return (event.data as RequestStatusChange).request;
}

/** The names of the events of a test runtime from the sequence `after` on, optionally only some. */
export function names(
  events: readonly RuntimeEvent[],
  keep: (name: string) => boolean = () => true,
  after = 0,
) {
  return events.filter((event) => event.sequence > after && keep(event.namespace)).map(describe);
}

/** An event's name, with the new status of a request's status change. */
function describe(event: RuntimeEvent): string {
  const data = event.data as Partial<RequestStatusChange> & { status?: string };
  if (event.namespace.endsWith('RequestStatusChanged')) return `${event.namespace}:${data.newStatus}`;
  if (event.namespace === 'transport.relationshipChanged') return `${event.namespace}:${data.status}`;
  return event.namespace;
}

/** Tells whether the events of a runtime are numbered 1, 2, 3, … without gaps. */
export function gapFree(events: readonly RuntimeEvent[]): boolean {
  return events.every((event, index) => index === 0 || event.sequence === events[index - 1]!.sequence + 1);
}

/** The attributes of one kind and value type. */
export function ofKind(attributes: readonly LocalAttribute[], kind: string, valueType: string) {
  return attributes.filter(
    (attribute) => attribute['@type'] === kind && attribute.content.value['@type'] === valueType,
  );
}

/** The error of the consumption package a call failed with (its name and code); fails otherwise. */
export async function consumptionError(promise: Promise<unknown>): Promise<{ name: string; code: string }> {
  try {
    await promise;
  } catch (error) {
    const coded = error as { name?: unknown; code?: unknown };
    if (coded.name === 'ConsumptionError' && typeof coded.code === 'string') {
      return { name: coded.name, code: coded.code };
    }
    throw new Error(`not a ConsumptionError: ${String(error)}`);
  }
  throw new Error('the call succeeded');
}
