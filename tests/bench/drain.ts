import type { JetStreamClient, PubAck } from '@nats-io/jetstream';

/** Publishes `count` messages to a JetStream subject, `window` unacknowledged at a time; returns the ms taken. */
export async function publishWindowed(
  js: JetStreamClient,
  subject: string,
  count: number,
  payload: Uint8Array,
  msgIdOf: (index: number) => string,
  window = 256,
): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < count; from += window) {
    const batch: Promise<PubAck>[] = [];
    for (let i = from; i < Math.min(count, from + window); i++) {
      batch.push(js.publish(subject, payload, { msgID: msgIdOf(i) }));
    }
    await Promise.all(batch);
  }
  return performance.now() - started;
}

/** How to consume one delivered item: `handle` (e.g. an ack) runs for each, `finish` once at the end. */
export interface DrainOptions<T> {
  readonly count: number;
  readonly timeoutMs: number;
  readonly handle: (item: T) => Promise<void> | void;
  /** Awaited after the last item, inside the timing (e.g. waiting for acks that were not awaited). */
  readonly finish?: () => Promise<unknown>;
  /** Ends the source (called on timeout and after the last item). */
  readonly stop: () => void | Promise<void>;
}

/**
 * Iterates `source` until `count` items were handled, and returns the milliseconds from the call to the
 * end of `finish`. Fails when fewer than `count` items arrive within `timeoutMs`.
 */
export async function drain<T>(source: AsyncIterable<T>, options: DrainOptions<T>): Promise<number> {
  let received = 0;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void options.stop();
  }, options.timeoutMs);
  const started = performance.now();
  try {
    if (options.count > 0) {
      for await (const item of source) {
        await options.handle(item);
        if (++received >= options.count) break;
      }
    }
    await options.finish?.();
  } finally {
    clearTimeout(timer);
    await options.stop();
  }
  const ms = performance.now() - started;
  if (received < options.count) {
    throw new Error(
      `drained ${received} of ${options.count}${timedOut ? ` in ${options.timeoutMs} ms` : ''}`,
    );
  }
  return ms;
}
