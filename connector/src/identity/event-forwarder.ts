import type { EventHub, RuntimeEvent } from '@enmesh/runtime';
import type { Logger } from 'pino';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import type { EventLog } from '../events/event-log.js';
import { advanceCursorIn, type EventStore } from '../events/event-store.js';

/** The cursor that records the last runtime event copied into the connector's log. */
export const runtimeCursorName = 'runtime';

const retryMs = { first: 250, max: 10_000 };

/**
 * Copies the runtime's events of one identity into the connector's event log, in order, so that webhooks,
 * NATS subjects and SSE get them. Each event is appended together with the cursor (the runtime's sequence
 * it came with) in one transaction: after a restart it resumes after the last one copied, none lost, none
 * twice. The connector's event keeps the runtime's id, name, data and time.
 */
export class RuntimeEventForwarder {
  readonly #hub: EventHub;
  readonly #log: EventLog;
  readonly #store: EventStore;
  readonly #identity: string;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;

  /** Forwards the events of `identity` (the runtime's address of the connector's account). */
  constructor(options: {
    hub: EventHub;
    log: EventLog;
    store: EventStore;
    identity: string;
    logger: Logger;
  }) {
    this.#hub = options.hub;
    this.#log = options.log;
    this.#store = options.store;
    this.#identity = options.identity;
    this.#logger = options.logger;
  }

  /** Starts forwarding from the stored cursor (once; later calls do nothing). */
  start(): void {
    this.#loop ??= this.#run().catch((error: unknown) => {
      if (!this.#abort.signal.aborted) this.#logger.error({ err: error }, 'event forwarding stopped');
    });
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    const from = await this.#store.cursor(this.#log.identity, runtimeCursorName);
    for await (const event of this.#hub.from(from, { identity: this.#identity, signal })) {
      let delay = retryMs.first;
      while (!signal.aborted) {
        try {
          await this.#append(event);
          break;
        } catch (error) {
          // Not skipped: the next event waits, so the log keeps the runtime's order without gaps.
          this.#logger.warn(
            { err: error, sequence: event.sequence },
            'an event could not be logged; retrying',
          );
          await sleep(delay, signal);
          delay = Math.min(delay * 2, retryMs.max);
        }
      }
    }
  }

  async #append(event: RuntimeEvent): Promise<void> {
    const options = {
      id: event.id,
      time: Date.parse(event.time),
      within: (manager: Parameters<typeof advanceCursorIn>[0]) =>
        advanceCursorIn(manager, this.#log.identity, runtimeCursorName, event.sequence),
    };
    try {
      await this.#log.append(event.namespace, event.data, options);
    } catch (error) {
      if (!ConnectorError.isConnectorError(error, ConnectorErrorCodes.eventDataTooLarge)) throw error;
      // Too large for the log (events.maxDataBytes): the event still takes its place, without its data.
      this.#logger.warn({ sequence: event.sequence, namespace: event.namespace }, 'event data too large');
      await this.#log.append(
        event.namespace,
        { dataTooLarge: true, runtimeSequence: event.sequence },
        options,
      );
    }
  }

  /** Stops forwarding; an append in flight finishes first. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
