import type { DeviceCaller, OutboxEntry } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError, type RequestOf, type ResponseOf } from '@enmesh/protocol';
import { JetStreamApiError } from '@nats-io/jetstream';
import type { MessagesDeps } from './context.js';
import { recipientTokens } from './send.js';
import { type AcceptedMessage, type BatchItem, decideBatch, recordAccepted } from './send-bulk.js';
import { undeliveredNotice } from './undelivered.js';

type Answer = ResponseOf<'sendMessage'>;
type Outcome = { answer: Answer } | { error: unknown };

interface Pending extends BatchItem {
  readonly settle: (outcome: Outcome) => void;
}

/** Most messages decided, published and recorded together. */
const maxBatch = 128;

const unavailable = (cause: unknown) =>
  new ProtocolError(ErrorCodes.unavailable, 'the mailboxes could not be reached; send again with the same id', {
    cause,
  });

/**
 * Sends messages JetStream first: a batch is decided by the rules (reads only), its mailbox entries are
 * published (each with a `Nats-Msg-Id`, so a repeat is stored once), and only the messages whose entries
 * all went out are recorded, in one transaction, and answered. A crash or a broker failure before the
 * record leaves no row: the sender's retry with the same id decides again and publishes again, which
 * JetStream deduplicates. So a send is answered only once it is in every mailbox, and no outbox row is
 * written and deleted per entry.
 *
 * Group commit: sends that arrive while a batch is running form the next batch. A refusal touches only its
 * own message.
 */
export class SendBatcher {
  readonly #deps: MessagesDeps;
  readonly #queue: Pending[] = [];
  #running = false;

  /** Sends messages with these dependencies. */
  constructor(deps: MessagesDeps) {
    this.#deps = deps;
  }

  /**
   * Sends one message.
   * @throws ProtocolError `error.messages.noRelationship|duplicateRecipient|toSelf|idInUse|tooManyUnreceived`,
   *   `error.quota.exceeded`, `error.protocol.unavailable` (retry with the same id).
   */
  async send(caller: DeviceCaller, request: RequestOf<'sendMessage'>): Promise<Answer> {
    const [outcome] = await this.sendAll(caller, [request]);
    if (!outcome) throw new Error('no outcome for the message');
    if ('error' in outcome) throw outcome.error;
    return outcome.answer;
  }

  /** Sends several messages of one caller; one outcome per message, in order. */
  sendAll(caller: DeviceCaller, requests: readonly RequestOf<'sendMessage'>[]): Promise<Outcome[]> {
    const outcomes = requests.map(
      (request) =>
        new Promise<Outcome>((settle) => {
          try {
            const tokens = recipientTokens(this.#deps, caller.identityToken, request.recipients);
            this.#queue.push({ caller, request, tokens, settle });
          } catch (error) {
            settle({ error });
          }
        }),
    );
    if (!this.#running) void this.#run();
    return Promise.all(outcomes);
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, maxBatch);
        await this.#sendBatch(batch).catch((error: unknown) => {
          for (const item of batch) item.settle({ error: unavailable(error) });
        });
      }
    } finally {
      this.#running = false;
    }
  }

  async #sendBatch(batch: readonly Pending[]): Promise<void> {
    const deps = this.#deps;
    const now = deps.clock();
    const decisions = await deps.store.run((m) => decideBatch(deps, m, batch, now));
    const accepted = decisions.filter((decision): decision is AcceptedMessage => decision.kind === 'accepted');
    const published = await Promise.all(accepted.map((message) => this.#publish(message)));
    const delivered = accepted.filter((_, i) => published[i]!.failure === undefined);
    const notices = accepted.flatMap((message, i) =>
      published[i]!.failure === undefined
        ? published[i]!.refused.flatMap((refusal) => undeliveredNotice(deps, message, refusal) ?? [])
        : [],
    );
    let recorded = true;
    try {
      await deps.store.transaction(async (m) => {
        await recordAccepted(m, delivered, now);
        if (notices.length > 0) await deps.outbox.enqueue(m, notices);
      });
    } catch {
      // Another replica recorded one of these ids first (the primary key refused it): answer each message as
      // a send of its own, which decides again and finds the stored one.
      recorded = false;
    }
    if (notices.length > 0) void deps.outbox.flush().catch(() => undefined);
    const outcomeOf = (index: number): Outcome => {
      const decision = decisions[index]!;
      switch (decision.kind) {
        case 'stored':
          return { answer: decision.answer };
        case 'refused':
          return { error: decision.error };
        case 'repeat':
          return outcomeOf(decision.of);
        case 'accepted': {
          const failure = published[accepted.indexOf(decision)]!.failure;
          return failure === undefined ? { answer: decision.answer } : { error: unavailable(failure) };
        }
      }
    };
    if (!recorded) {
      await Promise.all(
        batch.map(async (item, index) => {
          const decision = decisions[index]!;
          if (decision.kind !== 'accepted' || published[accepted.indexOf(decision)]!.failure !== undefined) {
            item.settle(outcomeOf(index));
            return;
          }
          item.settle(await this.#recordAlone(item, decision, now));
        }),
      );
      return;
    }
    batch.forEach((item, index) => item.settle(outcomeOf(index)));
  }

  /** Records one published message in a transaction of its own; a stored one with its id answers as a retry. */
  async #recordAlone(item: Pending, decision: AcceptedMessage, now: number): Promise<Outcome> {
    const deps = this.#deps;
    try {
      await deps.store.transaction((m) => recordAccepted(m, [decision], now));
      return { answer: decision.answer };
    } catch {
      const [again] = await deps.store.run((m) => decideBatch(deps, m, [item], now));
      if (again?.kind === 'stored') return { answer: again.answer };
      if (again?.kind === 'refused') return { error: again.error };
      return { error: unavailable(new Error('the message could not be recorded')) };
    }
  }

  /**
   * Publishes a message's entries. `failure` is a transient error (the broker away, a timeout): the message
   * is not recorded and its sender sends again. `refused` lists the recipients' entries JetStream refused
   * for good (a full mailbox): the message is recorded, and its sender learns of each refusal.
   */
  async #publish(message: AcceptedMessage): Promise<{ failure?: unknown; refused: Refusal[] }> {
    const outcomes = await Promise.allSettled(message.entries.map((entry) => this.#deps.publish(entry)));
    const refused: Refusal[] = [];
    let failure: unknown;
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') return;
      if (outcome.reason instanceof JetStreamApiError) refused.push({ entry: message.entries[i]!, error: outcome.reason });
      else failure ??= outcome.reason;
    });
    return failure === undefined ? { refused } : { failure, refused };
  }
}

/** A mailbox entry JetStream refused for good, and why. */
export interface Refusal {
  readonly entry: OutboxEntry;
  readonly error: Error;
}
