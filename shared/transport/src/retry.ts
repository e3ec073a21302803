import { ErrorCodes, ProtocolError } from '@enmesh/protocol';
import { TransportError, TransportErrorCodes } from './errors.js';

/** Failures after which repeating the same idempotent call is right. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof TransportError) {
    return error.code === TransportErrorCodes.timeout || error.code === TransportErrorCodes.notConnected;
  }
  return (
    ProtocolError.isProtocolError(error, ErrorCodes.unavailable) ||
    ProtocolError.isProtocolError(error, ErrorCodes.internal)
  );
}

/** Runs an idempotent call, repeating it after transient failures until `retryForMs` have passed. */
export async function withRetry<T>(
  call: () => Promise<T>,
  retryForMs: number,
  signal: AbortSignal | undefined,
): Promise<T> {
  const deadline = Date.now() + retryForMs;
  while (true) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || Date.now() > deadline || signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Runs at most `limit` tasks at once: `run` waits for a free slot before starting a task, `settle` waits
 * for all of them. The first failure is kept and thrown by the next `run` or by `settle`.
 */
export class TaskWindow {
  readonly #limit: number;
  readonly #running = new Set<Promise<void>>();
  #failure: { error: unknown } | undefined;

  /** A window of `limit` concurrent tasks. */
  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Starts a task once a slot is free. */
  async run(task: () => Promise<unknown>): Promise<void> {
    while (this.#running.size >= this.#limit) await Promise.race(this.#running);
    this.#throwIfFailed();
    const running: Promise<void> = task().then(
      () => {
        this.#running.delete(running);
      },
      (error: unknown) => {
        this.#failure ??= { error };
        this.#running.delete(running);
      },
    );
    this.#running.add(running);
  }

  /** Waits for every started task; throws the first failure. */
  async settle(): Promise<void> {
    await Promise.all(this.#running);
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
