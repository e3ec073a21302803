import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Logger } from 'pino';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import type { EventLog } from './event-log.js';
import { WakeSignal } from './wake.js';

/**
 * Server-Sent Events over the event log: each event is one message with `id: <sequence>` and the event as
 * JSON data. A stream starts at `from`, or after the `Last-Event-ID` a reconnecting client sends, or with
 * the next new event; it catches up in pages, then follows, with a comment line as keep-alive.
 */
export class SseHub {
  readonly #log: EventLog;
  readonly #logger: Logger;
  readonly #settings: { maxConnections: number; keepAliveMs: number; batchSize: number };
  readonly #wakes = new Set<WakeSignal>();
  #closing = false;

  /** Serves streams of the given log within the limits. */
  constructor(
    log: EventLog,
    logger: Logger,
    settings: { maxConnections: number; keepAliveMs: number; batchSize: number },
  ) {
    this.#log = log;
    this.#logger = logger;
    this.#settings = settings;
  }

  /** How many streams are open. */
  get open(): number {
    return this.#wakes.size;
  }

  /**
   * Answers a request with an event stream.
   * @throws ConnectorError `tooManyConnections` at the limit, `unavailable` while shutting down.
   */
  respond(c: Context, from: number | undefined): Response {
    if (this.#closing)
      throw new ConnectorError(ConnectorErrorCodes.unavailable, 'The connector is stopping.');
    if (this.#wakes.size >= this.#settings.maxConnections) {
      throw new ConnectorError(ConnectorErrorCodes.tooManyConnections, 'Too many open event streams.');
    }
    const lastEventId = Number(c.req.header('last-event-id'));
    const resumeAt = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId + 1 : from;
    const wake = new WakeSignal();
    this.#wakes.add(wake);
    return streamSSE(
      c,
      async (stream) => {
        const unsubscribe = this.#log.subscribe(() => wake.wake());
        stream.onAbort(() => wake.wake());
        try {
          let next = resumeAt ?? (await this.#log.lastSequence()) + 1;
          while (!stream.aborted && !stream.closed && !this.#closing) {
            const events = await this.#log.read(next, this.#settings.batchSize);
            for (const event of events) {
              await stream.writeSSE({ id: String(event.sequence), data: JSON.stringify(event) });
              next = event.sequence + 1;
            }
            if (events.length === this.#settings.batchSize) continue;
            const woken = await wake.wait(this.#settings.keepAliveMs);
            if (!woken && !stream.aborted) await stream.write(': keep-alive\n\n');
          }
        } finally {
          unsubscribe();
          this.#wakes.delete(wake);
        }
      },
      async (error) => {
        this.#logger.warn({ err: error }, 'event stream ended with an error');
      },
    );
  }

  /** Ends every open stream and refuses new ones. */
  close(): void {
    this.#closing = true;
    for (const wake of this.#wakes) wake.wake();
  }
}
