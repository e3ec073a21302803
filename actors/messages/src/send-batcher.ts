import type { DeviceCaller, OutboxEntry } from '@enmesh/actor-kit';
import type { ProtocolError, RequestOf, ResponseOf } from '@enmesh/protocol';
import type { MessagesDeps } from './context.js';
import { recipientTokens, sendMessage } from './send.js';
import { storeBatch } from './send-bulk.js';

type Answer = ResponseOf<'sendMessage'>;

interface Pending {
  readonly caller: DeviceCaller;
  readonly request: RequestOf<'sendMessage'>;
  readonly tokens: readonly string[];
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: unknown) => void;
}

/** Most messages stored in one transaction. */
const maxBatch = 128;

/**
 * Group commit for sends: messages that arrive while a transaction is running are stored together in the
 * next one, with the same rules in arrival order and a constant number of statements (`storeBatch`), and
 * published with one outbox flush. A refusal touches only its own message. Under load this turns hundreds of
 * small transactions into a few; a lone message goes through at once.
 */
export class SendBatcher {
  readonly #deps: MessagesDeps;
  readonly #queue: Pending[] = [];
  #running = false;

  /** Stores messages with these dependencies. */
  constructor(deps: MessagesDeps) {
    this.#deps = deps;
  }

  /**
   * Sends one message (see `sendMessage` for its rules).
   * @throws ProtocolError for the message's own refusal.
   */
  send(caller: DeviceCaller, request: RequestOf<'sendMessage'>): Promise<Answer> {
    const tokens = recipientTokens(this.#deps, caller.identityToken, request.recipients);
    return new Promise<Answer>((resolve, reject) => {
      this.#queue.push({ caller, request, tokens, resolve, reject });
      if (!this.#running) void this.#run();
    });
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, maxBatch);
        await this.#store(batch);
      }
    } finally {
      this.#running = false;
    }
  }

  async #store(batch: Pending[]): Promise<void> {
    const deps = this.#deps;
    const now = deps.clock();
    let outcomes: ({ answer: Answer } | { error: ProtocolError })[];
    const committed: OutboxEntry[] = [];
    try {
      outcomes = await deps.store.transaction((m) =>
        storeBatch(deps, m, batch, now, async (entries) => {
          await deps.outbox.enqueue(m, entries);
          committed.push(...entries);
        }),
      );
    } catch {
      // A database error (e.g. another replica stored one of these ids first) undid the whole batch: store
      // each message in a transaction of its own, which answers such races message by message.
      await Promise.all(
        batch.map((item) => sendMessage(deps, item.caller, item.request).then(item.resolve, item.reject)),
      );
      return;
    }
    // The next batch waits for this one's publishes: measured, that keeps batches larger and is faster than
    // storing the next batch while JetStream confirms this one.
    await deps.outbox.publishCommitted(committed).catch(() => undefined);
    outcomes.forEach((outcome, i) => {
      const item = batch[i]!;
      if ('answer' in outcome) item.resolve(outcome.answer);
      else item.reject(outcome.error);
    });
  }
}
