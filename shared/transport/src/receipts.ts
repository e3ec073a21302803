import type { DeviceSession } from './session.js';

/** Most ids in one receipt call (the operation's limit). */
const maxIdsPerCall = 256;

/**
 * Confirms received messages to the backbone in batches (which lifts each sender's unreceived cap): ids are
 * sent when 100 have gathered or 200 ms after the first, and kept for the next try when a call fails.
 */
export class ReceiptBatcher {
  readonly #session: DeviceSession;
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  /** Sends receipts as the given device. */
  constructor(session: DeviceSession) {
    this.#session = session;
  }

  /** Queues a received message's id. */
  add(id: string): void {
    this.#pending.add(id);
    if (this.#pending.size >= 100) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), 200).unref();
  }

  /** Sends what is queued now. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#flushing) await this.#flushing;
    const ids = [...this.#pending].slice(0, maxIdsPerCall);
    if (ids.length === 0 || this.#session.isClosed) return;
    for (const id of ids) this.#pending.delete(id);
    this.#flushing = this.#session.call('receiptMessages', { ids }).then(
      () => undefined,
      () => {
        for (const id of ids) this.#pending.add(id);
      },
    );
    await this.#flushing;
    this.#flushing = undefined;
    if (this.#pending.size > 0) this.#timer ??= setTimeout(() => void this.flush(), 200).unref();
  }
}
