import { batchEntries, type DeviceCaller, type OutboxEntry } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError, type RequestOf, type ResponseOf } from '@enmesh/protocol';
import { JetStreamApiError } from '@nats-io/jetstream';
import type { MessagesDeps } from './context.js';
import { recipientTokens } from './send.js';
import {
  type AcceptedMessage,
  type BatchItem,
  decideBatch,
  markPublished,
  type Refusal,
  recordAccepted,
  type SendDecision,
} from './send-bulk.js';
import { undeliveredNotice } from './undelivered.js';

type Answer = ResponseOf<'sendMessage'>;
type Outcome = { answer: Answer } | { error: unknown };

interface Pending extends BatchItem {
  readonly settle: (outcome: Outcome) => void;
}

/** Most messages decided, published and recorded together. */
const maxBatch = 128;
/** Batches whose publishes may await JetStream's acks at once. */
const maxPublishing = 4;

const unavailable = (cause: unknown) =>
  new ProtocolError(
    ErrorCodes.unavailable,
    'the mailboxes could not be reached; send again with the same id',
    {
      cause,
    },
  );

/**
 * Sends messages without an outbox: a batch is decided and its new messages' rows written (not yet
 * published) in one transaction, their mailbox entries are published straight from memory (batched per
 * mailbox, each JetStream message with a `Nats-Msg-Id`), and the messages whose entries all went out are
 * marked published and answered. A crash or a broker failure in between leaves a row not marked: the sender,
 * who got no answer, sends again with the same id, and that retry publishes the entries again (JetStream keeps
 * one of a repeat it saw within its window; devices drop a repeat that went out in another batch). The row comes first so that a recipient's receipt always finds it. No payload is written to
 * SQL and deleted again per entry, as an outbox would.
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

  /**
   * Decides and records batches one after another (each reads what the previous wrote: the caps hold), and
   * lets up to `maxPublishing` batches wait for JetStream's acks meanwhile. Entries still reach JetStream in
   * decision order: a batch's publishes are all issued before the next batch is decided.
   */
  async #run(): Promise<void> {
    this.#running = true;
    const publishing = new Set<Promise<void>>();
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, maxBatch);
        const failed = (error: unknown) => {
          for (const item of batch) item.settle({ error: unavailable(error) });
        };
        const decisions = await this.#decideAndRecord(batch, this.#deps.clock()).catch((error: unknown) => {
          failed(error);
          return undefined;
        });
        if (!decisions) continue;
        const task: Promise<void> = this.#publishAndAnswer(batch, decisions)
          .catch(failed)
          .finally(() => publishing.delete(task));
        publishing.add(task);
        while (publishing.size >= maxPublishing) await Promise.race(publishing);
        // Let the sends that arrived meanwhile join the next batch.
        if (this.#queue.length === 0 && publishing.size > 0) await Promise.race(publishing);
      }
    } finally {
      this.#running = false;
    }
  }

  async #publishAndAnswer(batch: readonly Pending[], decisions: readonly SendDecision[]): Promise<void> {
    const deps = this.#deps;
    const accepted = decisions.filter(
      (decision): decision is AcceptedMessage => decision.kind === 'accepted',
    );
    const published = await this.#publish(accepted);
    const done = accepted.filter((message) => published.get(message)?.failure === undefined);
    const notices = done.flatMap((message) =>
      (published.get(message)?.refused ?? []).flatMap(
        (refusal) => undeliveredNotice(deps, message, refusal) ?? [],
      ),
    );
    if (done.length > 0) {
      // A failure here answers unavailable for the whole batch: unmarked rows are safe, a retry publishes again.
      await deps.store.transaction(async (m) => {
        await markPublished(
          m,
          done.map((message) => message.message.id),
        );
        if (notices.length > 0) await deps.outbox.enqueue(m, notices);
      });
      if (notices.length > 0) void deps.outbox.flush().catch(() => undefined);
    }
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
          const failure = published.get(decision)?.failure;
          return failure === undefined ? { answer: decision.answer } : { error: unavailable(failure) };
        }
      }
    };
    for (const [index, item] of batch.entries()) item.settle(outcomeOf(index));
  }

  /**
   * Decides the batch and writes the new messages' rows in one transaction. When another replica stored one
   * of these ids first (the primary key refuses the batch), each message is decided and written alone, and
   * finds the stored one as a retry would.
   */
  async #decideAndRecord(batch: readonly Pending[], now: number): Promise<SendDecision[]> {
    const deps = this.#deps;
    const decideAndRecord = (items: readonly Pending[]) =>
      deps.store.transaction(async (m) => {
        const decisions = await decideBatch(deps, m, items, now);
        await recordAccepted(
          m,
          decisions.filter((decision): decision is AcceptedMessage => decision.kind === 'accepted'),
          now,
        );
        return decisions;
      });
    try {
      return await decideAndRecord(batch);
    } catch {
      const decisions: SendDecision[] = [];
      // Alone, a repeat of an id within the batch finds the first one stored, as any retry does.
      for (const item of batch) {
        const [decision] = await decideAndRecord([item]).catch((error: unknown): SendDecision[] => [
          { kind: 'refused', error: unavailable(error) },
        ]);
        decisions.push(decision!);
      }
      return decisions;
    }
  }

  /**
   * Publishes the messages' entries, batched per mailbox (`batchEntries`): one JetStream message per mailbox
   * and batch rather than per message and recipient, which is most of the broker's and the devices' work per
   * message. Per message, `failure` is a transient error of one of its batches (the broker away, a timeout):
   * the message stays unpublished and its sender, answered unavailable, sends again. `refused` lists its
   * entries JetStream refused for good (a full mailbox): the message is marked published all the same, and
   * its sender learns of each refusal.
   */
  async #publish(accepted: readonly AcceptedMessage[]): Promise<Map<AcceptedMessage, PublishOutcome>> {
    const owners = new Map<OutboxEntry, AcceptedMessage>();
    for (const message of accepted) for (const entry of message.entries) owners.set(entry, message);
    const batches = batchEntries([...owners.keys()]);
    const settled = await Promise.allSettled(batches.map((batch) => this.#deps.publish(batch.entry)));
    const outcomes = new Map(
      accepted.map((message): [AcceptedMessage, PublishOutcome] => [message, { refused: [] }]),
    );
    settled.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      for (const member of batches[i]!.members) {
        const outcome = outcomes.get(owners.get(member)!)!;
        if (result.reason instanceof JetStreamApiError)
          outcome.refused.push({ entry: member, error: result.reason });
        else outcome.failure ??= result.reason;
      }
    });
    return outcomes;
  }
}

/** How a message's entries fared: a transient failure, and the entries JetStream refused for good. */
interface PublishOutcome {
  failure?: unknown;
  readonly refused: Refusal[];
}
