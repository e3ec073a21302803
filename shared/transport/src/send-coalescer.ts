import { errorFromBody, Limits, maxMessagesPerSend, type RequestOf, type ResponseOf } from '@enmesh/protocol';
import { TransportError, TransportErrorCodes } from './errors.js';
import type { CallOptions } from './rpc.js';

type SendRequest = RequestOf<'sendMessage'>;
type SendAnswer = ResponseOf<'sendMessage'>;

/** The two calls the coalescer makes: one message alone, or several in one request. */
export interface SendCalls {
  one(body: SendRequest, options: CallOptions): Promise<SendAnswer>;
  many(bodies: SendRequest[], options: CallOptions): Promise<ResponseOf<'sendMessages'>>;
}

interface Queued {
  readonly body: SendRequest;
  readonly bytes: number;
  readonly timeoutMs: number | undefined;
  readonly resolve: (answer: SendAnswer) => void;
  readonly reject: (error: unknown) => void;
  cancelled: boolean;
}

/** Requests of this coalescer in flight at once; what comes meanwhile waits and goes in the next. */
const maxInFlight = 4;
/**
 * Room for one request's messages, under the device payload limit: the JSON around them and the per-message
 * estimate's slack fit in the rest.
 */
const maxRequestBytes = Limits.devicePayloadBytes - 24 * 1024;

/** An upper bound of a send request's JSON size, without serialising it. */
function estimatedBytes(body: SendRequest): number {
  return (
    body.envelope.length +
    (body.senderCopy?.length ?? 0) +
    body.recipients.reduce((sum, address) => sum + address.length + 3, 0) +
    (body.attachments?.length ?? 0) * 40 +
    160
  );
}

/**
 * Group commit on the device: sends made while earlier requests are on their way travel together in one
 * `sendMessages` request (at most 64 messages, within the payload limit), so a burst costs a few round trips
 * and actor calls instead of one per message. A lone send goes out at once, alone. Each message keeps its
 * own answer or error; a failure of the whole request (timeout, no connection, busy) fails each of its
 * messages, which the caller's retry with the same ids repeats safely.
 */
export class SendCoalescer {
  readonly #calls: SendCalls;
  readonly #queue: Queued[] = [];
  #inFlight = 0;
  #scheduled = false;

  /** Sends through these calls. */
  constructor(calls: SendCalls) {
    this.#calls = calls;
  }

  /** Sends one sealed message; resolves with its answer. A cancelled send still waiting is not sent. */
  send(body: SendRequest, options: CallOptions = {}): Promise<SendAnswer> {
    const signal = options.signal;
    signal?.throwIfAborted();
    return new Promise<SendAnswer>((resolve, reject) => {
      const item: Queued = {
        body,
        bytes: estimatedBytes(body),
        timeoutMs: options.timeoutMs,
        resolve,
        reject,
        cancelled: false,
      };
      this.#queue.push(signal ? cancellable(item, signal) : item);
      this.#schedule();
    });
  }

  // Dispatching on the next turn of the event loop (not a microtask) lets every send started in this turn
  // share the request: a burst's sends are sealed one continuation after another, each a microtask of its own.
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= maxInFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#inFlight < maxInFlight) {
      const batch = this.#takeBatch();
      if (batch.length === 0) return;
      this.#inFlight += 1;
      void this.#send(batch).finally(() => {
        this.#inFlight -= 1;
        this.#schedule();
      });
    }
  }

  #takeBatch(): Queued[] {
    const batch: Queued[] = [];
    let bytes = 0;
    while (this.#queue.length > 0 && batch.length < maxMessagesPerSend) {
      const next = this.#queue[0]!;
      if (next.cancelled) {
        this.#queue.shift();
        continue;
      }
      if (batch.length > 0 && bytes + next.bytes > maxRequestBytes) break;
      batch.push(next);
      bytes += next.bytes;
      this.#queue.shift();
    }
    return batch;
  }

  async #send(batch: Queued[]): Promise<void> {
    const timeouts = batch.map((item) => item.timeoutMs ?? 10_000);
    const options: CallOptions = { timeoutMs: Math.max(...timeouts) };
    try {
      // A message alone goes with the single-message call.
      if (batch.length === 1) {
        const [item] = batch as [Queued];
        item.resolve(await this.#calls.one(item.body, options));
        return;
      }
      const { results } = await this.#calls.many(
        batch.map((item) => item.body),
        options,
      );
      batch.forEach((item, i) => {
        const outcome = results[i];
        if (!outcome) {
          item.reject(new TransportError(TransportErrorCodes.unexpectedReply, 'no answer for this message'));
        } else if ('result' in outcome) item.resolve(outcome.result);
        else item.reject(errorFromBody(outcome.error));
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}

/**
 * The queued send `item`, cancelled when `signal` aborts while it still waits (it is then never sent), and
 * no longer listening once it is settled.
 */
function cancellable(item: Queued, signal: AbortSignal): Queued {
  const onAbort = () => {
    watched.cancelled = true;
    item.reject(new TransportError(TransportErrorCodes.aborted, 'the call was cancelled'));
  };
  const watched: Queued = {
    ...item,
    resolve: (answer) => {
      signal.removeEventListener('abort', onAbort);
      item.resolve(answer);
    },
    reject: (error) => {
      signal.removeEventListener('abort', onAbort);
      item.reject(error);
    },
  };
  signal.addEventListener('abort', onAbort, { once: true });
  return watched;
}
